import Foundation

/// Runs a template's steps against a context stack, writing UTF-8 into one buffer. Values
/// print straight into it (numbers included), so a message costs no String per tag.
struct Renderer: ~Copyable {
    let partials: (any PartialResolver)?
    let options: RenderOptions
    var stack: [Value]
    var out: OutputBuffer
    var partialDepth = 0
    var sectionPasses = 0
    var hints: LookupHints
    /// The first hint slot of the template being run.
    var hintBase = 0
    /// The caller's frames; sections push above them.
    let baseDepth: Int

    init(stack: [Value], partials: (any PartialResolver)?, options: RenderOptions, expectedBytes: Int) {
        var stack = stack
        // Room for a few sections up front: pushing is then a store, not a reallocation.
        stack.reserveCapacity(stack.count + 8)
        self.stack = stack
        self.baseDepth = stack.count
        self.partials = partials
        self.options = options
        out = OutputBuffer(capacity: expectedBytes)
        hints = LookupHints(capacity: 64)
    }

    /// Runs the whole of `template`.
    mutating func render(_ template: Template) throws(TemplateError) {
        let slots = template.program.variables.count + template.program.sections.count
        let outerBase = hintBase
        hintBase = hints.push(slots)
        try run(template, from: 0, to: template.program.steps.count)
        hints.pop(slots)
        hintBase = outerBase
    }

    /// Runs steps `start..<end`; a section runs its body (the steps up to its `end`) once per pass.
    private mutating func run(_ template: Template, from start: Int, to end: Int) throws(TemplateError) {
        var pc = start
        while pc < end {
            switch template.program.steps[pc] {
            case .text(let from, let to):
                template.program.text.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(rebasing: $0[from..<to])) }
                pc += 1
                try checkSize(at: TextPosition(line: 1, column: 1), in: template)
            case .variable(let index):
                let failure = template.program.withVariable(index) { variable -> TemplateError? in
                    do throws(TemplateError) {
                        try write(variable, hint: hintBase + index, in: template)
                        try checkSize(at: variable.position, in: template)
                        return nil
                    } catch {
                        return error
                    }
                }
                if let failure { throw failure }
                pc += 1
            case .section(let index, let bodyEnd):
                let section = template.program.sections[index]
                try run(section, hint: hintBase + template.program.variables.count + index, body: pc + 1, to: bodyEnd, in: template)
                pc = bodyEnd
                try checkSize(at: section.position, in: template)
            case .partial(let index):
                let call = template.program.partials[index]
                try run(call, in: template)
                pc += 1
                try checkSize(at: call.position, in: template)
            }
        }
    }

    @inline(__always)
    private func checkSize(at position: TextPosition, in template: Template) throws(TemplateError) {
        if out.count > options.maxOutputBytes {
            throw template.error(at: position, "rendered output exceeds \(options.maxOutputBytes) bytes; refusing to go on")
        }
    }

    // MARK: Variables

    @inline(__always)
    private mutating func write(_ variable: Variable, hint: Int, in template: Template) throws(TemplateError) {
        let escaped = template.mode == .spec && !variable.raw
        var current: Value
        if let found = Lookup.find(variable.name, in: stack, hint: hints.slot(hint)) {
            current = found
        } else if case .missing(let failed, let known, let broken) = Lookup.resolve(variable.name, in: stack) {
            if template.mode == .spec { return }
            guard variable.hasDefault else {
                throw template.error(at: variable.position, Lookup.message("variable", variable.name, failed: failed, known: known, brokenValue: broken))
            }
            current = .null
        } else {
            current = .null
        }
        let filters = variable.filters
        if let direct = variable.direct {
            let last = filters.count - 1
            for k in 0..<last {
                current = try apply(filters[k], to: current, name: variable.name, at: variable.position, in: template)
            }
            if !escaped, direct.write(current, to: &out) { return }
            current = try apply(filters[last], to: current, name: variable.name, at: variable.position, in: template)
        } else {
            for call in filters {
                current = try apply(call, to: current, name: variable.name, at: variable.position, in: template)
            }
        }
        out.append(current, htmlEscaped: escaped)
    }

    private func apply(_ call: FilterCall, to value: Value, name: NamePath, at position: TextPosition,
                       in template: Template) throws(TemplateError) -> Value {
        switch FilterEvaluation.apply(call, to: value, name: name.text, timeZone: options.timeZone) {
        case .success(let v): return v
        case .failure(let e): throw template.error(at: position, e.message)
        }
    }

    // MARK: Sections

    private mutating func run(_ section: Section, hint: Int, body: Int, to bodyEnd: Int, in template: Template) throws(TemplateError) {
        var value: Value
        if let found = Lookup.find(section.name, in: stack, hint: hints.slot(hint)) {
            value = found
        } else if case .missing(let failed, let known, let broken) = Lookup.resolve(section.name, in: stack) {
            // As in a variable tag, a `default` in the filters accepts an unknown name.
            if template.mode == .herald, !section.optional, !section.hasDefault {
                let filters = section.filters.map { " | " + $0.sourceText }.joined()
                let optional = "; write '{{\(section.inverted ? "^" : "#")\(section.name.text)?\(filters)}}' if it is optional"
                throw template.error(at: section.position, Lookup.message("section", section.name, failed: failed, known: known,
                                                                          brokenValue: broken, otherwise: optional))
            }
            value = .null
        } else {
            value = .null
        }
        // `{{#rows | first: 10}}`: only sections with filters pay for them.
        for call in section.filters {
            value = try apply(call, to: value, name: section.name, at: section.position, in: template)
        }
        if section.inverted {
            if !value.isTruthy { try run(template, from: body, to: bodyEnd) }
            return
        }
        guard value.isTruthy else { return }
        if case .list(let items) = value {
            for item in items {
                try countPass(section, in: template)
                stack.append(item)
                try run(template, from: body, to: bodyEnd)
                stack.removeLast()
            }
        } else {
            try countPass(section, in: template)
            stack.append(value)
            try run(template, from: body, to: bodyEnd)
            stack.removeLast()
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

    // MARK: Partials

    private mutating func run(_ call: PartialCall, in template: Template) throws(TemplateError) {
        guard let partial = partials?.partial(named: call.name) else {
            if template.mode == .spec { return }
            throw template.error(at: call.position, NameSuggestion.unknown("partial", call.name, among: partials?.partialNames ?? []))
        }
        guard partialDepth < options.maxPartialDepth else {
            throw template.error(at: call.position, "partial '\(call.name)' nests deeper than \(options.maxPartialDepth) levels (recursive partial?)")
        }
        let target = call.indentation.isEmpty ? partial : partial.indented(by: call.indentation)
        partialDepth += 1
        try render(target)
        partialDepth -= 1
    }
}
