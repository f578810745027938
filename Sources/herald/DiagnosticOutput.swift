import Foundation
import HeraldCore

/// Prints diagnostics to stderr compiler-style; on a terminal also the source line and a
/// caret under the column, in colour unless NO_COLOR is set.
struct DiagnosticOutput {
    let decorate: Bool
    let color: Bool

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        decorate = standardErrorIsATerminal
        color = decorate && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    func print(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        var text = ""
        var sources: [String: [Substring]] = [:]
        for d in diagnostics {
            let p = d.position
            if color {
                let tint = d.severity == .error ? "\u{1B}[1;31m" : "\u{1B}[1;35m"
                text += "\u{1B}[1m\(p.description): \(tint)\(d.severity.rawValue):\u{1B}[0;1m \(d.message)\u{1B}[0m\n"
            } else {
                text += d.description + "\n"
            }
            guard decorate else { continue }
            if sources[p.path] == nil {
                let content = (try? String(contentsOfFile: p.path, encoding: .utf8)) ?? ""
                sources[p.path] = content.split(separator: "\n", omittingEmptySubsequences: false)
            }
            if let lines = sources[p.path], p.line >= 1, p.line <= lines.count {
                let (line, pad) = Self.sourceLine(lines[p.line - 1], caretAt: p.column)
                text += "  \(line)\n  \(pad)\(color ? "\u{1B}[1;32m^\u{1B}[0m" : "^")\n"
            }
        }
        writeStandardError(text)
    }

    /// The line with its secrets masked, and the padding that puts a caret under `column`
    /// (1-based, in Unicode scalars as libyaml counts): tabs kept, other characters as wide
    /// as a terminal shows them. The padding is measured on the masked text before the column,
    /// so a secret masked earlier on the line does not push the caret off.
    static func sourceLine(_ raw: Substring, caretAt column: Int) -> (line: String, pad: String) {
        let before = String(String.UnicodeScalarView(raw.unicodeScalars.prefix(max(0, column - 1))))
        var pad = ""
        for character in SourceLineMask.mask(before) {
            pad += character == "\t" ? "\t" : String(repeating: " ", count: DisplayWidth.columns(of: character))
        }
        return (SourceLineMask.mask(String(raw)), pad)
    }

    func note(_ message: String) {
        writeStandardError("herald: \(message)\n")
    }
}

enum StandardOutput {
    static func write(_ bytes: [UInt8]) { writeStandardOutput(bytes) }

    static func write(_ text: String) {
        write(Array(text.utf8))
    }
}

/// Collects small pieces of standard output and writes them in large chunks; call `flush()` at the end.
struct BufferedStandardOutput {
    private var buffer: [UInt8] = []
    private let chunk: Int

    init(chunk: Int = 1 << 20) {
        self.chunk = chunk
        buffer.reserveCapacity(chunk)
    }

    mutating func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= chunk { flush() }
    }

    mutating func flush() {
        StandardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
