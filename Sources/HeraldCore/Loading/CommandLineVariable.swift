import Foundation
import HeraldTemplate

/// `--var NAME=VALUE`, as curl reads `-d`: `NAME=@FILE` binds FILE's text (relative to the
/// working folder) as a string, literally; `NAME=@@…` is the value `@…` (one `@` dropped).
package enum CommandLineVariable {
    package static let position = SourcePosition(path: "<command line>", line: 1, column: 1)

    package static func parse(_ assignment: String, workingDirectory: URL) -> Result<(name: String, value: Value), Diagnostic> {
        guard let eq = assignment.firstIndex(of: "="), eq != assignment.startIndex else {
            return .failure(.error(at: position, "--var takes NAME=VALUE, got '\(assignment)'"))
        }
        let name = String(assignment[..<eq])
        let value = assignment[assignment.index(after: eq)...]
        if value.hasPrefix("@@") { return .success((name, .string(String(value.dropFirst())))) }
        guard value.hasPrefix("@") else { return .success((name, .string(String(value)))) }
        let path = String(value.dropFirst())
        guard !path.isEmpty else {
            return .failure(.error(at: position, "--var \(name)=@ names no file; write --var \(name)=@FILE, or --var \(name)=@@ for the value '@'"))
        }
        switch SourceText.read(path, relativeTo: workingDirectory, displayBase: "", at: position, what: "--var \(name): file") {
        case .failure(let d): return .failure(d)
        case .success(let file): return .success((name, .string(file.text)))
        }
    }
}
