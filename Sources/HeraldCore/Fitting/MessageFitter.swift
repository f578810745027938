import HeraldTemplate

/// The fitting stage (docs/job-file.md, "Long messages"): a message whose long field, with
/// its mention text, is over the kind's limit becomes parts (`split`), its first part
/// (`truncate`), or an error.
enum MessageFitter {
    /// Hands the draft to `emit` as one message, or its parts; a failure goes to `log`.
    static func fit(_ draft: MessageDraft, log: inout DiagnosticLog, emit: (Part) -> Void) {
        // The usual message, within its limit and with no mention text, goes as it is (what
        // `fit(kind:…)` gives it, without building an array of its one part).
        if draft.mentionText.isEmpty, Self.isWithinLimit(draft.kind, draft.body) {
            emit(Part(body: draft.body, at: draft.at))
            return
        }
        switch fit(kind: draft.kind, body: draft.body, at: draft.at, mentionText: draft.mentionText, mode: draft.overflow) {
        case .failed(let message):
            log.error(draft.longFieldPosition, "\(message) (\(draft.context.text))")
        case .fitted(let parts, let note):
            if let note { log.append(Diagnostic(.warning, at: draft.longFieldPosition, note, oncePerPosition: true)) }
            for part in parts { emit(part) }
        }
    }

    /// No long field, or one of at most its limit.
    private static func isWithinLimit(_ kind: MessageKind, _ body: OrderedMap) -> Bool {
        guard let long = kind.longField, case .string(let field)? = body[long.key] else { return true }
        return field.utf8.count <= long.limit
    }

    struct Part {
        var body: OrderedMap
        var at: Value?
        /// 1-based part number and count; nil for a message that was not split.
        var number: Int?
        var count: Int?

        /// This part of entry `messageIndex`'s message as the plan records it; nil when whole.
        func reference(messageIndex: Int) -> PartReference? {
            guard let number, let count else { return nil }
            return PartReference(message: messageIndex, part: number, count: count)
        }
    }

    enum Outcome {
        case fitted([Part], note: String?)
        case failed(String)
    }

    static func fit(kind: MessageKind, body: OrderedMap, at: Value?, mentionText: String, mode: OverflowMode) -> Outcome {
        guard let long = kind.longField, case .string(let field)? = body[long.key] else {
            return .fitted([Part(body: body, at: at)], note: nil)
        }
        let size = field.utf8.count + mentionText.utf8.count
        if size <= long.limit {
            var whole = body
            if !mentionText.isEmpty { whole[long.key] = .string(field + mentionText) }
            return .fitted([Part(body: whole, at: at)], note: nil)
        }
        let what = "\(kind.wireName) \(long.key) is \(size) bytes"
        switch mode {
        case .error:
            return .failed("\(what), over \(kind.platform.displayName)'s \(long.limit)-byte limit (UTF-8); shorten it or split the message")
        case .truncate:
            switch LongFieldSplitter.truncate(field, limit: long.limit, syntax: long.syntax, mentionText: mentionText) {
            case .failure(let f): return .failed("\(what), over the \(long.limit)-byte limit, and cannot be truncated: \(f.message)")
            case .success(let text):
                var one = body
                one[long.key] = .string(text)
                return .fitted([Part(body: one, at: at)], note: "\(what), over the \(long.limit)-byte limit: truncated to \(text.utf8.count) bytes")
            }
        case .split:
            switch LongFieldSplitter.split(field + mentionText, limit: long.limit, syntax: long.syntax) {
            case .failure(let f): return .failed("\(what), over the \(long.limit)-byte limit, and cannot be split: \(f.message)")
            case .success(let texts):
                var parts: [Part] = []
                parts.reserveCapacity(texts.count)
                for (i, text) in texts.enumerated() {
                    let last = i == texts.count - 1
                    // Other fields ride on the last part (a mention pings once, when all has
                    // arrived); fields the kind requires go on every part.
                    var partBody = OrderedMap()
                    body.forEachPair { key, value in
                        if key == long.key { partBody[key] = .string(text) } else if last || kind.repeatedFields.contains(key) { partBody[key] = value }
                    }
                    parts.append(Part(body: partBody, at: last ? at : nil, number: i + 1, count: texts.count))
                }
                return .fitted(parts, note: "\(what), over the \(long.limit)-byte limit: split into \(texts.count) messages")
            }
        }
    }
}
