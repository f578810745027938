/// Per-link pacing: at most `rateLimit` messages in any 60-second sliding window,
/// counted over the messages in each request's `data`, not over requests.
///
/// Pure arithmetic on seconds so the runner (with a real or test clock) and `herald plan`
/// (earliest send times) share one rule.
package struct PacingSchedule: Sendable {
    package let rateLimit: Int
    package let window: Double
    /// (time sent, messages) of recent requests on this link.
    private var sent: [(time: Double, count: Int)] = []

    package init(rateLimit: Int, window: Double = 60) {
        self.rateLimit = rateLimit
        self.window = window
    }

    /// The earliest time ≥ `now` at which a request of `count` messages may start.
    /// A request larger than the limit waits for an empty window, then goes alone.
    package func earliestStart(count: Int, notBefore now: Double) -> Double {
        guard rateLimit > 0 else { return now }
        let allowed = max(0, rateLimit - min(count, rateLimit))
        var inWindow = 0
        // Walk back from the newest: find the send whose expiry frees enough room.
        for entry in sent.reversed() where entry.time + window > now {
            inWindow += entry.count
            if inWindow > allowed { return max(now, entry.time + window) }
        }
        return now
    }

    package mutating func record(count: Int, at time: Double) {
        guard rateLimit > 0 else { return }
        sent.append((time, count))
        sent.removeAll { $0.time + window <= time }
    }
}
