/// Collects diagnostics instead of throwing the first, so `check` can show them all.
/// One error per position is kept (a template error hit by every row, or seen at load and
/// again at render, is reported once), and the count is capped so a broken 100k-row job
/// does not flood the terminal.
package struct DiagnosticLog: Sendable {
    package private(set) var diagnostics: [Diagnostic] = []
    private var seen: Set<Diagnostic> = []
    private var errorPositions: Set<SourcePosition> = []
    private var oncePositions: Set<SourcePosition> = []
    package private(set) var suppressed = 0
    package let limit: Int

    package init(limit: Int = 100) { self.limit = limit }

    package mutating func append(_ diagnostic: Diagnostic) {
        guard seen.insert(diagnostic).inserted else { return }
        if diagnostic.oncePerPosition, !oncePositions.insert(diagnostic.position).inserted { return }
        if diagnostic.severity == .error, !errorPositions.insert(diagnostic.position).inserted { return }
        if errorCount >= limit && diagnostic.severity == .error {
            suppressed += 1
            return
        }
        diagnostics.append(diagnostic)
    }

    package mutating func error(_ position: SourcePosition, _ message: String) {
        append(.error(at: position, message))
    }

    package mutating func warning(_ position: SourcePosition, _ message: String) {
        append(.warning(at: position, message))
    }

    package mutating func append(contentsOf other: [Diagnostic]) {
        for d in other { append(d) }
    }

    package var errorCount: Int { diagnostics.lazy.filter { $0.severity == .error }.count }
    package var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Sorted by file (the job file first, then others in the order first reported) and position.
    package func sorted(primaryPath: String) -> [Diagnostic] {
        var fileOrder: [String: Int] = [primaryPath: 0]
        for d in diagnostics where fileOrder[d.position.path] == nil {
            fileOrder[d.position.path] = fileOrder.count
        }
        return diagnostics.enumerated().sorted { a, b in
            let (pa, pb) = (a.element.position, b.element.position)
            let (fa, fb) = (fileOrder[pa.path] ?? 0, fileOrder[pb.path] ?? 0)
            if fa != fb { return fa < fb }
            if pa.line != pb.line { return pa.line < pb.line }
            if pa.column != pb.column { return pa.column < pb.column }
            return a.offset < b.offset
        }.map(\.element)
    }
}
