import Foundation
import HeraldTemplate

/// A job-file-like origin: template line 1 at file line 12 column 9, later lines at column 7.
let blockOrigin = TemplateOrigin(path: "job.yaml", line: 12, column: 9, continuationColumn: 7)

struct Partials: PartialResolver {
    var templates: [String: Template]
    func partial(named name: String) -> Template? { templates[name] }
    var partialNames: [String] { Array(templates.keys) }

    init(_ sources: [String: String]) throws {
        var compiled: [String: Template] = [:]
        for (name, text) in sources { compiled[name] = try Template.compile(text, origin: TemplateOrigin(path: "\(name).md")) }
        templates = compiled
    }
}

func render(_ text: String, _ context: Value = [:], partials: [String: String] = [:],
            zone: String = "UTC", origin: TemplateOrigin = TemplateOrigin(path: "t.md")) throws -> String {
    let template = try Template.compile(text, origin: origin)
    return try template.render([context], partials: try Partials(partials),
                               options: RenderOptions(timeZone: TimeZone(identifier: zone) ?? .current))
}

/// The diagnostics of compiling or rendering, as printed.
func errors(_ text: String, _ context: Value = [:], partials: [String: String] = [:],
            origin: TemplateOrigin = TemplateOrigin(path: "t.md")) -> [String] {
    do {
        _ = try render(text, context, partials: partials, origin: origin)
        return []
    } catch let error as TemplateError {
        return error.diagnostics.map(\.description)
    } catch {
        return ["\(error)"]
    }
}

extension TemplateRenderer {
    /// Sets the stack to `frames` (outermost first) and gives each frame's handle, in order.
    @discardableResult
    func setStack(_ frames: [Value]) -> [ContextFrame] {
        setStack { stack in frames.map { stack.append($0) } }
    }
}
