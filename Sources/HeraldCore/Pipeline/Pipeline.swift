import Foundation

/// A loaded job's stages, each value in, value out: expansion (job → envelopes), rendering
/// (envelope → draft), fitting (draft → messages); planning (messages → requests) takes
/// what they give. `runSequentially` is the definition of a run; `PipelineExecutor` runs the
/// same stages on several threads and must give the same messages and diagnostics.
struct Pipeline: Sendable {
    let job: Job
    let run: RunContext
    let scopes: ScopeBuilder
    /// `--only`: the recipients to keep; nil keeps all.
    let only: Set<String>?
    /// Images are read once per run, whichever thread renders them.
    let images = ImageCache()
    /// Each entry's and recipient's lookups, made once per run for every renderer.
    let renderPlan: RenderPlan
    /// Only the plan is wanted: the usual message goes straight to its JSON (DirectEncoding).
    let encodesDirectly: Bool

    init(job: Job, run: RunContext, only: Set<String>?, encodesDirectly: Bool = false) {
        self.job = job
        self.run = run
        self.scopes = ScopeBuilder(job: job, run: run)
        self.only = only
        self.encodesDirectly = encodesDirectly
        renderPlan = RenderPlan(job: job, scopes: scopes)
    }

    /// Expansion, handing envelopes to `emit` in batches of `batchSize` as they are made.
    /// `csvPieces`: how many parts a large CSV is cut into and read at once.
    func expand(log: inout DiagnosticLog, csvPieces: Int = 1, batchSize: Int = .max, emit: ([Envelope]) -> Void) {
        Expander(job: job, run: run, scopes: scopes, plan: renderPlan, csvPieces: csvPieces).expand(only: only, log: &log, batchSize: batchSize, emit: emit)
    }

    /// A renderer for one thread (renderers are not shared between threads).
    func makeRenderer() -> MessageRenderer { MessageRenderer(job: job, scopes: scopes, images: images, plan: renderPlan) }

    /// Rendering then fitting of one envelope: its message, or its parts, appended to `out`.
    func process(_ envelope: Envelope, with renderer: MessageRenderer, log: inout DiagnosticLog, into out: inout FittedMessages) {
        if encodesDirectly, renderer.encodeDirectly(envelope, into: &out) { return }
        guard let draft = renderer.render(envelope, log: &log) else { return }
        MessageFitter.fit(draft, log: &log, into: &out, scratch: renderer.scratch)
    }

    /// The definition: expand everything, then render and fit each envelope in order, on this
    /// thread. `log` gains expansion's diagnostics, then rendering's and fitting's.
    func runSequentially(log: inout DiagnosticLog, consume: (FittedMessage) -> Void) {
        var envelopes: [Envelope] = []
        // One batch (batchSize .max) is taken as it is, not copied.
        expand(log: &log) { if envelopes.isEmpty { envelopes = $0 } else { envelopes += $0 } }
        var renderLog = DiagnosticLog(limit: .max)
        let renderer = makeRenderer()
        var messages = FittedMessages()
        for envelope in envelopes {
            process(envelope, with: renderer, log: &renderLog, into: &messages)
            if !messages.isEmpty {
                messages.forEach(recipients: renderPlan.recipients, consume)
                messages.removeAll()
            }
        }
        log.append(contentsOf: renderLog.diagnostics)
    }
}
