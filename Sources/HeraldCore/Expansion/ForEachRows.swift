import Foundation
import HeraldTemplate

/// Reads `for_each` rows: a CSV file (header row names the columns, in order), a list
/// written in place, or a list variable.
struct ForEachRows {
    let job: Job
    let csvPieces: Int
    private var csvCache: [String: [Value]] = [:]

    init(job: Job, csvPieces: Int = 1) {
        self.job = job
        self.csvPieces = csvPieces
    }

    mutating func rows(for entry: MessageEntry, scope: [Value], log: inout DiagnosticLog) -> [Value]? {
        switch entry.forEach {
        case nil: return nil
        case .list(let rows, _): return rows
        case .file(let path, let position):
            if let cached = csvCache[path] { return cached }
            let rows = DataFile.Format(path: path).map { $0 == .csv } ?? true
                ? readCSV(path, at: position, log: &log) : readList(path, at: position, log: &log)
            csvCache[path] = rows ?? []
            return rows
        case .variable(let name, let position):
            return variableRows(name, scope: scope, at: position, log: &log)
        }
    }

    /// A JSON or YAML file holding a list.
    private func readList(_ path: String, at position: SourcePosition, log: inout DiagnosticLog) -> [Value]? {
        let format = DataFile.Format(path: path) ?? .yaml
        let value = DataFile.read(path, format: format, relativeTo: job.directory, displayBase: (job.path as NSString).deletingLastPathComponent,
                                  at: position, what: "for_each file", paths: job.paths, log: &log)
        guard let value else { return nil }
        guard case .list(let rows) = value else {
            log.error(position, "for_each file '\(path)' holds \(value.kindDescription), not a list; it must hold a list of rows")
            return nil
        }
        return rows
    }

    private func readCSV(_ path: String, at position: SourcePosition, log: inout DiagnosticLog) -> [Value]? {
        let base = (job.path as NSString).deletingLastPathComponent
        let file: SourceText
        switch SourceText.read(path, relativeTo: job.directory, displayBase: base, at: position, what: "for_each CSV file", paths: job.paths) {
        case .failure(let d): log.append(d); return nil
        case .success(let f): file = f
        }
        switch CSVRows.parse(file.text, pieces: csvPieces) {
        case .success(let rows): return rows
        case .failure(let failure):
            log.error(position, DataFile.csvMessage(failure, path: file.path))
            return nil
        }
    }

    /// `for_each: {var: NAME}`: NAME read as a template tag reads it (dotted, list indexes).
    private func variableRows(_ name: String, scope: [Value], at position: SourcePosition, log: inout DiagnosticLog) -> [Value]? {
        let value: Value
        switch NameLookup.value(of: name, in: scope, kind: "for_each variable") {
        case .success(let v): value = v
        case .failure(let e):
            log.error(position, e.message)
            return nil
        }
        guard case .list(let rows) = value else {
            log.error(position, "for_each variable '\(name)' is \(value.kindDescription), not a list")
            return nil
        }
        return rows
    }
}
