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
