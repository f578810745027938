import Foundation

/// A loaded job's stages, each value in, value out: expansion (job → envelopes), then one
/// message path (`MessageEncoder`: rendering, envelope → draft; fitting, draft → parts;
/// encoding, parts → tagged JSON); planning (JSON → requests) takes what they give. `runSequentially` is the definition of a run; `PipelineExecutor` runs the
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
    let compiled: CompiledJob
    /// Keep every message whole (`PlanningOptions.keepsMessages`); off, only the JSON is made.
    let keepsMessages: Bool

    init(job: Job, run: RunContext, only: Set<String>?, keepsMessages: Bool = true) {
        self.job = job
        self.run = run
        self.scopes = ScopeBuilder(job: job, run: run)
        self.only = only
        self.keepsMessages = keepsMessages
        compiled = CompiledJob(job: job, scopes: scopes)
    }

    /// Expansion, handing envelopes to `emit` in batches of `batchSize` as they are made.
    /// `csvPieces`: how many parts a large CSV is cut into and read at once.
    func expand(log: inout DiagnosticLog, csvPieces: Int = 1, batchSize: Int = .max, emit: ([Envelope]) -> Void) {
        Expander(job: job, run: run, scopes: scopes, compiled: compiled, csvPieces: csvPieces).expand(only: only, log: &log, batchSize: batchSize, emit: emit)
    }

    /// The message path for one thread (its renderer is not shared between threads).
    func makeEncoder() -> MessageEncoder {
        MessageEncoder(renderer: MessageRenderer(job: job, scopes: scopes, images: images, compiled: compiled), keepsMessages: keepsMessages)
    }

    /// The definition: expand everything, then render, fit and encode each envelope in order, on this
    /// thread. `log` gains expansion's diagnostics, then rendering's and fitting's.
    func runSequentially(log: inout DiagnosticLog, consume: (EncodedMessage) -> Void) {
        var envelopes: [Envelope] = []
        // One batch (batchSize .max) is taken as it is, not copied.
        expand(log: &log) { if envelopes.isEmpty { envelopes = $0 } else { envelopes += $0 } }
        var renderLog = DiagnosticLog(limit: .max)
        let encoder = makeEncoder()
        let messages = EncodedMessages()
        for envelope in envelopes {
            encoder.encode(envelope, log: &renderLog, into: messages)
            if !messages.isEmpty {
                messages.forEach(consume)
                messages.removeAll()
            }
        }
        log.append(contentsOf: renderLog.diagnostics)
    }
}
