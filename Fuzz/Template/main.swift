import FuzzDriver
import Foundation
import HeraldTemplate

// libFuzzer target: template source in, a rendered string or diagnostics out — never a crash,
// a hang or unbounded memory. Built by `make fuzz` (-parse-as-library: libFuzzer owns main).

struct FuzzPartials: PartialResolver {
    let templates: [String: Template]
    func partial(named name: String) -> Template? { templates[name] }
    var partialNames: [String] { Array(templates.keys) }
}

let context: [Value] = [
    ["now": "2026-11-25T09:30:00+08:00", "job": ["name": "fuzz"]],
    ["version": "2.0", "count": 3, "ratio": 0.25, "ok": true, "nothing": nil,
     "items": [["name": "a", "value": 1], ["name": "b", "value": 2.5], ["name": "文字", "value": -3]],
     "tags": ["x", "y", "z"], "text": "  Straße 🎉 \"q\" \\ \n"],
]

let partials: FuzzPartials = {
    var t: [String: Template] = [:]
    let sources = ["item": "- {{name}}: {{value | number: 2}}\n", "loop": "{{#items}}{{> loop}}{{/items}}", "self": "{{> self}}"]
    for (name, source) in sources {
        if let compiled = try? Template.compile(source, origin: TemplateOrigin(path: name + ".md")) { t[name] = compiled }
    }
    return FuzzPartials(templates: t)
}()

/// The same frame with other values (and other keys): what a next message's row looks like.
let otherFrame: Value = ["version": "3.1", "count": 0, "ratio": 1.5, "ok": false, "nothing": nil,
                         "items": [["name": "c", "value": 7]], "tags": [], "text": "other", "extra": "new key"]

// Fewer passes than the default: each input renders five times here.
let options = RenderOptions(maxOutputBytes: 1 << 20, maxSectionPasses: 100_000)

/// One renderer for every input, as a run keeps one per thread: its kept lookups and remembered
/// sections must give what a fresh render gives (which runs every section).
// libFuzzer calls the target from one thread, one input at a time.
nonisolated(unsafe) let kept = TemplateRenderer(partials: partials, options: options)

func outcome(_ body: () throws(TemplateError) -> String) -> String {
    do throws(TemplateError) { return "ok " + (try body()) } catch { return "error " + error.description }
}

func fuzzTemplate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for mode in [TemplateMode.herald, .spec] {
        guard let template = try? Template.compile(source, origin: TemplateOrigin(path: "fuzz.md"), mode: mode) else { continue }
        let fresh = outcome { () throws(TemplateError) in try template.render(context, partials: partials, options: options) }
        let frames = kept.setStack { stack in context.map { stack.append($0) } }
        // Findings, not user input: libFuzzer needs a crash to report them.
        for frame in [context[1], context[1], otherFrame, context[1]] {
            kept.replace(frames[1], with: frame)
            let expected = frame == context[1] ? fresh : outcome { () throws(TemplateError) in
                try template.render([context[0], frame], partials: partials, options: options)
            }
            if outcome({ () throws(TemplateError) in try kept.render(template) }) != expected {
                fatalError("a kept renderer renders differently from a fresh one")
            }
        }
    }
    return 0
}

var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv, { data, size in fuzzTemplate(data, size) }))
