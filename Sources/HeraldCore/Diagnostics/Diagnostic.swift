import HeraldTemplate

/// A place in a file: 1-based line and column (columns count Unicode scalars, as libyaml does).
public struct SourcePosition: Sendable, Hashable, Comparable {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.path, a.line, a.column) < (b.path, b.line, b.column)
    }

    public var description: String { "\(path):\(line):\(column)" }
}

/// One compiler-style problem report: `path:line:column: error: message`.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var position: SourcePosition
    public var severity: Severity
    public var message: String
    /// Reported once per position however often it is found (a split warning hit by every row).
    public var oncePerPosition = false

    public init(_ severity: Severity, at position: SourcePosition, _ message: String, oncePerPosition: Bool = false) {
        self.position = position
        self.severity = severity
        self.message = message
        self.oncePerPosition = oncePerPosition
    }

    public static func error(at position: SourcePosition, _ message: String) -> Diagnostic {
        Diagnostic(.error, at: position, message)
    }

    public static func warning(at position: SourcePosition, _ message: String) -> Diagnostic {
        Diagnostic(.warning, at: position, message)
    }

    package init(_ template: TemplateDiagnostic, context: String? = nil) {
        self.init(.error, at: SourcePosition(path: template.path, line: template.line, column: template.column),
                  context.map { "\(template.message) (\($0))" } ?? template.message)
    }

    public var description: String { "\(position.description): \(severity.rawValue): \(message)" }
}
