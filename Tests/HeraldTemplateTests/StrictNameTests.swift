import HeraldTemplate
import Testing

@Suite struct StrictNameTests {
    let context: Value = ["version": "2.0", "row": ["team": "ops", "teams": ["a"], "name": "x"], "items": [1, 2]]

    @Test func unknownVariableWithSuggestionAndMappedPosition() {
        #expect(errors("Release {{verison}}", context, origin: blockOrigin)
                == ["job.yaml:12:17: error: unknown variable 'verison' — did you mean 'version'?"])
        // Third line of the template: file line 14, column 7 + 4 - 1.
        #expect(errors("a\nb\nxxx {{zzz}}", context, origin: blockOrigin) == ["job.yaml:14:11: error: unknown variable 'zzz'"])
    }

    @Test func brokenChainsNameTheFailingSegment() {
        #expect(errors("{{row.tem}}", context) == ["t.md:1:1: error: unknown variable 'row.tem': 'row' has no key 'tem' — did you mean 'team'?"])
        #expect(errors("{{version.major}}", context) == ["t.md:1:1: error: unknown variable 'version.major': 'version' is a string, not a map"])
        #expect(errors("{{row.team.x}}", context) == ["t.md:1:1: error: unknown variable 'row.team.x': 'row.team' is a string, not a map"])
    }

    @Test func sectionsAndInvertedAreStrictToo() {
        #expect(errors("{{#itmes}}x{{/itmes}}", context) == ["t.md:1:1: error: unknown section 'itmes' — did you mean 'items'?"])
        #expect(errors("ok\n {{^row.nmae}}x{{/row.nmae}}", context)
                == ["t.md:2:2: error: unknown section 'row.nmae': 'row' has no key 'nmae' — did you mean 'name'?"])
    }

    @Test func unknownPartialSuggestsAKnownOne() {
        #expect(errors("{{> footr}}", [:], partials: ["footer": "bye"]) == ["t.md:1:1: error: unknown partial 'footr' — did you mean 'footer'?"])
    }

    @Test func nullIsDefinedAndFalsey() throws {
        #expect(try render("[{{n}}]{{#n}}yes{{/n}}{{^n}}no{{/n}}", ["n": nil]) == "[]no")
    }

    @Test func listIndexExtension() throws {
        #expect(try render("{{items.1}}", context) == "2")
        #expect(errors("{{items.5}}", context) == ["t.md:1:1: error: unknown variable 'items.5': 'items' is a list of 2 items; '5' is not an index in it"])
    }

    @Test func specModeIsLenientAndEscapes() throws {
        let t = try Template.compile("{{missing}}<{{x}}>{{{x}}}", origin: TemplateOrigin(path: "s"), mode: .spec)
        #expect(try t.render([["x": "a&b"]]) == "<a&amp;b>a&b")
        // Herald mode never escapes.
        #expect(try render("{{x}}|{{{x}}}|{{& x}}", ["x": "<b>&\"</b>"]) == "<b>&\"</b>|<b>&\"</b>|<b>&\"</b>")
    }

    @Test func scopesAreAStackInnermostWins() throws {
        let t = try Template.compile("{{a}} {{b}}{{#inner}} {{a}} {{b}}{{/inner}}", origin: TemplateOrigin(path: "t"))
        let out = try t.render([["a": "outer-a", "b": "outer-b"], ["a": "mid-a", "inner": ["b": "inner-b"]]])
        #expect(out == "mid-a outer-b mid-a inner-b")
    }
}

@Suite struct OptionalSectionTests {
    @Test func questionMarkMakesAnUnknownSectionFalsey() throws {
        #expect(try render("[{{#note?}}n={{note}}{{/note?}}{{^note?}}none{{/note}}]") == "[none]")
        #expect(try render("[{{#note?}}n={{note}}{{/note}}]", ["note": "hi"]) == "[n=hi]")
        #expect(try render("[{{#a.b?}}x{{/a.b}}]", ["a": [:] as Value]) == "[]")
    }

    @Test func withoutItTheErrorSaysHow() {
        #expect(errors("{{#zzz}}x{{/zzz}}") == ["t.md:1:1: error: unknown section 'zzz'; write '{{#zzz?}}' if it is optional"])
    }
}
