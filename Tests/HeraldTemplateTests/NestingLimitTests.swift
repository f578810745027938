@testable import HeraldTemplate
import Testing

/// Sections nest at most `TemplateParser.maxSectionDepth` deep in one template: past it the
/// tag is an error and nothing nests further, so no tree grows deep enough for the recursion
/// that lowers, renders or frees it to exhaust the stack, whatever the input.
// A hang guard, not a timing assertion: before the limit held, 10^6 levels never finished.
@Suite(.timeLimit(.minutes(10))) struct NestingLimitTests {
    static let limit = TemplateParser.maxSectionDepth
    static let million = 1_000_000

    func diagnostics(_ text: String, mode: TemplateMode = .herald, origin: TemplateOrigin = TemplateOrigin(path: "t.md")) -> [String] {
        do {
            _ = try Template.compile(text, origin: origin, mode: mode)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    func depthError(_ path: String, _ line: Int, _ column: Int, _ tag: String) -> String {
        "\(path):\(line):\(column): error: '\(tag)' nests sections deeper than 100 levels, the limit in one template: "
            + "close some before opening more, or move the inner ones into a partial"
    }

    @Test func theLimitIsOneHundred() {
        #expect(Self.limit == 100)
    }

    @Test func oneHundredLevelsCompileAndRender() throws {
        let text = String(repeating: "{{#a}}", count: Self.limit) + "x" + String(repeating: "{{/a}}", count: Self.limit)
        let template = try Template.compile(text, origin: TemplateOrigin(path: "t.md"))
        #expect(try template.render([["a": true]]) == "x")
    }

    @Test func theTagPastTheLimitIsTheError() {
        let depth = Self.limit + 1
        let text = String(repeating: "{{#a}}", count: depth) + String(repeating: "{{/a}}", count: depth)
        // Only the one error: the closes still match their sections.
        #expect(diagnostics(text) == [depthError("t.md", 1, 1 + Self.limit * 6, "{{#a}}")])
    }

    @Test func theErrorIsPlacedInTheFile() {
        let text = "{{#a}}\n" + String(repeating: "  {{^b?}}\n", count: Self.limit) + String(repeating: "{{/b}}\n", count: Self.limit) + "{{/a}}\n"
        // Level 101 is template line 101: file line 112, after the block scalar's indentation (column 7) and two spaces.
        #expect(diagnostics(text, origin: blockOrigin) == [depthError("job.yaml", 12 + Self.limit, 9, "{{^b?}}")])
    }

    @Test func everyCrossingOfTheLimitIsReported() {
        let deep = String(repeating: "{{#a}}", count: Self.limit + 5) + String(repeating: "{{/a}}", count: Self.limit + 5)
        let found = diagnostics(deep + "\n" + deep)
        #expect(found == [depthError("t.md", 1, 601, "{{#a}}"), depthError("t.md", 2, 601, "{{#a}}")])
    }

    @Test func errorsPastTheLimitAreStillFound() {
        let text = String(repeating: "{{#a}}", count: Self.limit + 1) + "{{}}" + String(repeating: "{{/a}}", count: Self.limit + 1) + "{{/z}}"
        #expect(diagnostics(text) == [depthError("t.md", 1, 601, "{{#a}}"), "t.md:1:607: error: empty tag",
                                      "t.md:1:1217: error: '{{/z}}' closes a section that was never opened"])
    }

    // The 100 sections around them are unclosed too, but saying so would bury the one error that matters.
    @Test func aMillionOpenSectionsAreOneError() {
        #expect(diagnostics(String(repeating: "{{#a}}", count: Self.million)) == [depthError("t.md", 1, 601, "{{#a}}")])
    }

    @Test func sectionsLeftOpenWithinTheLimitAreStillReported() {
        let text = "{{#a}}{{#b}}" + String(repeating: "{{#c}}", count: Self.limit) + String(repeating: "{{/c}}", count: Self.limit)
        #expect(diagnostics(text) == [depthError("t.md", 1, 13 + 98 * 6, "{{#c}}"),
                                      "t.md:1:7: error: unclosed section 'b': add '{{/b}}'",
                                      "t.md:1:1: error: unclosed section 'a': add '{{/a}}'"])
    }

    @Test func aMillionBalancedSectionsAreOneError() {
        let text = String(repeating: "{{#a}}", count: Self.million) + String(repeating: "{{/a}}", count: Self.million)
        #expect(diagnostics(text) == [depthError("t.md", 1, 601, "{{#a}}")])
    }

    @Test func aMillionStandaloneLinesOfSections() {
        let found = diagnostics(String(repeating: "{{#a}}\n", count: Self.million), mode: .spec)
        #expect(found == [depthError("t.md", Self.limit + 1, 1, "{{#a}}")])
    }

    @Test func aMillionOfSectionsInvertedSectionsAndPartialsMixed() {
        let mix = ["{{#a}}", "{{^b}}", "{{> p}}", "{{#c? | first: 1}}", "x", "{{/c}}", "{{^d}}"]
        var text = ""
        for i in 0..<Self.million { text += mix[i % mix.count] }
        let herald = diagnostics(text)
        #expect(herald.count == 1)
        #expect(herald.first?.hasPrefix("t.md:1:") == true)
        #expect(herald.first?.contains("nests sections deeper than 100 levels") == true)
        // Spec mode has no section filters: there each `{{#c? | first: 1}}` is an error of its own.
        #expect(diagnostics(text, mode: .spec).contains { $0.contains("nests sections deeper than 100 levels") })
    }

    @Test func sectionsThatFailToParseStillCountTowardsTheLimit() {
        // Sections whose tag is an error still open (so their close matches): they nest too.
        for open in ["{{#a b}}", "{{#a | nosuchfilter}}", "{{#a | first: 1?}}"] {
            let found = diagnostics(String(repeating: open, count: 1000))
            #expect(found.contains(depthError("t.md", 1, 1 + Self.limit * open.unicodeScalars.count, open)), "\(open)")
        }
    }

    // Inverted sections push no frame, so the pass count does not see them: the partial tag
    // counts every section open around it, and the render recursion stays bounded.
    @Test func invertedSectionsThroughRecursivePartialsStopAtTheNestingLimit() {
        let nested = String(repeating: "{{^no}}", count: Self.limit) + "{{> p}}" + String(repeating: "{{/no}}", count: Self.limit)
        #expect(errors("{{> p}}", ["no": false], partials: ["p": nested])
            == ["p.md:1:701: error: sections nest more than 200 levels deep (counting those in partials); refusing to go on"])
    }

    @Test func aPartialInsideExactlyTheNestingLimitRenders() throws {
        let around = { (next: String) in String(repeating: "{{^no}}", count: Self.limit) + "{{> \(next)}}" + String(repeating: "{{/no}}", count: Self.limit) }
        #expect(try render("{{> p}}", ["no": false], partials: ["p": around("q"), "q": around("r"), "r": "x"]) == "x")
        #expect(errors("{{> p}}", ["no": false], partials: ["p": around("q"), "q": around("r"), "r": "{{^no}}x{{/no}}"]).isEmpty)
        #expect(errors("{{^no}}{{> p}}{{/no}}", ["no": false], partials: ["p": around("q"), "q": around("r"), "r": "x"])
            == ["q.md:1:701: error: sections nest more than 200 levels deep (counting those in partials); refusing to go on"])
    }
}
