import Foundation

/// Renders envelopes on every core and hands the messages on in envelope order.
///
/// Envelopes go in batches; each batch is cut into one slice per worker, and each worker has
/// its own renderer and its own log (images are read once, into a cache they share). Slices are merged in order, so the
/// messages and the diagnostics are exactly those of a sequential run.
struct RenderingPass {
    let job: Job
    let scopes: ScopeBuilder
    var images = ImageCache()
    var workers = RenderingPass.defaultWorkers

    /// All cores, or `HERALD_THREADS` (for benchmarks and bisecting).
    static var defaultWorkers: Int {
        if let n = ProcessInfo.processInfo.environment["HERALD_THREADS"].flatMap(Int.init), n > 0 { return n }
        return ProcessInfo.processInfo.activeProcessorCount
    }
    /// Bounds what a batch holds before it reaches the planner.
    var batchSize = 8192
    /// Below this many envelopes per worker, threads cost more than they save.
    var minimumSlice = 512

    func run(_ envelopes: [Envelope], log: inout DiagnosticLog, consume: (RenderedMessage) -> Void) {
        let workers = max(1, min(self.workers, envelopes.count / minimumSlice))
        if workers == 1 {
            let renderer = MessageRenderer(job: job, scopes: scopes, images: images)
            for envelope in envelopes {
                if let m = renderer.render(envelope, log: &log) { consume(m) }
            }
            return
        }
        var start = 0
        while start < envelopes.count {
            let end = min(start + batchSize, envelopes.count)
            let slices = Self.split(start..<end, into: workers)
            let results = SliceResults(count: slices.count)
            DispatchQueue.concurrentPerform(iterations: slices.count) { w in
                let renderer = MessageRenderer(job: job, scopes: scopes, images: images)
                var local = DiagnosticLog(limit: .max)
                var messages: [RenderedMessage] = []
                messages.reserveCapacity(slices[w].count)
                for envelope in envelopes[slices[w]] {
                    if let m = renderer.render(envelope, log: &local) { messages.append(m) }
                }
                results.store(w, messages: messages, diagnostics: local.diagnostics)
            }
            for w in slices.indices {
                let (messages, diagnostics) = results.take(w)
                log.append(contentsOf: diagnostics)
                for m in messages { consume(m) }
            }
            start = end
        }
    }

    static func split(_ range: Range<Int>, into parts: Int) -> [Range<Int>] {
        let size = (range.count + parts - 1) / parts
        return stride(from: range.lowerBound, to: range.upperBound, by: max(1, size)).map {
            $0..<min($0 + size, range.upperBound)
        }
    }
}

/// One slot per worker; each worker writes only its own.
private final class SliceResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [([RenderedMessage], [Diagnostic])]

    init(count: Int) { slots = Array(repeating: ([], []), count: count) }

    func store(_ slot: Int, messages: [RenderedMessage], diagnostics: [Diagnostic]) {
        lock.lock()
        slots[slot] = (messages, diagnostics)
        lock.unlock()
    }

    func take(_ slot: Int) -> ([RenderedMessage], [Diagnostic]) {
        lock.lock()
        defer { lock.unlock() }
        let result = slots[slot]
        slots[slot] = ([], [])
        return result
    }
}
