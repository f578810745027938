/// Compile errors (all that the parser could find) or the one render error.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [TemplateDiagnostic]
    public init(_ diagnostics: [TemplateDiagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
