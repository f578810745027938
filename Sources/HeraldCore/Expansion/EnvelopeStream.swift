import Foundation

/// Expansion on its own thread, handing envelopes over in batches: rendering (on the other
/// cores) starts with the first batch instead of waiting for a 100k-row CSV to be expanded.
/// A bounded queue keeps at most a few batches in memory.
final class EnvelopeStream: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[Envelope]] = []
    private var finished = false
    private var finalLog: DiagnosticLog?
    private let capacity: Int

    /// Starts expanding; `log` is the expansion's starting log (it may already hold diagnostics).
    init(expander: Expander, only: Set<String>?, log: DiagnosticLog, batchSize: Int = 4096, capacity: Int = 4) {
        self.capacity = capacity
        let thread = Thread { [self] in
            var log = log
            expander.expand(only: only, log: &log, batchSize: batchSize) { self.put($0) }
            self.finish(log)
        }
        // `to:` templates render on this thread: give it the main thread's stack.
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func put(_ batch: [Envelope]) {
        condition.lock()
        while batches.count >= capacity { condition.wait() }
        batches.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    private func finish(_ log: DiagnosticLog) {
        condition.lock()
        finished = true
        finalLog = log
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, or nil once expansion has ended.
    func next() -> [Envelope]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }

    /// The expansion's diagnostics; call after `next()` returned nil.
    func log() -> DiagnosticLog {
        condition.lock()
        defer { condition.unlock() }
        while !finished { condition.wait() }
        return finalLog ?? DiagnosticLog()
    }
}
