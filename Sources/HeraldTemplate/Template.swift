import Foundation

// CONTRACT STUB — the engine helper replaces the bodies (and may split this file);
// the public names and signatures below are what HeraldCore relies on.

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

    public init(timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current,
                maxPartialDepth: Int = 32, maxOutputBytes: Int = 8 << 20) {
        self.timeZone = timeZone
        self.maxPartialDepth = maxPartialDepth
        self.maxOutputBytes = maxOutputBytes
    }
}

/// A `{{> name}}` tag found at compile time.
public struct PartialReference: Sendable, Hashable {
    public var name: String
    public var line: Int
    public var column: Int
}

/// A compiled template: immutable, compile once, render many.
public struct Template: Sendable {
    public let origin: TemplateOrigin
    public let mode: TemplateMode
    public let source: String

    public static func compile(_ source: String, origin: TemplateOrigin, mode: TemplateMode = .herald) throws(TemplateError) -> Template {
        Template(origin: origin, mode: mode, source: source)
    }

    /// True when the text has no tags at all, so rendering returns `source` unchanged.
    public var isConstant: Bool { !source.contains("{{") }

    /// Partials named directly by this template, with file positions.
    public var partialReferences: [PartialReference] { [] }

    /// Renders against a context stack, outermost first (later entries win on lookup).
    public func render(_ stack: [Value], partials: (any PartialResolver)? = nil,
                       options: RenderOptions = RenderOptions()) throws(TemplateError) -> String {
        source
    }
}
