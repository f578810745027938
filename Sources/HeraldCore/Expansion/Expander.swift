import Foundation
import HeraldTemplate

/// Expands `messages:` into envelopes (docs/job-file.md, "The plan and the bytes"): entries in file order; within one,
/// rows in order, then `to` names as written with groups expanded in place, a recipient
/// kept once per row; `--only` keeps the named recipients or groups.
struct Expander {
    let job: Job
    let run: RunContext
    let scopes: ScopeBuilder
    /// How many parts a large CSV is cut into and read at once.
    var csvPieces = 1

    func expand(only: Set<String>?, log: inout DiagnosticLog) -> [Envelope] {
        var all: [Envelope] = []
        expand(only: only, log: &log, batchSize: .max) { all += $0 }
        return all
    }

    /// The same envelopes, handed to `emit` in batches of `batchSize` as they are made, so
    /// rendering can start before expansion ends.
    func expand(only: Set<String>?, log: inout DiagnosticLog, batchSize: Int, emit: ([Envelope]) -> Void) {
        var rowsReader = ForEachRows(job: job, csvPieces: csvPieces)
        var envelopes: [Envelope] = []
        func flushIfFull() {
            if envelopes.count >= batchSize {
                emit(envelopes)
                envelopes.removeAll(keepingCapacity: true)
            }
        }
        for (entryIndex, entry) in job.messages.enumerated() {
            let entryScope = scopes.stack(entry: entry, recipient: nil, row: nil)
            let rows: [Value?]
            if entry.forEach != nil {
                guard let found = rowsReader.rows(for: entry, scope: entryScope, log: &log) else { continue }
                if found.isEmpty {
                    log.warning(entry.position, "for_each of message \(entry.index) has no rows; it sends nothing")
                }
                rows = found
            } else {
                rows = [nil]
            }
            for (r, row) in rows.enumerated() {
                let rowNumber = entry.forEach == nil ? nil : r + 1
                let rowFrame = scopes.rowFrame(entry: entry, row: row)
                var seen = Set<String>()
                for addressee in entry.to {
                    for name in names(addressee, entry: entry, rowFrame: rowFrame, rowNumber: rowNumber, log: &log) {
                        let reached = job.recipientNames(reachedFrom: name)
                        // One addressee reaching one recipient (the usual row) cannot repeat: no set.
                        let mayRepeat = entry.to.count > 1 || reached.count > 1
                        for recipient in reached where !mayRepeat || seen.insert(recipient).inserted {
                            if let only, !only.contains(recipient) { continue }
                            envelopes.append(Envelope(entry: entryIndex, rowNumber: rowNumber, recipient: recipient, rowFrame: rowFrame))
                            flushIfFull()
                        }
                    }
                }
            }
        }
        if !envelopes.isEmpty { emit(envelopes) }
    }

    private func names(_ addressee: Addressee, entry: MessageEntry, rowFrame: Value?, rowNumber: Int?, log: inout DiagnosticLog) -> [String] {
        switch addressee {
        case .name(let ref): return [ref.name]
        case .template(let template, let position):
            let stack = scopes.stack(entry: entry, recipient: nil, rowFrame: rowFrame)
            let rendered: String
            do {
                rendered = try template.render(stack, partials: job.library, options: scopes.renderOptions)
            } catch {
                for d in error.diagnostics { log.append(Diagnostic(d, context: Self.context(entry, nil, rowNumber))) }
                return []
            }
            let name = Self.trimmed(rendered)
            guard job.recipients[name] != nil || job.groups[name] != nil else {
                let message = "'to' is '\(name)' for this row, which is not a recipient or group"
                    + NameSuggestion.hint(for: name, among: job.recipientOrder + Array(job.groups.keys))
                log.error(position, "\(message) (\(Self.context(entry, nil, rowNumber)))")
                return []
            }
            return [name]
        }
    }

    /// Foundation's trimming is slow, and this runs once per row: skip it when the ends are plain ASCII.
    static func trimmed(_ text: String) -> String {
        let bytes = text.utf8
        if let first = bytes.first, let last = bytes.last, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last) {
            return text
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func context(_ entry: MessageEntry, _ recipient: String?, _ rowNumber: Int?) -> String {
        var parts = ["message \(entry.index)"]
        if let recipient { parts.append("recipient '\(recipient)'") }
        if let rowNumber { parts.append("row \(rowNumber)") }
        return parts.joined(separator: ", ")
    }
}
