import Foundation
import HeraldTemplate

/// A data file bound to a name (`vars_files: [{name, file}]`) or read by `for_each`: by
/// extension, CSV → a list of row maps, JSON or YAML → any value, Markdown or plain text →
/// one string, the file's text as it is. Data, so no `${…}` and no `{{…}}` inside.
enum DataFile {
    enum Format {
        case csv, json, yaml, text

        /// By extension, case-insensitive; nil for any other.
        init?(path: String) {
            switch (path as NSString).pathExtension.lowercased() {
            case "csv": self = .csv
            case "json": self = .json
            case "yaml", "yml": self = .yaml
            case "md", "txt": self = .text
            default: return nil
            }
        }
    }

    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0 == "_" || $0 == "-" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            && !("0"..."9").contains(name.unicodeScalars.first ?? "0")
    }

    /// `vars_files: [{name, file}]`: the whole file, read by its extension.
    static func load(_ path: String, relativeTo source: SourceText, at position: SourcePosition, paths: PathPolicy,
                     log: inout DiagnosticLog) -> Value? {
        guard let format = Format(path: path) else {
            log.error(position, "data file '\(path)' must end in .csv, .json, .yaml, .yml, .md or .txt (the extension says how to read it)")
            return nil
        }
        return read(path, format: format, relativeTo: source.directory, displayBase: (source.path as NSString).deletingLastPathComponent,
                    at: position, what: "data file", paths: paths, log: &log)
    }

    static func read(_ path: String, format: Format, relativeTo directory: URL, displayBase: String, at position: SourcePosition,
                     what: String, paths: PathPolicy, log: inout DiagnosticLog) -> Value? {
        let file: SourceText
        switch SourceText.read(path, relativeTo: directory, displayBase: displayBase, at: position, what: what, paths: paths) {
        case .failure(let d): log.append(d); return nil
        case .success(let f): file = f
        }
        switch format {
        case .text:
            // Never a template: `{{user}}` in release notes is text, inserted as any string var is.
            return .string(file.text)
        case .csv:
            switch CSVRows.parse(file.text) {
            case .success(let rows): return .list(rows)
            case .failure(let failure):
                log.error(position, csvMessage(failure, path: file.path))
                return nil
            }
        case .json, .yaml:
            return value(of: file, readsJSONNumbers: format == .json, what: what, log: &log)
        }
    }

    /// A JSON text (an event's payload) as a `.json` data file's value.
    static func value(ofJSON file: SourceText, what: String, nestingChecked: Bool = false, log: inout DiagnosticLog) -> Value? {
        value(of: file, readsJSONNumbers: true, what: what, nestingChecked: nestingChecked, log: &log)
    }

    private static func value(of file: SourceText, readsJSONNumbers: Bool, what: String, nestingChecked: Bool = false,
                              log: inout DiagnosticLog) -> Value? {
        // JSON is read by the YAML parser (YAML 1.2 reads JSON): key order and line:column for errors.
        switch YAMLParsing.parse(file, nestingChecked: nestingChecked) {
        case .failure(let d): log.append(d); return nil
        case .success(nil): return .null
        case .success(let node?):
            // Without aliases a node takes at least a byte, so a budget of the file's size admits
            // any plain data file and still stops an alias bomb.
            let reader = NodeReader(source: file, log: log, budget: NodeBudget(limit: max(200_000, file.text.utf8.count)))
            defer { log = reader.log }
            reader.readsJSONNumbers = readsJSONNumbers
            return reader.value(node, what: "\(what) '\(file.path)'")
        }
    }

    static func csvMessage(_ failure: CSVRows.Failure, path: String) -> String {
        switch failure {
        case .noHeader: return "CSV '\(path)' has no header row; its first line must name the columns"
        case .duplicateColumn(let name): return "CSV '\(path)' names column '\(name)' twice"
        case .fieldCount(let row, let fields, let header): return "row \(row) of CSV '\(path)' has \(fields) fields, the header has \(header)"
        case .unreadable(let reason): return "cannot read CSV '\(path)': \(reason)"
        }
    }
}
