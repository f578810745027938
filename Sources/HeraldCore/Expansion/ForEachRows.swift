import Foundation
import HeraldTemplate

/// Reads `for_each` rows: a CSV file (header row names the columns, in order), a list
/// written in place, or a list variable.
struct ForEachRows {
    let job: Job
    private var csvCache: [String: [Value]] = [:]

    init(job: Job) { self.job = job }

    mutating func rows(for entry: MessageEntry, scope: [Value], log: inout DiagnosticLog) -> [Value]? {
        switch entry.forEach {
        case nil: return nil
        case .list(let rows, _): return rows
        case .csv(let path, let position):
            if let cached = csvCache[path] { return cached }
            let rows = readCSV(path, at: position, log: &log)
            csvCache[path] = rows ?? []
            return rows
        case .variable(let name, let position):
            return variableRows(name, scope: scope, at: position, log: &log)
        }
    }

    private func readCSV(_ path: String, at position: SourcePosition, log: inout DiagnosticLog) -> [Value]? {
        let base = (job.path as NSString).deletingLastPathComponent
        let file: SourceText
        switch SourceText.read(path, relativeTo: job.directory, displayBase: base, at: position, what: "for_each CSV file") {
        case .failure(let d): log.append(d); return nil
        case .success(let f): file = f
        }
        switch CSVRows.parse(file.text) {
        case .success(let rows):
            return rows
        case .failure(.noHeader):
            log.error(position, "CSV '\(file.path)' has no header row; its first line must name the columns")
        case .failure(.duplicateColumn(let name)):
            log.error(position, "CSV '\(file.path)' names column '\(name)' twice")
        case .failure(.fieldCount(let row, let fields, let header)):
            log.error(position, "row \(row) of CSV '\(file.path)' has \(fields) fields, the header has \(header)")
        case .failure(.unreadable(let reason)):
            log.error(position, "cannot read CSV '\(file.path)': \(reason)")
        }
        return nil
    }

    private func variableRows(_ name: String, scope: [Value], at position: SourcePosition, log: inout DiagnosticLog) -> [Value]? {
        let segments = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var current: Value?
        var known: [String] = []
        for frame in scope.reversed() {
            guard case .map(let map) = frame else { continue }
            known += map.keys
            if current == nil, let v = map[segments[0]] { current = v }
        }
        guard var value = current else {
            var message = "for_each variable '\(name)' is not defined"
            if let guess = NameSuggestion.closest(to: segments[0], among: known) { message += " — did you mean '\(guess)'?" }
            log.error(position, message)
            return nil
        }
        for (i, segment) in segments.enumerated().dropFirst() {
            guard case .map(let map) = value, let next = map[segment] else {
                log.error(position, "for_each variable '\(name)': '\(segments[..<i].joined(separator: "."))' has no key '\(segment)'")
                return nil
            }
            value = next
        }
        guard case .list(let rows) = value else {
            log.error(position, "for_each variable '\(name)' is \(value.kindDescription), not a list")
            return nil
        }
        return rows
    }
}
