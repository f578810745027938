import Foundation

/// The queue's size, for `/metrics` (`herald_queue_requests{state}`, `herald_queue_oldest_seconds`).
package struct QueueStats: Sendable, Equatable {
    package var counts: [RequestState: Int]
    /// When the oldest queued request was accepted; nil when none is queued.
    package var oldestQueuedAt: Date?
    /// Seconds since `oldestQueuedAt` at `stats(now:)`'s `now`; 0 when none is queued.
    package var oldestQueuedSeconds: Double

    package init(counts: [RequestState: Int], oldestQueuedAt: Date?, now: Date) {
        var all: [RequestState: Int] = [:]
        for state in RequestState.allCases { all[state] = counts[state] ?? 0 }
        self.counts = all
        self.oldestQueuedAt = oldestQueuedAt
        self.oldestQueuedSeconds = oldestQueuedAt.map { max(0, now.timeIntervalSince($0)) } ?? 0
    }

    package subscript(_ state: RequestState) -> Int { counts[state] ?? 0 }
}
