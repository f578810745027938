/// The one error the embedding API throws (`Herald.plan`, `Herald.load`, …): a job that cannot
/// be loaded or planned, with every diagnostic found on the way — its errors and the warnings
/// beside them, sorted as the CLI prints them (`file:line:column: error: …`).
public struct HeraldError: Error, Sendable, CustomStringConvertible {
    /// Errors and warnings, in the order the CLI prints them.
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// Only the errors (there is at least one).
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// One diagnostic a line, as the CLI prints them.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
