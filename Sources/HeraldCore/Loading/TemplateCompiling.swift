import HeraldTemplate
import Yams

/// Compiles string scalars as templates, placing their positions in the file: for a
/// block scalar (`|`, `>`) the text starts on the next line at the block's indentation.
enum TemplateCompiling {
    static func origin(of node: Node, in source: SourceText) -> TemplateOrigin {
        guard case .scalar(let scalar) = node, let mark = scalar.mark else {
            return TemplateOrigin(path: source.path)
        }
        switch scalar.style {
        case .literal, .folded:
            var line = mark.line + 1
            while line <= source.lines.count, source.lines[line - 1].allSatisfy({ $0 == " " }) { line += 1 }
            let indent = line <= source.lines.count ? source.lines[line - 1].prefix { $0 == " " }.count : 0
            return TemplateOrigin(path: source.path, line: mark.line + 1, column: indent + 1, continuationColumn: indent + 1)
        case .singleQuoted, .doubleQuoted:
            return TemplateOrigin(path: source.path, line: mark.line, column: mark.column + 1, continuationColumn: 1)
        default:
            return TemplateOrigin(path: source.path, line: mark.line, column: mark.column, continuationColumn: mark.column)
        }
    }

    static func compile(_ text: String, origin: TemplateOrigin, log: inout DiagnosticLog) -> Template? {
        do {
            return try Template.compile(text, origin: origin)
        } catch {
            for d in error.diagnostics { log.append(Diagnostic(d)) }
            return nil
        }
    }
}
