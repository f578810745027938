import Foundation
import HeraldTemplate
import Testing

/// A reused `TemplateRenderer` (kept lookups per tag, frames replaced from one message to the
/// next, a sole tag answered without the buffer) and the direct `truncate` give exactly what
/// a fresh `Template.render` gives, output and errors alike.
@Suite struct RendererReuseTests {
    static func outcome(_ body: () throws(TemplateError) -> String) -> String {
        do throws(TemplateError) {
            return "ok: " + (try body())
        } catch {
            return "error: " + error.description
        }
    }

    @Test func reusedRendererEqualsFreshRenders() throws {
        let sources = [
            "{{a}}-{{row.x}}-{{row.y | upper}}{{#row.l}}[{{.}}]{{/row.l}}{{^row.z?}}no z{{/row.z?}}",
            "{{row.x}}", "{{ row.y }}", "{{b | default: \"none\"}} {{row.x | truncate: 2}}", "{{#list}}{{x}}{{a}}{{/list}}",
            "{{row.missing}}", "{{row}}", "{{a}}{{a}}{{row.x}}{{row.x}}",
        ]
        let templates = try sources.map { try Template.compile($0, origin: TemplateOrigin(path: "t.md")) }
        var rng = RobustnessTests.SplitMix64(state: 3)
        let sharedKeys = ["x", "y", "l"]
        let base: Value = ["a": "A", "list": [["x": 1], ["x": 2, "a": "inner"], "plain"]]
        let other: Value = ["a": "other A", "b": "B"]
        let engine = TemplateRenderer()
        var frames: [ContextFrame] = []
        for _ in 0..<3000 {
            // Rows sharing one keys array (as CSV rows do), or with keys of their own, or none.
            let row: Value
            switch Int.random(in: 0..<4, using: &rng) {
            case 0, 1:
                row = .map(OrderedMap(distinctKeys: sharedKeys, values: [.string("x\(Int.random(in: 0..<9, using: &rng))"),
                                                                        .string(["abc", "Déjà", "ǅ"][Int.random(in: 0..<3, using: &rng)]),
                                                                        .list([1, "two"])]))
            case 2: row = ["y": "only y", "x": .int(Int.random(in: 0..<5, using: &rng)), "z": true]
            default: row = "a string row"
            }
            let outer = Bool.random(using: &rng) ? base : other
            let stack: [Value] = [outer, ["row": row]]
            if Bool.random(using: &rng) || frames.isEmpty || !engine.replace(frames[1], with: stack[1]) {
                frames = engine.setStack(stack)
            } else if !engine.replace(frames[0], with: outer) {
                Issue.record("frame 0 not replaced")
            }
            let template = templates[Int.random(in: 0..<templates.count, using: &rng)]
            #expect(Self.outcome { () throws(TemplateError) in try engine.render(template) }
                        == Self.outcome { () throws(TemplateError) in try template.render(stack) }, "\(template.source) with \(stack)")
        }
    }

    /// A section's bytes are replayed from an earlier message only while every frame it read
    /// is the same: here the vars frame (0) mostly stays, sometimes changes to an equal or a
    /// different list, and the row frame (1) changes every time; sections read vars only, the
    /// row, an enclosing section's item, or a missing name.
    @Test func sectionsAreReplayedOnlyWhileWhatTheyReadStays() throws {
        let sources = [
            "{{#list}}- {{.}}\n{{/list}}{{row.x}}",
            "{{#list}}{{.}}:{{row.x}};{{/list}}",
            "{{#items}}{{#list}}{{.}}{{/list}}|{{/items}}",
            "{{#items}}{{#tags}}{{name}}{{.}}{{/tags}}/{{/items}}",
            "{{#items}}{{name}}{{#list}}{{.}}{{/list}}{{/items}}{{#list}}{{.}}{{/list}}",
            "{{^row.z?}}no z {{#list}}{{.}}{{/list}}{{/row.z?}}",
            "{{#list}}{{missing | default: \"d\"}}{{/list}}",
            "{{>p}}{{>p}}{{row.x}}",
            "{{#row}}{{x}}{{/row}}{{#list}}{{.}}{{/list}}",
            "{{#list | first: 2}}{{.}}{{/list}}{{#flag}}[{{#list}}{{.}}{{/list}}]{{/flag}}",
        ]
        let partials = ["p": "{{#list}}<{{.}}>{{/list}}"]
        let resolver = try Partials(partials)
        let templates = try sources.map { try Template.compile($0, origin: TemplateOrigin(path: "t.md")) }
        var rng = RobustnessTests.SplitMix64(state: 11)
        let lists: [Value] = [["a", "b", "c"], ["a", "b", "c"], ["x"], []]
        func vars(_ k: Int) -> Value {
            ["list": lists[k], "flag": .bool(k != 2),
             "items": [["name": "N1", "tags": [1, 2]], ["name": "N2", "tags": [3]], ["tags": ["t"]]]]
        }
        let engine = TemplateRenderer(partials: resolver)
        var runsAll = RenderOptions()
        runsAll.replaysSections = false
        var current: Value = vars(0)
        let frames = engine.setStack([current, ["row": ["x": "0"]]])
        for i in 0..<2000 {
            let rowMap = Value.map(OrderedMap(distinctKeys: ["x", "z"], values: [.string("r\(i)"), .bool(i % 5 == 0)]))
            let row: Value = ["row": rowMap]
            // The row's frame replaced whole, or its one value set in place.
            if Bool.random(using: &rng) {
                engine.replace(frames[1], with: row)
            } else if !engine.replaceValue(forKey: "row", in: frames[1], with: rowMap) {
                Issue.record("row not replaced in place")
            }
            if Int.random(in: 0..<8, using: &rng) == 0 {
                current = vars(Int.random(in: 0..<lists.count, using: &rng))
                engine.replace(frames[0], with: current)
            }
            let stack = [current, row]
            let template = templates[Int.random(in: 0..<templates.count, using: &rng)]
            #expect(Self.outcome { () throws(TemplateError) in try engine.render(template) }
                        == Self.outcome { () throws(TemplateError) in try template.render(stack, partials: resolver, options: runsAll) },
                    "\(template.source) with \(stack)")
        }
    }

    /// Setting a value in a frame: only a frame of the stack that has the key; what renders
    /// next sees it, and a frame held elsewhere too is not changed under its other holder.
    @Test func aValueSetInAFrameIsSeenByTheNextRender() throws {
        let template = try Template.compile("{{row.x}} {{#row.l}}{{.}}{{/row.l}}", origin: TemplateOrigin(path: "t.md"))
        let engine = TemplateRenderer()
        let held: Value = ["row": ["x": "1", "l": [1, 2]]]
        let frames = engine.setStack([["a": "A"], held])
        #expect(try engine.render(template) == "1 12")
        #expect(engine.replaceValue(forKey: "row", in: frames[1], with: ["x": "2", "l": [3]]))
        #expect(try engine.render(template) == "2 3")
        #expect(held == ["row": ["x": "1", "l": [1, 2]]])
        #expect(!engine.replaceValue(forKey: "nope", in: frames[1], with: "x"))
        #expect(!engine.replaceValue(forKey: "a", in: frames[1], with: "x"))
        #expect(try engine.render(template) == "2 3")
    }

    /// A frame's handle names a frame of the stack it was made for only: once the stack is set
    /// again, or for a stack no renderer holds, it changes nothing.
    @Test func aFrameOfAnotherStackIsRefused() throws {
        let template = try Template.compile("{{a}}", origin: TemplateOrigin(path: "t.md"))
        let engine = TemplateRenderer()
        let old = engine.setStack([["a": "old"]])
        let new = engine.setStack([["a": "new"]])
        #expect(!engine.replace(old[0], with: ["a": "stale"]))
        #expect(!engine.replaceValue(forKey: "a", in: old[0], with: "stale"))
        var standalone = ContextStack()
        let own = standalone.append(["a": "own"])
        #expect(!engine.replace(own, with: ["a": "own"]))
        #expect(try engine.render(template) == "new")
        #expect(engine.replace(new[0], with: ["a": "newer"]))
        #expect(try engine.render(template) == "newer")
        #expect(standalone.frames == [["a": "own"]])
    }

    /// Many templates with sections inside sections and partials, more than the renderer
    /// remembers sections of (it starts over at 16, sometimes in the middle of a section), on
    /// one renderer: each render equals a fresh one that runs every section.
    @Test func manySectionsInsideSectionsEqualFreshRenders() throws {
        let shapes = [
            "{{#list}}- {{.}}\n{{/list}}{{^list}}none{{/list}}",
            "{{#list}}{{#inner}}[{{.}}]{{/inner}}{{/list}}{{>p}}",
            "{{#inner}}{{#list}}{{.}}{{/list}}{{/inner}}{{s | upper}}",
            "{{>p}}{{#list}}{{>p}}{{/list}}",
        ]
        // Each shape four times over, as different templates.
        let sources = (0..<16).map { "\($0): " + shapes[$0 % shapes.count] }
        let resolver = try Partials(["p": "<{{s}}>{{#list}}{{.}}{{/list}}"])
        let templates = try sources.map { try Template.compile($0, origin: TemplateOrigin(path: "t.md")) }
        var runsAll = RenderOptions()
        runsAll.replaysSections = false
        var rng = RobustnessTests.SplitMix64(state: 5)
        let engine = TemplateRenderer(partials: resolver)
        var frames: [ContextFrame] = []
        let samples: [Value] = ["", "a", "b", "中文😀", .int(-12)]
        for _ in 0..<1500 {
            func pick() -> Value { samples[Int.random(in: 0..<samples.count, using: &rng)] }
            let list: Value = Bool.random(using: &rng) ? .list([pick(), pick()]) : .list([])
            let frame: Value = ["s": pick(), "list": list, "inner": .list([pick()])]
            if Int.random(in: 0..<4, using: &rng) == 0 || frames.isEmpty || !engine.replace(frames[1], with: frame) {
                frames = engine.setStack([["top": "x"], frame])
            }
            let template = templates[Int.random(in: 0..<templates.count, using: &rng)]
            #expect(Self.outcome { () throws(TemplateError) in try engine.render(template) }
                        == Self.outcome { () throws(TemplateError) in try template.render([["top": "x"], frame], partials: resolver, options: runsAll) },
                    "\(template.source) with \(frame)")
        }
    }

    /// A replayed section's passes count as if it ran: the limit is met at the same place.
    @Test func replayedPassesCountTowardsTheLimit() throws {
        var options = RenderOptions()
        options.maxSectionPasses = 5
        let resolver = try Partials(["p": "{{#list}}{{.}}{{/list}}"])
        let template = try Template.compile("{{>p}}{{>p}}", origin: TemplateOrigin(path: "t.md"))
        let engine = TemplateRenderer(partials: resolver, options: options)
        engine.setStack([["list": ["a", "b", "c"]]])
        for _ in 0..<2 {
            #expect(Self.outcome { () throws(TemplateError) in try engine.render(template) }.contains("sections repeat more than 5 times"))
        }
        let fits = try Template.compile("{{>p}}", origin: TemplateOrigin(path: "t.md"))
        #expect(try engine.render(fits) == "abc")
        #expect(try engine.render(fits) == "abc")
    }

    @Test func truncateCountsCharacters() throws {
        let template = try Template.compile("{{s | truncate: 3}}", origin: TemplateOrigin(path: "t.md"))
        for s in ["", "ab", "abc", "abcd", "a\r\nbcd", "ab\r\n", "\r\n\r\nx", "é", "ab😀c", "e\u{301}bcd", "abc\u{301}d", "abcdefgh"] {
            let expected = s.count > 3 ? String(s.prefix(3)) + "…" : s
            #expect(try template.render([["s": .string(s)]]) == expected, "\(s.debugDescription)")
        }
        #expect(try template.render([["s": 12345]]) == "123…")
    }
}
