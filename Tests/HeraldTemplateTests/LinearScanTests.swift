@testable import HeraldTemplate
import Testing

/// Compiling costs time linear in the template's length, however its tags sit: the scans
/// beside the main loop (a tag's column, whether its line is standalone, where it ends) each
/// resume where the last stopped. Measured by the bytes those scans step over
/// (`TemplateParser.Output.scannedBytes`), not by a clock: counting columns from the line
/// start for every tag made 100k tags on one line take 17 s.
@Suite struct LinearScanTests {
    /// One-line templates of about `bytes` bytes, each a shape that once rescanned the line
    /// (or the rest of the text) for every tag.
    struct Shape: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var testDescription: String { name }
    }

    static func shapes(_ bytes: Int) -> [Shape] {
        func repeated(_ piece: String, prefix: String = "", suffix: String = "") -> String {
            prefix + String(repeating: piece, count: bytes / piece.utf8.count) + suffix
        }
        return [
            Shape(name: "variables", text: repeated("x{{a}}")),
            Shape(name: "sections", text: repeated("{{#a}}{{/a}}")),
            Shape(name: "comments", text: repeated(" {{! c }}")),
            Shape(name: "multibyte text", text: repeated("中{{a}}")),
            Shape(name: "tags that never close", text: repeated("{{")),
            Shape(name: "opens before one close", text: repeated("{{ ", suffix: "}}")),
            Shape(name: "custom delimiters", text: repeated("<%a%>", prefix: "{{=<% %>=}}")),
            Shape(name: "raw tags", text: repeated("{{{a}}}")),
            Shape(name: "unclosed triple mustaches between tags", text: repeated("{{{x {{y}} ")),
        ]
    }

    func scanned(_ text: String) -> Int {
        TemplateParser.parse(text, mode: .herald).scannedBytes
    }

    @Test(arguments: shapes(1 << 20))
    func aMegabyteOnOneLineIsScannedAFewTimesAtMost(_ shape: Shape) {
        let bytes = shape.text.utf8.count
        #expect(scanned(shape.text) <= 4 * bytes, "\(shape.name): \(scanned(shape.text)) bytes scanned for \(bytes)")
    }

    @Test func twiceTheTextIsTwiceTheWork() {
        for (small, large) in zip(Self.shapes(1 << 18), Self.shapes(1 << 19)) {
            let n = scanned(small.text), twice = scanned(large.text)
            #expect(n > 0)
            #expect(Double(twice) <= 2.05 * Double(n), "\(small.name): \(n) then \(twice)")
        }
    }

    // The open delimiter is compared at every byte of the text: one as long as the text would
    // make that quadratic.
    @Test func aDelimiterLongerThan32BytesIsAnError() throws {
        let long = String(repeating: "a", count: 1 << 16) + "b"
        let text = "{{=\(long) x=}}" + String(repeating: "a", count: 1 << 20)
        #expect(errors(text) == ["t.md:1:1: error: invalid delimiter change: a delimiter is at most 32 bytes long"])
        let longest = String(repeating: "a", count: 31) + "b"
        #expect(try render("{{=\(longest) x=}}" + longest + "n" + "x" + String(repeating: "a", count: 1 << 16), ["n": 1])
            == "1" + String(repeating: "a", count: 1 << 16))
    }

    @Test func positionsAtTheEndOfALongLineAreExact() throws {
        let count = 100_000
        let line = String(repeating: "中{{a}}", count: count)
        // Columns count Unicode scalars: each piece is 6.
        let found = errors(line + "{{}}", ["a": 1])
        #expect(found == ["t.md:1:\(6 * count + 1): error: empty tag"])
        let lines = line + "\n" + line + "{{#b}}\n" + "  {{/c}}"
        #expect(errors(lines, ["a": 1, "b": true]) == [
            "t.md:3:3: error: mismatched section close: expected '{{/b}}', found '{{/c}}'",
            "t.md:2:\(6 * count + 1): error: unclosed section 'b': add '{{/b}}'",
        ])
    }

    @Test func aStandaloneTagAfterALongLineStillStandsAlone() throws {
        let long = String(repeating: "{{a}} ", count: 50_000)
        let template = try Template.compile(long + "\n  {{#b}}\nx\n  {{/b}}\n", origin: TemplateOrigin(path: "t.md"))
        let out = try template.render([["a": 1, "b": true]])
        #expect(out == String(repeating: "1 ", count: 50_000) + "\nx\n")
    }
}
