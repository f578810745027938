import HeraldTemplate
import Testing

/// Hostile and random input: only values or errors, never a crash, a hang or unbounded output.
@Suite struct RobustnessTests {
    /// Deterministic PRNG (SplitMix64) so a failure can be reproduced.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces = ["{{", "}}", "{{{", "}}}", "#", "^", "/", "!", ">", "&", "=", "|", ".", "a", "b", "a.b", " ", "\n", "\r\n",
                         "\t", "{{#a}}", "{{/a}}", "{{^b}}", "{{/b}}", "{{a}}", "{{> p}}", "{{=<% %>=}}", "<%", "%>", "{{.}}",
                         "| upper", "| truncate: 2", "| date: \"yyyy\"", "| number: 1", "| join: \",\"", "| default: \"x\"", "\"",
                         "中", "😀", "\u{0}", "x", "| first: 1", "| skip: 1", "?", "{{#a | first: 1}}", "{{^b | skip: 1}}"]
    static let context: Value = ["a": [1, ["b": "x"]], "b": nil, "p": "v"]

    @Test func randomTemplatesGiveValuesOrErrors() throws {
        var rng = SplitMix64(state: 42)
        let partials = try Partials(["p": "{{a}}{{> p}}"])
        var compiled = 0, failed = 0
        for _ in 0..<4000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...30, using: &rng) { text += Self.pieces.randomElement(using: &rng) ?? "" }
            for mode in [TemplateMode.herald, .spec] {
                do {
                    let t = try Template.compile(text, origin: TemplateOrigin(path: "r"), mode: mode)
                    compiled += 1
                    _ = try? t.render([Self.context], partials: partials, options: RenderOptions(maxOutputBytes: 1 << 16))
                } catch {
                    failed += 1
                    #expect(!error.diagnostics.isEmpty)
                }
            }
        }
        #expect(compiled > 100 && failed > 100, "the generator exercises both paths (\(compiled) compiled, \(failed) failed)")
    }

    @Test func everyTruncationOfRealTemplatesIsHandled() throws {
        let real = """
        ## {{product | upper}} {{version}} released
        {{#changes}}
        - {{.}} {{! note }}
        {{/changes}}
        {{^changes}}nothing{{/changes}}
        {{#changes? | skip: 1 | first: 2}}+{{.}}{{/changes}}{{^changes | first: 1}}-{{/changes}} of {{changes | count}}
        {{=<% %>=}}<% owner | default: "n/a" %><%={{ }}=%>
        {{> footer}} {{{raw}}} {{& amp}} {{n | number: 2}}
        """
        let scalars = Array(real.unicodeScalars)
        for end in 0...scalars.count {
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars[..<end])
            for mode in [TemplateMode.herald, .spec] {
                if let t = try? Template.compile(text, origin: TemplateOrigin(path: "r"), mode: mode) {
                    _ = try? t.render([["product": "p", "version": 1, "changes": ["x"], "raw": "r", "amp": "&", "n": 1.5]])
                }
            }
        }
    }

    @Test func gigantomaniaStopsAtTheOutputLimit() throws {
        let big: Value = ["outer": .list(Array(repeating: .int(1), count: 1000)), "inner": .list(Array(repeating: .int(1), count: 1_000_000))]
        let t = try Template.compile("{{#outer}}{{#inner}}xxxxxxxxxx{{/inner}}{{/outer}}", origin: TemplateOrigin(path: "g"))
        #expect(throws: TemplateError.self) { try t.render([big], options: RenderOptions(maxOutputBytes: 1 << 20)) }
        do {
            _ = try t.render([big], options: RenderOptions(maxOutputBytes: 1 << 20))
        } catch {
            #expect(error.diagnostics.first?.message == "rendered output exceeds 1048576 bytes; refusing to go on")
        }
    }
}
