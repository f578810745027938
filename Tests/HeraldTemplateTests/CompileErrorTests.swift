import HeraldTemplate
import Testing

@Suite struct CompileErrorTests {
    @Test func eachKindWithPosition() {
        #expect(errors("a\n{{#items}}x") == ["t.md:2:1: error: unclosed section 'items': add '{{/items}}'"])
        #expect(errors("{{#a}}x{{/b}}{{/a}}") == ["t.md:1:8: error: mismatched section close: expected '{{/a}}', found '{{/b}}'"])
        #expect(errors("hello {{name") == ["t.md:1:7: error: unclosed tag: missing '}}'"])
        #expect(errors("x {{ }}") == ["t.md:1:3: error: empty tag"])
        #expect(errors("{{= <% =}}") == ["t.md:1:1: error: invalid delimiter change: give two delimiters without '=', like {{=<% %>=}}"])
        #expect(errors("{{name | uper}}") == ["t.md:1:1: error: unknown filter 'uper' — did you mean 'upper'?"])
        #expect(errors("{{name | truncate: \"x\"}}") == ["t.md:1:1: error: filter 'truncate' needs a whole-number argument, like 'truncate: 40'"])
        #expect(errors("{{name | number: 11}}") == ["t.md:1:1: error: filter 'number' takes a whole number from 0 to 10, got 11"])
        #expect(errors("{{name | upper: 1}}") == ["t.md:1:1: error: filter 'upper' takes no argument"])
        #expect(errors("{{name | join}}") == ["t.md:1:1: error: filter 'join' needs a quoted string argument, like 'join: \", \"'"])
        #expect(errors("{{#a | upper}}{{/a}}").first?.contains("filters are not allowed in section tags") == true)
        #expect(errors("{{/a}}") == ["t.md:1:1: error: '{{/a}}' closes a section that was never opened"])
        #expect(errors("{{a b}}").first?.contains("invalid name 'a b'") == true)
    }

    @Test func allErrorsOfOneTemplateTogether() {
        let found = errors("{{#a}}\n{{x | nope}}\n{{ }}\n{{/b}}\nend {{y")
        #expect(found == [
            "t.md:2:1: error: unknown filter 'nope'; filters are upper, lower, trim, default, join, count, truncate, date, number, json",
            "t.md:3:1: error: empty tag",
            "t.md:4:1: error: mismatched section close: expected '{{/a}}', found '{{/b}}'",
            "t.md:5:5: error: unclosed tag: missing '}}'",
            "t.md:1:1: error: unclosed section 'a': add '{{/a}}'",
        ])
    }

    @Test func customDelimitersInMessages() {
        #expect(errors("{{=<% %>=}}<%#a%>x") == ["t.md:1:12: error: unclosed section 'a': add '<%/a%>'"])
    }

    @Test func deepNestingIsAnErrorNotAStackOverflow() {
        let text = String(repeating: "{{#a}}", count: 5000) + String(repeating: "{{/a}}", count: 5000)
        #expect(errors(text, ["a": true]).first?.contains("nested deeper than 100 levels") == true)
    }
}
