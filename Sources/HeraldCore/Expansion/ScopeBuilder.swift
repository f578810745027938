import HeraldTemplate

/// Builds a message's context stack, outermost first (docs/job-file.md scopes, innermost wins):
/// built-ins < job vars (with vars_files) < recipient vars < message vars < row < command line.
struct ScopeBuilder: Sendable {
    let job: Job
    let run: RunContext
    let renderOptions: RenderOptions
    private let runBuiltins: Value
    private let jobVars: Value
    private let overrides: Value
    /// Built once per recipient and per message entry: a job has few, and they repeat per row.
    private let recipientFrames: [String: Value]
    private let entryFrames: [Int: Value]
    /// Each entry's `[rowName]`: every row frame of an entry shares it.
    private let rowKeys: [Int: [String]]

    init(job: Job, run: RunContext) {
        self.job = job
        self.run = run
        self.renderOptions = RenderOptions(timeZone: run.timeZone)
        let now = run.nowText
        self.runBuiltins = .map(OrderedMap([
            ("now", .string(now)),
            ("today", .string(String(now.prefix(10)))),
            ("job", .map(OrderedMap([("name", .string(job.name))]))),
        ]))
        self.jobVars = .map(job.vars)
        self.overrides = .map(run.overrides)
        // Frames of one kind share their keys array: a renderer keeps its lookups while each
        // frame has the keys array it had (KeptLookups).
        let recipientKey = ["recipient"], nameKey = ["name"]
        var recipientFrames: [String: Value] = [:]
        for name in job.recipients.keys {
            let recipient = Value.map(OrderedMap(distinctKeys: nameKey, values: [.string(name)]))
            recipientFrames[name] = .map(OrderedMap(distinctKeys: recipientKey, values: [recipient]))
        }
        self.recipientFrames = recipientFrames
        let messageKey = ["message"], indexKey = ["index"]
        var entryFrames: [Int: Value] = [:]
        for entry in job.messages {
            let message = Value.map(OrderedMap(distinctKeys: indexKey, values: [.int(entry.index)]))
            entryFrames[entry.index] = .map(OrderedMap(distinctKeys: messageKey, values: [message]))
        }
        self.entryFrames = entryFrames
        rowKeys = Dictionary(job.messages.map { ($0.index, [$0.rowName]) }, uniquingKeysWith: { first, _ in first })
    }

    /// What a row adds to the scope: `{<as>: row}`, or with `as: .` the row's own keys.
    func rowFrame(entry: MessageEntry, row: Value?) -> Value? {
        guard let row else { return nil }
        // distinctKeys: this runs once per row, and the general initializer is far slower.
        return entry.rowName == "." ? row : .map(OrderedMap(distinctKeys: rowKeys[entry.index] ?? [entry.rowName], values: [row]))
    }

    /// Puts `row` in the row frame `frame` of `engine`'s stack (made by `rowFrame` for an
    /// earlier row of `entry`): in place, so a message costs no frame of its own. False when
    /// the engine has no such frame.
    /// `rowName`: the entry's (`as:`).
    func replaceRow(_ row: Value, rowName: String, at frame: ContextFrame, in engine: TemplateRenderer) -> Bool {
        rowName == "." ? engine.replace(frame, with: row) : engine.replaceValue(forKey: rowName, in: frame, with: row)
    }

    func stack(entry: MessageEntry, recipient: Recipient?, row: Value?) -> [Value] {
        stack(entry: entry, recipient: recipient, rowFrame: rowFrame(entry: entry, row: row))
    }

    func stack(entry: MessageEntry, recipient: Recipient?, rowFrame: Value?) -> [Value] {
        var stack = ContextStack()
        stack.reserveCapacity(8)
        fill(&stack, entry: entryFrames(entry), recipient: recipient.map(recipientFrames), rowFrame: rowFrame)
        return stack.frames
    }

    /// An entry's frames, looked up once (renderers keep them per entry).
    struct EntryFrames: Sendable {
        var message: Value?
        var vars: Value?
    }

    /// A recipient's frames, looked up once (renderers keep them per recipient).
    struct RecipientFrames: Sendable {
        var recipient: Value?
        var vars: Value?
    }

    func entryFrames(_ entry: MessageEntry) -> EntryFrames {
        EntryFrames(message: entryFrames[entry.index], vars: entry.vars.isEmpty ? nil : .map(entry.vars))
    }

    func recipientFrames(_ recipient: Recipient) -> RecipientFrames {
        RecipientFrames(recipient: recipientFrames[recipient.name], vars: recipient.vars.isEmpty ? nil : .map(recipient.vars))
    }

    /// Where `fill` put the frames that change from one message to the next.
    struct FrameHandles: Equatable {
        var recipient: ContextFrame?
        var recipientVars: ContextFrame?
        var row: ContextFrame?
    }

    /// Appends the stack's frames to `stack` (a renderer's, whose memory is reused per message).
    @discardableResult
    func fill(_ stack: inout ContextStack, entry: EntryFrames, recipient: RecipientFrames?, rowFrame: Value?) -> FrameHandles {
        var slots = FrameHandles()
        stack.append(runBuiltins)
        if let frame = recipient?.recipient {
            slots.recipient = stack.append(frame)
        }
        if let frame = entry.message { stack.append(frame) }
        stack.append(jobVars)
        if let frame = recipient?.vars {
            slots.recipientVars = stack.append(frame)
        }
        if let frame = entry.vars { stack.append(frame) }
        // `as: .` spreads a map row's keys into the scope (so library templates read `{{team}}`).
        if let rowFrame {
            slots.row = stack.append(rowFrame)
        }
        if !run.overrides.isEmpty { stack.append(overrides) }
        return slots
    }
}
