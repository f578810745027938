import Foundation
import HeraldTemplate

/// Expansion on its own thread, handing envelopes over in batches: rendering (on the other
/// cores) starts with the first batch instead of waiting for a 100k-row CSV to be expanded.
/// A bounded queue keeps at most a few batches in memory.
final class EnvelopeStream: Sendable {
    private let batches: BoundedQueue<[Envelope]>
    private let finalLog = Locked<DiagnosticLog?>(nil)

    /// Starts expanding; `log` is the expansion's starting log (it may already hold diagnostics).
    init(pipeline: Pipeline, log: DiagnosticLog, csvPieces: Int, batchSize: Int = 4096, capacity: Int = 4) {
        batches = BoundedQueue(capacity: capacity)
        let thread = Thread { [self] in
            var log = log
            pipeline.expand(log: &log, csvPieces: csvPieces, batchSize: batchSize) { self.batches.put($0) }
            finalLog.withLock { $0 = log }
            batches.finish()
        }
        // `to:` templates render on this thread: give it the main thread's stack.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The next batch, or nil once expansion has ended.
    func next() -> [Envelope]? { batches.next() }

    /// The expansion's diagnostics; call after `next()` returned nil.
    func log() -> DiagnosticLog {
        finalLog.withLock { $0 } ?? DiagnosticLog()
    }
}
