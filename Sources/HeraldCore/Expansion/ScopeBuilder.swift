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

    init(job: Job, run: RunContext) {
        self.job = job
        self.run = run
        self.renderOptions = RenderOptions(timeZone: run.timeZone)
        self.runBuiltins = .map(OrderedMap([
            ("now", .string(run.nowText)),
            ("today", .string(run.todayText)),
            ("job", .map(OrderedMap([("name", .string(job.name))]))),
        ]))
        self.jobVars = .map(job.vars)
        self.overrides = .map(run.overrides)
        var recipientFrames: [String: Value] = [:]
        for name in job.recipients.keys {
            let frame = OrderedMap([("recipient", .map(OrderedMap([("name", .string(name))])))])
            recipientFrames[name] = .map(frame)
        }
        self.recipientFrames = recipientFrames
        var entryFrames: [Int: Value] = [:]
        for entry in job.messages {
            entryFrames[entry.index] = .map(OrderedMap([("message", .map(OrderedMap([("index", .int(entry.index))])))]))
        }
        self.entryFrames = entryFrames
    }

    /// What a row adds to the scope: `{<as>: row}`, or with `as: .` the row's own keys.
    func rowFrame(entry: MessageEntry, row: Value?) -> Value? {
        guard let row else { return nil }
        // distinctKeys: this runs once per row, and the general initializer is far slower.
        return entry.rowName == "." ? row : .map(OrderedMap(distinctKeys: [entry.rowName], values: [row]))
    }

    func stack(entry: MessageEntry, recipient: Recipient?, row: Value?) -> [Value] {
        stack(entry: entry, recipient: recipient, rowFrame: rowFrame(entry: entry, row: row))
    }

    func stack(entry: MessageEntry, recipient: Recipient?, rowFrame: Value?) -> [Value] {
        var stack: [Value] = []
        stack.reserveCapacity(8)
        stack.append(runBuiltins)
        if let recipient, let frame = recipientFrames[recipient.name] { stack.append(frame) }
        if let frame = entryFrames[entry.index] { stack.append(frame) }
        stack.append(jobVars)
        if let recipient, !recipient.vars.isEmpty { stack.append(.map(recipient.vars)) }
        if !entry.vars.isEmpty { stack.append(.map(entry.vars)) }
        // `as: .` spreads a map row's keys into the scope (so library templates read `{{team}}`).
        if let rowFrame { stack.append(rowFrame) }
        if !run.overrides.isEmpty { stack.append(overrides) }
        return stack
    }
}
