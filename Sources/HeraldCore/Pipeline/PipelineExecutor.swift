import Foundation

/// Runs a pipeline's stages on `threads` threads with exactly the result of
/// `Pipeline.runSequentially`: expansion streams envelopes from its own thread, batches are
/// rendered, fitted and encoded in small slices that the workers take as they come free (a slice per
/// worker left a core idle whenever the other was descheduled), and slices are merged in
/// order on the caller's thread, so messages and diagnostics come out as one thread makes them.
package struct PipelineExecutor: Sendable {
    /// Threads for rendering (and pieces of a large CSV); 1 runs the sequential definition.
    package var threads: Int
    /// Envelopes a batch holds before it reaches the consumer.
    var batchSize = 8192
    /// Below this many envelopes per worker, threads cost more than they save.
    var minimumSlice = 128
    /// Envelopes a worker takes at a time: small enough to balance, large enough to amortise.
    var sliceSize = 256

    package init(threads: Int) { self.threads = max(1, threads) }

    /// Every core of this machine.
    package static var allCores: PipelineExecutor { PipelineExecutor(threads: ProcessInfo.processInfo.activeProcessorCount) }

    /// `log` holds what came before (loading) and gains expansion's diagnostics, then the rest.
    func run(_ pipeline: Pipeline, log: inout DiagnosticLog, consume: (EncodedMessage) -> Void) {
        if threads == 1 {
            pipeline.runSequentially(log: &log, consume: consume)
            return
        }
        let stream = EnvelopeStream(pipeline: pipeline, log: log, csvPieces: 4 * threads)
        let queue = BoundedQueue<[(EncodedMessages, [Diagnostic])]>(capacity: 2)
        // Batches render on a thread of their own while the caller (perhaps a cooperative-pool
        // thread) consumes the previous one: the consumer never holds the workers up.
        let thread = Thread { [self] in
            while let batch = stream.next() { queue.put(process(batch, in: pipeline)) }
            queue.finish()
        }
        thread.stackSize = 8 << 20  // templates recurse through sections and partials
        thread.start()
        var renderLog = DiagnosticLog(limit: .max)
        while let slices = queue.next() {
            for (messages, diagnostics) in slices {
                renderLog.append(contentsOf: diagnostics)
                messages.forEach(consume)
            }
        }
        log = stream.log()
        log.append(contentsOf: renderLog.diagnostics)
    }

    /// One batch's messages and diagnostics, slice by slice in envelope order.
    func process(_ envelopes: [Envelope], in pipeline: Pipeline) -> [(EncodedMessages, [Diagnostic])] {
        let workers = max(1, min(threads, envelopes.count / minimumSlice))
        @Sendable func slice(_ range: Range<Int>) -> (EncodedMessages, [Diagnostic]) {
            let encoder = pipeline.makeEncoder()
            var local = DiagnosticLog(limit: .max)
            let messages = EncodedMessages()
            for envelope in envelopes[range] { encoder.encode(envelope, log: &local, into: messages) }
            return (messages, local.diagnostics)
        }
        if workers == 1 { return [slice(envelopes.indices)] }
        var all: [(EncodedMessages, [Diagnostic])] = []
        var start = 0
        while start < envelopes.count {
            let end = min(start + batchSize, envelopes.count)
            let slices = Self.split(start..<end, into: max(workers, (end - start) / sliceSize))
            let results = ThreadResults<(EncodedMessages, [Diagnostic])>(count: slices.count)
            DispatchQueue.concurrentPerform(iterations: slices.count) { w in results.store(w, slice(slices[w])) }
            for w in slices.indices { all.append(results.take(w) ?? (EncodedMessages(), [])) }
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
