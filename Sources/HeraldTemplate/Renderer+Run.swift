/// The run loop: each step of a template's program in turn, one method per kind of step
/// (text, variable, section, partial), with the limits checked after each.
extension Renderer {
    /// Runs steps `start..<end`; a section runs its body (the steps up to its `end`) once per pass.
    mutating func run(_ template: Template, from start: Int, to end: Int) throws(TemplateError) {
        var pc = start
        while pc < end {
            switch template.program.steps[pc] {
            case .text(let from, let to):
                template.program.text.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(rebasing: $0[from..<to])) }
                pc += 1
                try checkSize(at: TextPosition(line: 1, column: 1), in: template)
            case .variable(let index, let hint):
                let failure = template.program.withVariable(index) { variable -> TemplateError? in
                    do throws(TemplateError) {
                        try write(variable, hint: lookups.base + hint, in: template)
                        try checkSize(at: variable.position, in: template)
                        return nil
                    } catch {
                        return error
                    }
                }
                if let failure { throw failure }
                pc += 1
            case .section(let index, let bodyEnd, let hint):
                let section = template.program.sections[index]
                try runRemembered(section, hint: lookups.base + hint, body: pc + 1, to: bodyEnd, in: template)
                pc = bodyEnd
                try checkSize(at: section.position, in: template)
            case .partial(let index):
                let call = template.program.partials[index]
                try renderPartial(call, in: template)
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
        if variable.isPlainTop {
            // `{{.}}`: the top of the stack, printed where it is (`find` gives it, or null).
            let count = frames.values.count
            if count == 0 { return }
            noteRead(count - 1)
            frames.values.withUnsafeBufferPointer { out.append($0[count - 1], htmlEscaped: escaped) }
            return
        }
        var current: Value
        if let found = find(variable.name, slot: hint) {
            current = found
        } else if case .missing(let failed, let known, let broken) = Lookup.resolve(variable.name, in: frames.values) {
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

    /// Runs a section's body as its value says: once per item of a list, once with any other
    /// truthy value on top, or (inverted) once when the value is falsy.
    mutating func renderSection(_ section: Section, hint: Int, body: Int, to bodyEnd: Int, in template: Template) throws(TemplateError) {
        let value = try sectionValue(section, hint: hint, in: template)
        if section.inverted {
            if !value.isTruthy { try run(template, from: body, to: bodyEnd) }
            return
        }
        guard value.isTruthy else { return }
        if case .list(let items) = value {
            for i in items.indices {
                try countPass(section, in: template)
                frames.push(items[i])
                try run(template, from: body, to: bodyEnd)
                frames.pop()
            }
        } else {
            try countPass(section, in: template)
            frames.push(value)
            try run(template, from: body, to: bodyEnd)
            frames.pop()
        }
    }

    /// The value a section's name and filters give; a missing name is an error unless the
    /// section is optional (`?`), has a `default`, or the template is in spec mode.
    @inline(__always)
    private mutating func sectionValue(_ section: Section, hint: Int, in template: Template) throws(TemplateError) -> Value {
        var value: Value
        if let found = find(section.name, slot: hint) {
            value = found
        } else if case .missing(let failed, let known, let broken) = Lookup.resolve(section.name, in: frames.values) {
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
        return value
    }

    private mutating func countPass(_ section: Section, in template: Template) throws(TemplateError) {
        // Every name lookup walks the context stack, so depth costs twice: bound it.
        if frames.values.count - frames.baseDepth >= options.maxSectionNesting {
            throw template.error(at: section.position,
                                 "sections nest more than \(options.maxSectionNesting) levels deep (counting those in partials); refusing to go on")
        }
        counters.sectionPasses += 1
        if counters.sectionPasses > options.maxSectionPasses {
            throw template.error(at: section.position,
                                 "sections repeat more than \(options.maxSectionPasses) times in one render; refusing to go on")
        }
    }

    // MARK: Partials

    private mutating func renderPartial(_ call: PartialCall, in template: Template) throws(TemplateError) {
        guard let partial = partials?.partial(named: call.name) else {
            if template.mode == .spec { return }
            throw template.error(at: call.position, NameSuggestion.unknown("partial", call.name, among: partials?.partialNames ?? []))
        }
        guard counters.partialDepth < options.maxPartialDepth else {
            throw template.error(at: call.position, "partial '\(call.name)' nests deeper than \(options.maxPartialDepth) levels (recursive partial?)")
        }
        // The pass count bounds only sections that push a frame; this bounds inverted ones too,
        // and so how deep the render recurses: at most this many plus one template's own.
        let open = counters.sectionsAroundPartial + call.sectionDepth
        if open > options.maxSectionNesting {
            throw template.error(at: call.position,
                                 "sections nest more than \(options.maxSectionNesting) levels deep (counting those in partials); refusing to go on")
        }
        let target = call.indentation.isEmpty ? partial : partial.indented(by: call.indentation)
        counters.partialDepth += 1
        counters.sectionsAroundPartial = open
        try render(target)
        counters.sectionsAroundPartial = open - call.sectionDepth
        counters.partialDepth -= 1
    }
}
