import HeraldTemplate
import Testing

/// docs/templates.md (section filters): filters in section and inverted-section tags, and the `first` / `skip` list filters.
@Suite struct SectionFilterTests {
    let context: Value = [
        "nums": [1, 2, 3, 4, 5],
        "rows": [["name": "a", "n": 1], ["name": "b", "n": 2], ["name": "c", "n": 3]],
        "empty": [] as Value,
        "title": "Report",
        "total": 7,
        "flag": true,
        "meta": ["k": "v"],
        "nothing": nil,
        "report": ["rows": [["name": "x"], ["name": "y"]]],
        "groups": [["team": "ops", "members": ["o1", "o2", "o3"]],
                   ["team": "dev", "members": ["d1", "d2"]],
                   ["team": "qa", "members": ["q1"]]],
    ]

    @Test func firstAndSkipInSections() throws {
        #expect(try render("{{#nums | first: 2}}{{.}},{{/nums}}", context) == "1,2,")
        #expect(try render("{{#nums | skip: 3}}{{.}},{{/nums}}", context) == "4,5,")
        #expect(try render("{{#nums|first:3}}{{.}}{{/nums}}", context) == "123")
    }

    @Test func chainsApplyLeftToRight() throws {
        #expect(try render("{{#nums | skip: 1 | first: 3}}{{.}}{{/nums}}", context) == "234")
        #expect(try render("{{#nums | first: 3 | skip: 1}}{{.}}{{/nums}}", context) == "23")
        #expect(try render("{{#nums | skip: 2 | skip: 2}}{{.}}{{/nums}}", context) == "5")
    }

    @Test func zeroAndCountsPastTheEnd() throws {
        #expect(try render("[{{#nums | first: 0}}x{{/nums}}]", context) == "[]")
        #expect(try render("[{{#nums | skip: 0}}{{.}}{{/nums}}]", context) == "[12345]")
        #expect(try render("[{{#nums | first: 10}}{{.}}{{/nums}}]", context) == "[12345]")
        #expect(try render("[{{#nums | skip: 5}}x{{/nums}}]", context) == "[]")
        #expect(try render("[{{#nums | skip: 99}}x{{/nums}}]", context) == "[]")
        #expect(try render("[{{#empty | first: 3}}x{{/empty}}]", context) == "[]")
    }

    @Test func itemsThatAreMapsBecomeTheScope() throws {
        #expect(try render("{{#rows | first: 2}}{{name}}={{n}};{{/rows}}", context) == "a=1;b=2;")
        #expect(try render("{{#report.rows | skip: 1}}{{name}}{{/report.rows}}", context) == "y")
    }

    @Test func invertedSectionsTestTheFilteredValue() throws {
        #expect(try render("{{^nums | skip: 5}}none left{{/nums}}", context) == "none left")
        #expect(try render("[{{^nums | first: 1}}empty{{/nums}}]", context) == "[]")
        #expect(try render("{{^nums | first: 0}}zero{{/nums}}", context) == "zero")
        #expect(try render("{{^empty | first: 3}}no rows{{/empty}}", context) == "no rows")
    }

    @Test func nestedSectionsWithFilters() throws {
        let text = "{{#groups | first: 2}}{{team}}:{{#members | skip: 1}} {{.}}{{/members}}{{^members | skip: 1}} -{{/members}};{{/groups}}"
        #expect(try render(text, context) == "ops: o2 o3;dev: d2;")
        #expect(try render("{{#groups | skip: 2}}{{team}}:{{#members | skip: 1}} {{.}}{{/members}}{{^members | skip: 1}} -{{/members}}{{/groups}}", context)
                == "qa: -")
    }

    @Test func standaloneFilteredTagsVanishWithTheirLine() throws {
        let text = "Top 2:\n{{#nums | first: 2}}\n- {{.}}\n{{/nums}}\n{{^nums | skip: 9}}\n(that's all)\n{{/nums}}\nend\n"
        #expect(try render(text, context) == "Top 2:\n- 1\n- 2\n(that's all)\nend\n")
    }

    @Test func topTenOfNDigest() throws {
        // The example in docs/templates.md, over CSV-like rows (maps of strings).
        let rows: [Value] = (1...12).map { i in ["service": .string("svc-\(i)"), "errors": .string("\(100 - i)")] }
        let text = """
        **Top 10 of {{rows | count}} services by errors**
        | service | errors |
        |---|---|
        {{#rows | first: 10}}
        | {{service}} | {{errors}} |
        {{/rows}}
        {{#rows | skip: 10 | first: 1}}
        …and {{rows | skip: 10 | count}} more
        {{/rows}}
        {{^rows}}
        No errors this week.
        {{/rows}}
        """
        let head = "| service | errors |\n|---|---|\n"
        let body = (1...10).map { "| svc-\($0) | \(100 - $0) |\n" }.joined()
        #expect(try render(text, ["rows": .list(rows)]) == "**Top 10 of 12 services by errors**\n" + head + body + "…and 2 more\n")
        // Ten rows or fewer: no "more" line.
        #expect(try render(text, ["rows": .list(Array(rows.prefix(2)))])
                == "**Top 10 of 2 services by errors**\n" + head + "| svc-1 | 99 |\n| svc-2 | 98 |\n")
        #expect(try render(text, ["rows": [] as Value]) == "**Top 10 of 0 services by errors**\n" + head + "No errors this week.\n")
    }

    @Test func anyFilterChainWorksInASection() throws {
        // `count` gives an integer: truthy, so the section runs once with it as `.`.
        #expect(try render("{{#nums | count}}n={{.}}{{/nums}}", context) == "n=5")
        #expect(try render("{{#title | upper}}[{{.}}]{{/title}}", context) == "[REPORT]")
        #expect(try render(#"{{#missing | default: ""}}x{{/missing}}{{^missing | default: ""}}none{{/missing}}"#, context) == "none")
        #expect(try render(#"{{#missing | default: "fallback"}}<{{.}}>{{/missing}}"#, context) == "<fallback>")
        #expect(try render(#"{{#title | default: ""}}<{{.}}>{{/title}}"#, context) == "<Report>")
        #expect(try render(#"{{#nums | first: 2 | join: "+"}}{{.}}{{/nums}}"#, context) == "1+2")
        #expect(try render(#"{{#nothing | first: 2 | default: "none"}}{{.}}{{/nothing}}"#, context) == "none")
    }

    @Test func optionalMarkerGoesOnTheName() throws {
        #expect(try render("[{{#nope? | first: 3}}x{{/nope}}]", context) == "[]")
        #expect(try render("{{^nope? | first: 3}}none{{/nope?}}", context) == "none")
        #expect(try render("{{#nums? | first: 2}}{{.}}{{/nums?}}", context) == "12")
        // An unknown optional name is null before the filters, so `count` makes it 0.
        #expect(try render("{{#nope? | count}}n={{.}}{{/nope}}", context) == "n=0")
    }

    @Test func nullStaysNull() throws {
        #expect(try render("[{{#nothing | first: 2}}x{{/nothing}}]{{^nothing | skip: 1}}null{{/nothing}}", context) == "[]null")
        #expect(try render("[{{nothing | first: 2}}]", context) == "[]")
        #expect(try render("{{nothing | first: 1 | json}} {{nothing | skip: 1 | count}}", context) == "null 0")
    }

    @Test func aNonListIsAnErrorAtTheTag() {
        #expect(errors("ok\n  {{#title | first: 2}}x{{/title}}", context)
                == ["t.md:2:3: error: filter 'first' needs a list, but 'title' is a string"])
        #expect(errors("{{^total | skip: 1}}x{{/total}}", context)
                == ["t.md:1:1: error: filter 'skip' needs a list, but 'total' is an integer"])
        #expect(errors("a\nb {{#meta | first: 1}}{{k}}{{/meta}}", context, origin: blockOrigin)
                == ["job.yaml:13:9: error: filter 'first' needs a list, but 'meta' is a map"])
        // The message names the tag's value even when an earlier filter changed it.
        #expect(errors("{{#nums | count | skip: 1}}x{{/nums}}", context)
                == ["t.md:1:1: error: filter 'skip' needs a list, but 'nums' is an integer"])
    }

    @Test func unknownNamesThroughAFilteredSectionAreStrict() {
        #expect(errors("{{#nusm | first: 2}}x{{/nusm}}", context) == ["t.md:1:1: error: unknown section 'nusm' — did you mean 'nums'?"])
        #expect(errors("x\n{{#zzz | first: 2}}x{{/zzz}}", context)
                == ["t.md:2:1: error: unknown section 'zzz'; write '{{#zzz? | first: 2}}' if it is optional"])
        #expect(errors(#"{{^zzz | skip: 1 | join: "\", "}}x{{/zzz}}"#, context)
                == [#"t.md:1:1: error: unknown section 'zzz'; write '{{^zzz? | skip: 1 | join: "\", "}}' if it is optional"#])
        #expect(errors("{{#report.rwos | first: 1}}x{{/report.rwos}}", context)
                == ["t.md:1:1: error: unknown section 'report.rwos': 'report' has no key 'rwos' — did you mean 'rows'?"])
    }

    @Test func customDelimiters() throws {
        #expect(try render("{{=<% %>=}}<%#nums | skip: 3%><%.%><%/nums%>", context) == "45")
        #expect(errors("{{=<% %>=}}<%#nums | skip: 3%>x<%/nums | skip: 3%>", context)
                == ["t.md:1:32: error: a close tag names only the section, without filters: write '<%/nums%>'"])
    }

    @Test func sectionPassesCountTheFilteredItems() throws {
        let big: Value = ["big": .list(Array(repeating: .int(1), count: 100))]
        let t = try Template.compile("{{#big | first: 3}}x{{/big}}", origin: TemplateOrigin(path: "t.md"))
        #expect(try t.render([big], options: RenderOptions(maxSectionPasses: 3)) == "xxx")
    }
}
