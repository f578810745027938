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

func fuzzTemplate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for mode in [TemplateMode.herald, .spec] {
        guard let template = try? Template.compile(source, origin: TemplateOrigin(path: "fuzz.md"), mode: mode) else { continue }
        _ = try? template.render(context, partials: partials, options: RenderOptions(maxOutputBytes: 1 << 20))
    }
    return 0
}

var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv, { data, size in fuzzTemplate(data, size) }))
