import Foundation
import HeraldTemplate

/// Expands `messages:` into envelopes (docs/job-file.md, "The plan and the bytes"): entries in file order; within one,
/// rows in order, then `to` names as written with groups expanded in place, a recipient
/// kept once per row; `--only` keeps the named recipients or groups.
struct Expander: ~Copyable {
    let job: Job
    let run: RunContext
    let scopes: ScopeBuilder
    /// Recipients by index, for the envelopes.
    let compiled: CompiledJob
    /// How many parts a large CSV is cut into and read at once.
    var csvPieces = 1
    /// Whose frames the `to:` engine's stack holds.
    private let stackOwner = StackOwner()

    private final class StackOwner {
        var value: (entry: CompiledJob.Entry, slots: ScopeBuilder.FrameHandles)?
    }

    /// The envelopes, handed to `emit` in batches of `batchSize` as they are made, so
    /// rendering can start before expansion ends.
    func expand(only: Set<String>?, log: inout DiagnosticLog, batchSize: Int, emit: ([Envelope]) -> Void) {
        var rowsReader = ForEachRows(job: job, csvPieces: csvPieces)
        // `to:` templates render here, once per row: one engine, its buffers reused.
        let engine = TemplateRenderer(partials: job.library, options: scopes.renderOptions)
        var envelopes: [Envelope] = []
        func flushIfFull() {
            if envelopes.count >= batchSize {
                emit(envelopes)
                envelopes.removeAll(keepingCapacity: true)
            }
        }
        for (entryIndex, info) in compiled.entries.enumerated() {
            let entry = info.entry
            let entryScope = scopes.stack(entry: entry, recipient: nil, row: nil)
            let rows: [Value]
            if entry.forEach != nil {
                guard let found = rowsReader.rows(for: entry, scope: entryScope, log: &log) else { continue }
                if found.isEmpty {
                    log.warning(entry.position, "for_each of message \(entry.index) has no rows; it sends nothing")
                }
                rows = found
            } else {
                rows = []
            }
            // Without for_each the entry is sent once, with no row.
            for r in 0..<(entry.forEach == nil ? 1 : rows.count) {
                let rowNumber = entry.forEach == nil ? nil : r + 1
                let row = entry.forEach == nil ? nil : rows[r]
                var seen = Set<Int>()
                for addressee in entry.to {
                    guard let (name, index) = self.name(addressee, entry: info, row: row, rowNumber: rowNumber,
                                                        engine: engine, log: &log) else { continue }
                    if let index {
                        // One addressee reaching one recipient (the usual row) cannot repeat: no set.
                        if entry.to.count > 1, !seen.insert(index).inserted { continue }
                        if let only, !only.contains(name) { continue }
                        envelopes.append(Envelope(entry: entryIndex, rowNumber: rowNumber, recipient: index, row: row))
                        flushIfFull()
                        continue
                    }
                    let reached = job.recipientNames(reachedFrom: name)
                    let mayRepeat = entry.to.count > 1 || reached.count > 1
                    for recipient in reached {
                        guard let index = compiled.recipientIndex[recipient], !mayRepeat || seen.insert(index).inserted else { continue }
                        if let only, !only.contains(recipient) { continue }
                        envelopes.append(Envelope(entry: entryIndex, rowNumber: rowNumber, recipient: index, row: row))
                        flushIfFull()
                    }
                }
            }
        }
        if !envelopes.isEmpty { emit(envelopes) }
    }

    /// The recipient or group an addressee names for this row, with the recipient's index
    /// (nil for a group).
    private func name(_ addressee: Addressee, entry info: CompiledJob.Entry, row: Value?, rowNumber: Int?, engine: TemplateRenderer,
                      log: inout DiagnosticLog) -> (String, Int?)? {
        switch addressee {
        case .name(let ref): return (ref.name, compiled.recipientIndex[ref.name])
        case .template(let template, let position):
            let entry = info.entry
            let rendered: String
            do {
                setStack(engine, info, row)
                rendered = try engine.render(template)
            } catch {
                for d in error.diagnostics { log.append(Diagnostic(d, context: Self.context(entry, nil, rowNumber))) }
                return nil
            }
            let name = trimmedFast(rendered)
            if let index = compiled.recipientIndex[name] { return (name, index) }
            guard job.groups[name] != nil else {
                let message = "'to' is '\(name)' for this row, which is not a recipient or group"
                    + NameSuggestion.hint(for: name, among: job.recipientOrder + Array(job.groups.keys))
                log.error(position, "\(message) (\(Self.context(entry, nil, rowNumber)))")
                return nil
            }
            return (name, nil)
        }
    }

    /// The row's frames on the engine's stack; for the next row of the same entry, only its row frame.
    private func setStack(_ engine: TemplateRenderer, _ info: CompiledJob.Entry, _ row: Value?) {
        if let owner = stackOwner.value, owner.entry === info, let slot = owner.slots.row, let row,
           scopes.replaceRow(row, rowName: info.rowName, at: slot, in: engine) {
            return
        }
        var slots = ScopeBuilder.FrameHandles()
        let rowFrame = scopes.rowFrame(entry: info.entry, row: row)
        engine.setStack { slots = scopes.fill(&$0, entry: info.frames, recipient: nil, rowFrame: rowFrame) }
        stackOwner.value = (info, slots)
    }

    static func context(_ entry: MessageEntry, _ recipient: String?, _ rowNumber: Int?) -> String {
        context(entry.index, recipient, rowNumber)
    }

    static func context(_ entryIndex: Int, _ recipient: String?, _ rowNumber: Int?) -> String {
        var parts = ["message \(entryIndex)"]
        if let recipient { parts.append("recipient '\(recipient)'") }
        if let rowNumber { parts.append("row \(rowNumber)") }
        return parts.joined(separator: ", ")
    }
}
