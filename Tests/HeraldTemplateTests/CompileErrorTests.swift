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
        #expect(errors("{{/a}}") == ["t.md:1:1: error: '{{/a}}' closes a section that was never opened"])
        #expect(errors("{{a b}}").first?.contains("invalid name 'a b'") == true)
    }

    @Test func allErrorsOfOneTemplateTogether() {
        let found = errors("{{#a}}\n{{x | nope}}\n{{ }}\n{{/b}}\nend {{y")
        #expect(found == [
            "t.md:2:1: error: unknown filter 'nope'; filters are upper, lower, trim, default, join, count, truncate, date, number, json, first, skip",
            "t.md:3:1: error: empty tag",
            "t.md:4:1: error: mismatched section close: expected '{{/a}}', found '{{/b}}'",
            "t.md:5:5: error: unclosed tag: missing '}}'",
            "t.md:1:1: error: unclosed section 'a': add '{{/a}}'",
        ])
    }

    @Test func firstAndSkipNeedAWholeNumberOfAtLeastZero() {
        #expect(errors(#"{{rows | first: "3"}}"#) == ["t.md:1:1: error: filter 'first' needs a whole-number argument, like 'first: 10'"])
        #expect(errors("{{rows | first}}") == ["t.md:1:1: error: filter 'first' needs a whole-number argument, like 'first: 10'"])
        #expect(errors("{{rows | skip: }}") == ["t.md:1:1: error: filter 'skip' needs a whole-number argument, like 'skip: 10'"])
        #expect(errors("ab {{rows | skip: -1}}") == ["t.md:1:4: error: filter 'skip' needs a whole number of at least 0, like 'skip: 10', got -1"])
        #expect(errors("{{rows | first: 2.5}}") == ["t.md:1:1: error: filter 'first' needs a whole-number argument, like 'first: 10', got 2.5"])
        #expect(errors("{{rows | first: ten}}") == ["t.md:1:1: error: filter 'first' needs a whole-number argument, like 'first: 10', got ten"])
        #expect(errors("{{rows | first: 99999999999999999999}}")
                == ["t.md:1:1: error: filter 'first' has a whole-number argument too large to use: 99999999999999999999"])
        // The same checks for the other whole-number filters now show an example too.
        #expect(errors("{{s | truncate: 1.5}}") == ["t.md:1:1: error: filter 'truncate' needs a whole-number argument, like 'truncate: 40', got 1.5"])
    }

    @Test func sectionFilterErrorsAtTheOpenTag() {
        // One error each: the section still opens, so its close tag matches.
        #expect(errors("x\n  {{#rows | first: x}}…{{/rows}}") == ["t.md:2:3: error: filter 'first' needs a whole-number argument, like 'first: 10', got x"])
        #expect(errors("{{^rows | skip: -2}}{{/rows}}") == ["t.md:1:1: error: filter 'skip' needs a whole number of at least 0, like 'skip: 10', got -2"])
        #expect(errors("{{#rows | frist: 2}}{{/rows}}") == ["t.md:1:1: error: unknown filter 'frist' — did you mean 'first'?"])
        #expect(errors("{{#rows |}}{{/rows}}") == ["t.md:1:1: error: empty filter after '|'"])
        #expect(errors("{{# | first: 2}}{{/rows}}").first == "t.md:1:1: error: empty tag: a section needs a name")
        #expect(errors("{{#rows | first: 2?}}{{/rows}}")
                == ["t.md:1:1: error: the '?' of an optional section goes right after the name: write '{{#rows? | first: 2}}'"])
        #expect(errors("{{^rows | skip: 1 ?}}{{/rows}}")
                == ["t.md:1:1: error: the '?' of an optional section goes right after the name: write '{{^rows? | skip: 1}}'"])
    }

    @Test func closeTagsNameOnlyTheSection() {
        // Reported once; the section is closed as if the tag were '{{/rows}}'.
        #expect(errors("{{#rows | first: 2}}x{{/rows | first: 2}}")
                == ["t.md:1:22: error: a close tag names only the section, without filters: write '{{/rows}}'"])
        #expect(errors("{{#rows? | first: 2}}\n{{/rows? | first: 2}}")
                == ["t.md:2:1: error: a close tag names only the section, without filters: write '{{/rows}}'"])
        #expect(errors("{{#rows | first: 2}}x{{/row}}") == [
            "t.md:1:22: error: mismatched section close: expected '{{/rows}}', found '{{/row}}'",
            "t.md:1:1: error: unclosed section 'rows': add '{{/rows}}'",
        ])
        #expect(errors("{{#a}}{{#rows | skip: 1}}x{{/a}}") == [
            "t.md:1:27: error: mismatched section close: expected '{{/rows}}', found '{{/a}}'",
        ])
    }

    @Test func specModeHasNoSectionFilters() {
        // Unchanged: spec mode reads `|` in a section tag as an error, as it always did.
        do {
            _ = try Template.compile("{{#a | first: 1}}x{{/a}}", origin: TemplateOrigin(path: "s.md"), mode: .spec)
            Issue.record("compiled")
        } catch {
            #expect(error.diagnostics.first?.description
                    == "s.md:1:1: error: filters are not allowed in section tags; use them in {{name | filter}} tags")
        }
    }

    @Test func customDelimitersInMessages() {
        #expect(errors("{{=<% %>=}}<%#a%>x") == ["t.md:1:12: error: unclosed section 'a': add '<%/a%>'"])
    }

    @Test func deepNestingIsAnErrorNotAStackOverflow() {
        let text = String(repeating: "{{#a}}", count: 5000) + String(repeating: "{{/a}}", count: 5000)
        #expect(errors(text, ["a": true]).first?.contains("nests sections deeper than 100 levels") == true)
    }
}
