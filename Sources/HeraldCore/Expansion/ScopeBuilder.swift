import HeraldTemplate

/// Builds a message's context stack, outermost first (SPEC §1 scopes, innermost wins):
/// built-ins < job vars (with vars_files) < recipient vars < message vars < row < command line.
struct ScopeBuilder: Sendable {
    let job: Job
    let run: RunContext
    let renderOptions: RenderOptions
    private let runBuiltins: Value
    private let jobVars: Value
    private let overrides: Value

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
    }

    func stack(entry: MessageEntry, recipient: Recipient?, row: Value?) -> [Value] {
        var envelopeBuiltins = OrderedMap()
        if let recipient { envelopeBuiltins["recipient"] = .map(OrderedMap([("name", .string(recipient.name))])) }
        envelopeBuiltins["message"] = .map(OrderedMap([("index", .int(entry.index))]))
        var stack: [Value] = [runBuiltins, .map(envelopeBuiltins), jobVars]
        stack.reserveCapacity(7)
        if let recipient, !recipient.vars.isEmpty { stack.append(.map(recipient.vars)) }
        if !entry.vars.isEmpty { stack.append(.map(entry.vars)) }
        if let row { stack.append(.map(OrderedMap([(entry.rowName, row)]))) }
        if !run.overrides.isEmpty { stack.append(overrides) }
        return stack
    }
}
