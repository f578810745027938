import Foundation

/// Where a template's text sits in its file, so diagnostics point into the job file
/// (inside a YAML block scalar) or the template's own file.
public struct TemplateOrigin: Sendable, Hashable {
    /// The file named in diagnostics.
    public var path: String
    /// File line (1-based) of the template's first line.
    public var line: Int
    /// File column (1-based, in Unicode scalars) of the template's first character.
    public var column: Int
    /// File column where the template's later lines begin (a block scalar's indentation + 1).
    public var continuationColumn: Int

    public init(path: String, line: Int = 1, column: Int = 1, continuationColumn: Int = 1) {
        self.path = path
        self.line = line
        self.column = column
        self.continuationColumn = continuationColumn
    }

    /// Maps a position inside the template text (1-based) to the file.
    public func filePosition(line: Int, column: Int) -> (line: Int, column: Int) {
        line == 1 ? (self.line, self.column + column - 1) : (self.line + line - 1, continuationColumn + column - 1)
    }
}

/// One problem in a template, already placed in its file.
public struct TemplateDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int
    /// e.g. "unknown variable 'verison' — did you mean 'version'?"
    public var message: String

    public init(path: String, line: Int, column: Int, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(path):\(line):\(column): error: \(message)" }
}

/// Compile errors (all that the parser could find) or the one render error.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [TemplateDiagnostic]
    public init(_ diagnostics: [TemplateDiagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

public enum TemplateMode: Sendable, Hashable {
    /// Herald: strict names, filters, no HTML escaping.
    case herald
    /// The official Mustache spec's rules: HTML escaping on, unknown names render as nothing.
    case spec
}

/// Supplies `{{> name}}` partials, compiled once by the caller.
public protocol PartialResolver: Sendable {
    func partial(named name: String) -> Template?
    /// Every name the resolver knows, for "did you mean …?".
    var partialNames: [String] { get }
}

public struct RenderOptions: Sendable {
    /// The zone the `date` filter formats in.
    public var timeZone: TimeZone
    /// Partials nested deeper than this are an error (turns infinite recursion into a diagnostic).
    public var maxPartialDepth: Int
    /// Output larger than this is an error instead of eating the machine.
    public var maxOutputBytes: Int
    /// Section passes (one per list item) per render; bounds the work of nested sections
    /// over long lists even when they print nothing.
    public var maxSectionPasses: Int
    /// Sections open at once, across partials (one template alone allows 100): checked at each
    /// section pass, and at each partial tag for all sections, inverted ones included.
    public var maxSectionNesting: Int
    /// A `TemplateRenderer` replays a section whose output depends only on frames not set
    /// since it last ran, instead of running it again (a list in the job's vars, once per run
    /// instead of once per message); the output is the same either way. False runs every
    /// section: the reference the tests compare the replay with. (`Template.render`, one
    /// render that keeps nothing, always runs them.)
    public var replaysSections = true

    public init(timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current,
                maxPartialDepth: Int = 32, maxOutputBytes: Int = 8 << 20, maxSectionPasses: Int = 1_000_000,
                maxSectionNesting: Int = 200) {
        self.timeZone = timeZone
        self.maxPartialDepth = maxPartialDepth
        self.maxOutputBytes = maxOutputBytes
        self.maxSectionPasses = maxSectionPasses
        self.maxSectionNesting = maxSectionNesting
    }
}

/// A `{{> name}}` tag found at compile time.
public struct PartialReference: Sendable, Hashable {
    public var name: String
    public var line: Int
    public var column: Int
}

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
        if let sole = Renderer.soleString(self, stack: stack, options: options) { return sole }
        // One render keeps nothing for a next one: remembering sections would only cost.
        var once = options
        once.replaysSections = false
        var renderer = Renderer(stack: stack, partials: partials, options: once, expectedBytes: max(1024, program.text.count * 2))
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

/// Renders many templates, one after another on one thread, keeping its buffers (output,
/// lookup hints, context stack) between renders: a render then allocates nothing but what
/// it returns. Each render gives exactly what `Template.render` gives for the same stack.
public final class TemplateRenderer {
    // One access per render; the renderer is never shared between threads.
    @exclusivity(unchecked) private var state: Renderer

    public init(partials: (any PartialResolver)? = nil, options: RenderOptions = RenderOptions()) {
        state = Renderer(stack: [], partials: partials, options: options, expectedBytes: 4096)
    }

    /// Sets the context stack (outermost first) the following renders read: `fill` gets it
    /// empty, with the previous stack's memory.
    public func setStack(_ fill: (inout [Value]) -> Void) {
        // removeAll(keepingCapacity:) goes through a generic replaceSubrange; a few
        // removeLast() are far cheaper.
        while !state.stack.isEmpty { state.stack.removeLast() }
        fill(&state.stack)
        state.stackChanged()
    }

    /// Replaces frame `index` of the stack set last (the frames that change from one message
    /// to the next, such as the row's); false, changing nothing, when there is no such frame.
    @discardableResult
    public func replaceFrame(at index: Int, with frame: Value) -> Bool {
        guard index >= 0, index < state.baseDepth else { return false }
        state.replaceFrame(at: index, with: frame)
        return true
    }

    /// Sets `key` of the map at frame `index` of the stack set last to `value` (a row's frame,
    /// `{row: …}`, from one row to the next): in place, with no allocation, when nothing else
    /// holds that frame. False, changing nothing, when there is no such frame or key.
    @discardableResult
    public func replaceValue(inFrameAt index: Int, key: String, with value: Value) -> Bool {
        guard index >= 0, index < state.baseDepth else { return false }
        return state.replaceValue(inFrameAt: index, key: key, with: value)
    }

    /// The rendered text.
    public func render(_ template: Template) throws(TemplateError) -> String {
        if let constant = template.constantText { return constant }
        if template.program.soleVariable != nil, let sole = state.keptSoleString(template) { return sole }
        try state.renderAlone(template)
        return state.out.makeString()
    }

    /// Renders and hands the output's UTF-8 to `body`; the bytes are valid only during the call.
    public func render<R>(_ template: Template, _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(TemplateError) -> R {
        try state.renderAlone(template)
        return body(state.out.bytes)
    }
}

/// Indented copies of a partial, made on first use from any thread.
final class IndentedVariants: Sendable {
    private let variants = Locked<[String: Template]>([:])

    func variant(_ indentation: String, make: () -> Template) -> Template {
        if let t = variants.withLock({ $0[indentation] }) { return t }
        let t = make()
        variants.withLock { $0[indentation] = t }
        return t
    }
}
