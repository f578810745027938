/// A compiled template: immutable, compile once, render many. All of it is one reference
/// (its `Program`): templates are copied wherever a message or addressee is.
public struct Template: Sendable {
    let program: Program

    public var origin: TemplateOrigin { program.origin }
    public var mode: TemplateMode { program.mode }
    public var source: String { program.source }
    /// The whole output of a template that is one run of text.
    var constantText: String? { program.constantText }

    public static func compile(_ source: String, origin: TemplateOrigin, mode: TemplateMode = .herald) throws(TemplateError) -> Template {
        let parsed = TemplateParser.parse(source, mode: mode)
        let map = { (p: TextPosition) in origin.filePosition(line: p.line, column: p.column) }
        if !parsed.errors.isEmpty {
            throw TemplateError(parsed.errors.map { position, message in
                let at = map(position)
                return TemplateDiagnostic(path: origin.path, line: at.line, column: at.column, message: message)
            })
        }
        let references = parsed.partials.map { name, position in
            let at = map(position)
            return PartialReference(name: name, line: at.line, column: at.column)
        }
        return Template(program: Program(parsed.nodes, origin: origin, mode: mode, source: source, references: references))
    }

    /// True when the text has no tags at all, so rendering returns `source` unchanged.
    public var isConstant: Bool { program.isVerbatim }

    /// Partials named directly by this template, with file positions.
    public var partialReferences: [PartialReference] { program.references }

    /// Renders against a context stack, outermost first (later entries win on lookup).
    public func render(_ stack: [Value], partials: (any PartialResolver)? = nil,
                       options: RenderOptions = RenderOptions()) throws(TemplateError) -> String {
        if let constantText { return constantText }
        // One render keeps nothing for a next one: remembering sections would only cost.
        var once = options
        once.replaysSections = false
        var renderer = Renderer(stack: stack, partials: partials, options: once, expectedBytes: max(1024, program.text.count * 2))
        if program.soleVariable != nil, let sole = renderer.soleString(self) { return sole }
        try renderer.render(self)
        return renderer.out.makeString()
    }

    func error(at position: TextPosition, _ message: String) -> TemplateError {
        let at = origin.filePosition(line: position.line, column: position.column)
        return TemplateError([TemplateDiagnostic(path: origin.path, line: at.line, column: at.column, message: message)])
    }

    /// The template with `indentation` before each of its lines, as a standalone partial
    /// tag needs (the spec indents the partial's lines, not interpolated values). Compiled
    /// once per indentation and kept.
    func indented(by indentation: String) -> Template {
        program.indentedVariants.variant(indentation) {
            var text = indentation
            var rest = Substring(source)
            while let newline = rest.firstIndex(of: "\n") {
                text += rest[...newline]
                rest = rest[rest.index(after: newline)...]
                if !rest.isEmpty { text += indentation }
            }
            text += rest
            let shift = indentation.unicodeScalars.count
            let shifted = TemplateOrigin(path: origin.path, line: origin.line, column: origin.column - shift,
                                         continuationColumn: origin.continuationColumn - shift)
            return (try? Template.compile(text, origin: shifted, mode: mode)) ?? self
        }
    }
}
