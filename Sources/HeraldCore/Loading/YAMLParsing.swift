import Foundation
import HeraldTemplate
import Yams

/// Parses YAML into Yams' node tree (which keeps line:column marks) and turns libyaml's
/// errors into diagnostics. Runs on a thread with a large stack: Yams composes recursively,
/// and libyaml already refuses nesting deeper than 1000 levels.
enum YAMLParsing {
    /// `nestingChecked`: the caller made sure the text nests shallowly (an event body is
    /// checked at 64 levels before it is parsed), so the calling thread's stack is enough.
    static func parse(_ source: SourceText, nestingChecked: Bool = false) -> Result<Node?, Diagnostic> {
        if nestingChecked { return parseOnThisThread(source) }
        let box = Locked<Result<Node?, Diagnostic>?>(nil)
        let thread = Thread {
            let result = parseOnThisThread(source)
            box.withLock(waitingUntil: { _ in true }) { $0 = result }
        }
        thread.stackSize = 64 << 20
        thread.start()
        return box.withLock(waitingUntil: { $0 != nil }) { $0 } ?? .failure(.error(at: SourcePosition(path: source.path, line: 1, column: 1), "YAML parser did not finish"))
    }

    private static func parseOnThisThread(_ source: SourceText) -> Result<Node?, Diagnostic> {
        do {
            // The encoding given: Yams' default reads the whole environment on every parse.
            return .success(try Yams.compose(yaml: source.text, Resolver.basic, .default, .utf8))
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, in: source))
        } catch {
            return .failure(.error(at: SourcePosition(path: source.path, line: 1, column: 1), "YAML error: \(error)"))
        }
    }

    static func diagnostic(for error: YamlError, in source: SourceText) -> Diagnostic {
        func at(_ mark: Mark) -> SourcePosition { SourcePosition(path: source.path, line: mark.line, column: mark.column) }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            if character(at: mark, in: source) == "\t" {
                return .error(at: at(mark), "tab character in indentation; YAML allows only spaces — replace the tab with spaces")
            }
            if problem.contains("Maximum nesting level") || problem.contains("nesting level") {
                return .error(at: at(mark), "YAML nested more than 1000 levels deep; refusing to read it")
            }
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            if let run = UnclosedQuote.run(in: source.lines, errorLine: mark.line) {
                let runsTo = run.endLine.map { "runs on to line \($0)" } ?? "runs to the end of the file"
                return .error(at: SourcePosition(path: source.path, line: run.line, column: run.column),
                              "YAML syntax error: the string quoted here is not closed on its line, so it \(runsTo) (\(problem) at line \(mark.line), column \(mark.column)); close it with \(run.quote), or write a long text as a block with '|'")
            }
            return .error(at: at(mark), message)
        case let .reader(problem, offset, _, _):
            return .error(at: SourcePosition(path: source.path, line: 1, column: 1),
                          "YAML reader error: \(problem)" + (offset.map { " at character \($0)" } ?? ""))
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .error(at: at(context.mark), "duplicate key \(names) in the same map; keep one")
        default:
            return .error(at: SourcePosition(path: source.path, line: 1, column: 1), "YAML error: \(error)")
        }
    }

    private static func character(at mark: Mark, in source: SourceText) -> Character? {
        guard mark.line >= 1, mark.line <= source.lines.count else { return nil }
        let line = source.lines[mark.line - 1].unicodeScalars
        let offset = mark.column - 1
        guard offset >= 0, offset < line.count else { return nil }
        return Character(line[line.index(line.startIndex, offsetBy: offset)])
    }
}
