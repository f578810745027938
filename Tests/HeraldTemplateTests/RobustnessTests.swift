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

    /// Every prefix of a real template compiles and renders, or fails with a diagnostic; the
    /// whole and a few cut points give exactly these outputs and errors.
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
        let context: Value = ["product": "p", "version": 1, "changes": ["x"], "raw": "r", "amp": "&", "n": 1.5]
        let partials = try Partials(["footer": "-- {{product}}"])
        /// Each prefix's outcome: its output, or the first diagnostic's message.
        func outcome(_ text: String, _ mode: TemplateMode) -> String {
            do {
                let t = try Template.compile(text, origin: TemplateOrigin(path: "r"), mode: mode)
                return "output: " + (try t.render([context], partials: partials))
            } catch {
                return "error: " + (error.diagnostics.first?.message ?? "(no diagnostic)")
            }
        }
        let scalars = Array(real.unicodeScalars)
        var outcomes: [TemplateMode: [String]] = [:]
        for end in 0...scalars.count {
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars[..<end])
            for mode in [TemplateMode.herald, .spec] { outcomes[mode, default: []].append(outcome(text, mode)) }
        }
        for mode in [TemplateMode.herald, .spec] {
            let all = outcomes[mode] ?? []
            #expect(all.count == scalars.count + 1)
            // Every failure says why.
            #expect(!all.contains("error: (no diagnostic)"), "\(mode)")
            #expect(all.first == "output: ")
        }
        let herald = outcomes[.herald] ?? []
        #expect(herald.last == "output: ## P 1 released\n- x \n\n of 1\nn/a\n-- p r & 1.50")
        // Cut inside the first tag: an unclosed tag, named as such.
        #expect(herald[6] == "error: unclosed tag: missing '}}'")
        // Cut inside the first section: the section left open.
        let insideSection = real.utf8.count - real.drop(while: { $0 != "-" }).utf8.count + 1
        #expect(herald[insideSection] == "error: unclosed section 'changes': add '{{/changes}}'")
        // The spec's rules take no filters in section tags: the whole template is refused.
        #expect(outcomes[.spec]?.last == "error: filters are not allowed in section tags; use them in {{name | filter}} tags")
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
