import Foundation

/// Walks compiled nodes against a context stack, writing UTF-8 into one buffer (appending
/// bytes costs a fifth of appending to a String, which re-checks its flags every time).
struct Renderer {
    let partials: (any PartialResolver)?
    let options: RenderOptions
    var stack: [Value]
    var out: [UInt8] = []
    var partialDepth = 0
    var sectionPasses = 0
    /// The caller's frames; sections push above them.
    let baseDepth: Int

    init(stack: [Value], partials: (any PartialResolver)?, options: RenderOptions) {
        self.stack = stack
        self.baseDepth = stack.count
        self.partials = partials
        self.options = options
        out.reserveCapacity(256)
    }

    mutating func render(_ nodes: [TemplateNode], in template: Template) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                Self.append(text, to: &out)
            case .variable(let variable):
                Self.append(try value(of: variable, in: template), to: &out)
            case .section(let section):
                try render(section, in: template)
            case .partial(let call):
                try render(call, in: template)
            }
            if out.count > options.maxOutputBytes {
                throw template.error(at: nodePosition(node), "rendered output exceeds \(options.maxOutputBytes) bytes; refusing to go on")
            }
        }
    }

    private static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    /// The output as text; it was built from whole strings, so it is valid UTF-8.
    var text: String { String(decoding: out, as: UTF8.self) }

    private func nodePosition(_ node: TemplateNode) -> TextPosition {
        switch node {
        case .text: return TextPosition(line: 1, column: 1)
        case .variable(let v): return v.position
        case .section(let s): return s.position
        case .partial(let p): return p.position
        }
    }

    private func value(of variable: Variable, in template: Template) throws(TemplateError) -> String {
        var current: Value
        switch Lookup.resolve(variable.name, in: stack) {
        case .found(let v):
            current = v
        case .missing(let failed, let known, let broken):
            if template.mode == .spec { return "" }
            guard variable.hasDefault else {
                throw template.error(at: variable.position, Lookup.message("variable", variable.name, failed: failed, known: known, brokenValue: broken))
            }
            current = .null
        }
        for call in variable.filters {
            switch FilterEvaluation.apply(call, to: current, name: variable.name.text, timeZone: options.timeZone) {
            case .success(let v): current = v
            case .failure(let e): throw template.error(at: variable.position, e.message)
            }
        }
        let text = current.printed
        return template.mode == .spec && !variable.raw ? HTMLEscaping.escape(text) : text
    }

    /// A section's value after its filters, left to right; a filter's error is placed at the tag.
    /// (Value tags run the same loop inline: it is their hot path.)
    private func filtered(_ value: Value, by section: Section, in template: Template) throws(TemplateError) -> Value {
        var current = value
        for call in section.filters {
            switch FilterEvaluation.apply(call, to: current, name: section.name.text, timeZone: options.timeZone) {
            case .success(let v): current = v
            case .failure(let e): throw template.error(at: section.position, e.message)
            }
        }
        return current
    }

    private mutating func render(_ section: Section, in template: Template) throws(TemplateError) {
        var value: Value
        switch Lookup.resolve(section.name, in: stack) {
        case .found(let v):
            value = v
        case .missing(let failed, let known, let broken):
            // As in a variable tag, a `default` in the filters accepts an unknown name.
            if template.mode == .herald, !section.optional, !section.hasDefault {
                var message = Lookup.message("section", section.name, failed: failed, known: known, brokenValue: broken)
                if !message.contains("did you mean") {
                    let filters = section.filters.map { " | " + $0.sourceText }.joined()
                    message += "; write '{{\(section.inverted ? "^" : "#")\(section.name.text)?\(filters)}}' if it is optional"
                }
                throw template.error(at: section.position, message)
            }
            value = .null
        }
        // `{{#rows | first: 10}}`: only sections with filters pay for them.
        if !section.filters.isEmpty {
            value = try filtered(value, by: section, in: template)
        }
        if section.inverted {
            if !value.isTruthy { try render(section.children, in: template) }
            return
        }
        guard value.isTruthy else { return }
        if case .list(let items) = value {
            for item in items {
                try countPass(section, in: template)
                stack.append(item)
                defer { stack.removeLast() }
                try render(section.children, in: template)
            }
        } else {
            try countPass(section, in: template)
            stack.append(value)
            defer { stack.removeLast() }
            try render(section.children, in: template)
        }
    }

    private mutating func countPass(_ section: Section, in template: Template) throws(TemplateError) {
        // Every name lookup walks the context stack, so depth costs twice: bound it.
        if stack.count - baseDepth >= options.maxSectionNesting {
            throw template.error(at: section.position,
                                 "sections nest more than \(options.maxSectionNesting) levels deep (counting those in partials); refusing to go on")
        }
        sectionPasses += 1
        if sectionPasses > options.maxSectionPasses {
            throw template.error(at: section.position,
                                 "sections repeat more than \(options.maxSectionPasses) times in one render; refusing to go on")
        }
    }

    private mutating func render(_ call: PartialCall, in template: Template) throws(TemplateError) {
        guard let partial = partials?.partial(named: call.name) else {
            if template.mode == .spec { return }
            var message = "unknown partial '\(call.name)'"
            if let names = partials?.partialNames, let guess = NameSuggestion.closest(to: call.name, among: names) {
                message += " — did you mean '\(guess)'?"
            }
            throw template.error(at: call.position, message)
        }
        guard partialDepth < options.maxPartialDepth else {
            throw template.error(at: call.position, "partial '\(call.name)' nests deeper than \(options.maxPartialDepth) levels (recursive partial?)")
        }
        let target = call.indentation.isEmpty ? partial : partial.indented(by: call.indentation)
        partialDepth += 1
        defer { partialDepth -= 1 }
        try render(target.nodes, in: target)
    }
}
