import HeraldTemplate
import Testing

/// The renderer's shortcuts (per-tag lookup hints, filters that print directly, `number`
/// in binary arithmetic, text runs joined at compile time) give what the plain path gives.
@Suite struct RenderPathTests {
    /// `number: places` as docs/templates.md words it, on the decimal text: round `d.description`
    /// half away from zero. Independent of the engine's arithmetic shortcut.
    static func referenceFixed(_ d: Double, places: Int) -> String {
        var text = Substring(d.description)
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var digits = Array((parts[0] + (parts.count > 1 ? parts[1] : "")).utf8).map { Int($0) - 48 }
        var point = parts[0].count + exponent
        if point < 0 {
            digits = Array(repeating: 0, count: -point) + digits
            point = 0
        }
        while digits.count < point + places + 1 { digits.append(0) }
        var kept = Array(digits[..<(point + places)])
        if digits[point + places] >= 5 {
            var k = kept.count - 1
            while k >= 0, kept[k] == 9 { kept[k] = 0; k -= 1 }
            if k >= 0 { kept[k] += 1 } else { kept.insert(1, at: 0); point += 1 }
        }
        var whole = kept[..<point].drop { $0 == 0 }.map(String.init).joined()
        if whole.isEmpty { whole = "0" }
        let fraction = kept[point...].map(String.init).joined()
        let sign = negative && kept.contains { $0 != 0 } ? "-" : ""
        return sign + whole + (places > 0 ? "." + fraction : "")
    }

    @Test func numberMatchesRoundingTheDecimalText() throws {
        let template = try Template.compile("{{d | number: 0}} {{d | number: 1}} {{d | number: 2}} {{d | number: 3}} {{d | number: 7}}",
                                            origin: TemplateOrigin(path: "n.md"))
        var rng = RobustnessTests.SplitMix64(state: 7)
        var values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, -2.5, 2.675, 1.005, 0.125, 0.045, 9.995, 99.995, -0.004, -0.005,
                                1e-7, -1e-7, .leastNonzeroMagnitude, 1.0 / 3, 123456789.125, 4503599627370495.5, 1e15, 1e16, 1e300]
        for _ in 0..<20000 {
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: values.append(Double(Int.random(in: -9_999_999...9_999_999, using: &rng)) / [2, 8, 20, 200, 2000, 1000][Int.random(in: 0..<6, using: &rng)])
            case 1: values.append(Double(Int.random(in: -999_999...999_999, using: &rng)) / 1000 + 0.0005)
            default: values.append(Double(bitPattern: rng.next() & 0x43FF_FFFF_FFFF_FFFF))
            }
        }
        for d in values {
            let expected = [0, 1, 2, 3, 7].map { Self.referenceFixed(d, places: $0) }.joined(separator: " ")
            #expect(try template.render([["d": .double(d)]]) == expected, "\(d)")
        }
    }

    @Test func numberOnIntegersAndTheRest() throws {
        #expect(try render("{{n | number: 2}} {{m | number: 0}} {{s | number: 1}}", ["n": -7, "m": 42, "s": "2.25"]) == "-7.00 42 2.3")
        #expect(try render("{{n | number: 2}}", ["n": .int(Int.min)]) == "\(Int.min).00")
        #expect(errors("{{d | number: 2}}", ["d": .double(.infinity)]) == ["t.md:1:1: error: filter 'number' needs a number, but 'd' is a number"])
    }

    @Test func caseFiltersOnASCIIAndBeyond() throws {
        #expect(try render("{{s | upper}}|{{s | lower}}", ["s": "Mixed Case 42!"]) == "MIXED CASE 42!|mixed case 42!")
        #expect(try render("{{s | upper}}|{{s | lower}}", ["s": "ǅ straße"]) == "Ǆ STRASSE|ǆ straße")
        #expect(try render("{{s | lower | upper}}", ["s": "abc"]) == "ABC")
        #expect(try render("{{b | upper}}", ["b": true]) == "TRUE")
    }

    @Test func hintsFollowKeysThatMove() throws {
        let rows: Value = ["rows": [["a": 1, "b": 2], ["b": 3, "a": 4], ["c": 5, "a": 6, "b": 7], ["a": 8, "b": 9]]]
        #expect(try render("{{#rows}}{{a}}{{b}};{{/rows}}", rows) == "12;43;67;89;")
        // An inner map without the name falls through to the outer one, whatever the hint says.
        let scoped: Value = ["x": "outer", "rows": [["x": "in"], ["y": 1], ["x": "again"]]]
        #expect(try render("{{#rows}}{{x}},{{/rows}}", scoped) == "in,outer,again,")
    }

    @Test func bigMapsAndDottedNames() throws {
        let keys = (0..<40).map { "k\($0)" }
        let big = OrderedMap(distinctKeys: keys, values: keys.map { .string($0.uppercased()) })
        let context: Value = ["m": .map(big), "list": [["k7": "a"], .map(big)]]
        #expect(try render("{{m.k3}} {{m.k39}} {{#list}}{{k7}}{{/list}} {{list.1.k20}}", context) == "K3 K39 aK7 K20")
    }

    @Test func textAroundCommentsAndSectionsKeepsItsPlace() throws {
        let context: Value = ["s": true, "n": false, "l": [1, 2]]
        #expect(try render("a{{! c }}b{{#s}}x{{! d }}y{{/s}}z{{^n}}!{{/n}}{{#l}}<{{.}}>{{/l}}.", context) == "abxyz!<1><2>.")
        #expect(try render("{{#n}}gone{{! c }}gone{{/n}}after", context) == "after")
    }

    @Test func outputIsTheSameUnicode() throws {
        let text = "中文 {{a}} 😀 {{b}} ·\n{{#l}}{{.}}é{{/l}}"
        #expect(try render(text, ["a": "家族👨‍👩‍👧", "b": 1.5, "l": ["ü", "ß"]]) == "中文 家族👨‍👩‍👧 😀 1.5 ·\nüéßé")
    }

    @Test func outputLimitNamesTheTagThatCrossedIt() throws {
        let t = try Template.compile("abc\n{{v}}", origin: TemplateOrigin(path: "o.md"))
        let limit = RenderOptions(maxOutputBytes: 5)
        #expect(throws: TemplateError.self) { try t.render([["v": "long value"]], options: limit) }
        do {
            _ = try t.render([["v": "long value"]], options: limit)
        } catch {
            #expect(error.description == "o.md:2:1: error: rendered output exceeds 5 bytes; refusing to go on")
        }
        do {
            _ = try t.render([["v": "x"]], options: RenderOptions(maxOutputBytes: 2))
        } catch {
            #expect(error.description == "o.md:1:1: error: rendered output exceeds 2 bytes; refusing to go on")
        }
    }
}
