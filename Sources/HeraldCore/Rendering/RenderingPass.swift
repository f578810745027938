import Foundation

/// Renders envelopes on every core and hands the messages on in envelope order.
///
/// Envelopes go in batches; each batch is cut into small slices that the workers take as they
/// come free (a slice per worker left one core idle whenever the other was descheduled), each
/// with its own renderer and log (images are read once, into a cache they share). Slices are
/// merged in order, so the messages and the diagnostics are exactly those of a sequential run.
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
    var minimumSlice = 128
    /// Envelopes a worker takes at a time: small enough to balance, large enough to amortise.
    var sliceSize = 256

    func run(_ envelopes: [Envelope], log: inout DiagnosticLog, consume: (RenderedMessage) -> Void) {
        for (messages, diagnostics) in render(envelopes) {
            log.append(contentsOf: diagnostics)
            for m in messages { consume(m) }
        }
    }

    /// Renders batch after batch on a thread of its own and hands the messages on in order on
    /// the caller's thread: the consumer never holds the workers up, and the caller, which may
    /// be a cooperative-pool thread, only waits.
    func run(batches next: @escaping @Sendable () -> [Envelope]?, log: inout DiagnosticLog, consume: (RenderedMessage) -> Void) {
        let queue = BoundedQueue<[([RenderedMessage], [Diagnostic])]>(capacity: 2)
        let thread = Thread { [self] in
            while let batch = next() { queue.put(render(batch)) }
            queue.finish()
        }
        thread.stackSize = 8 << 20  // templates recurse through sections and partials
        thread.start()
        while let slices = queue.next() {
            for (messages, diagnostics) in slices {
                log.append(contentsOf: diagnostics)
                for m in messages { consume(m) }
            }
        }
    }

    /// One batch's messages and diagnostics, slice by slice in envelope order.
    private func render(_ envelopes: [Envelope]) -> [([RenderedMessage], [Diagnostic])] {
        let workers = max(1, min(self.workers, envelopes.count / minimumSlice))
        if workers == 1 {
            let renderer = MessageRenderer(job: job, scopes: scopes, images: images)
            var local = DiagnosticLog(limit: .max)
            var messages: [RenderedMessage] = []
            for envelope in envelopes {
                renderer.render(envelope, log: &local, into: &messages)
            }
            return [(messages, local.diagnostics)]
        }
        var all: [([RenderedMessage], [Diagnostic])] = []
        var start = 0
        while start < envelopes.count {
            let end = min(start + batchSize, envelopes.count)
            let slices = Self.split(start..<end, into: max(workers, (end - start) / sliceSize))
            let results = Slots<([RenderedMessage], [Diagnostic])>(count: slices.count)
            DispatchQueue.concurrentPerform(iterations: slices.count) { w in
                let renderer = MessageRenderer(job: job, scopes: scopes, images: images)
                var local = DiagnosticLog(limit: .max)
                var messages: [RenderedMessage] = []
                messages.reserveCapacity(slices[w].count)
                for envelope in envelopes[slices[w]] {
                    renderer.render(envelope, log: &local, into: &messages)
                }
                results.store(w, (messages, local.diagnostics))
            }
            for w in slices.indices { all.append(results.take(w) ?? ([], [])) }
            start = end
        }
        return all
    }

    static func split(_ range: Range<Int>, into parts: Int) -> [Range<Int>] {
        let size = (range.count + parts - 1) / parts
        return stride(from: range.lowerBound, to: range.upperBound, by: max(1, size)).map {
            $0..<min($0 + size, range.upperBound)
        }
    }
}
