/// A robot's budget (at most `limit` messages in any `window` seconds), counted from its sends:
/// an answered send counts from its answer, one in flight as if answered now. The same rule as
/// HeraldSend's shared budget file, so a batch run and the server agree.
package enum RobotBudget {
    package struct Send: Sendable, Equatable {
        package var count: Int
        /// Seconds since 1970; nil while in flight.
        package var answeredAt: Double?

        package init(count: Int, answeredAt: Double?) {
            self.count = count
            self.answeredAt = answeredAt
        }
    }

    /// The earliest time ≥ `now` at which `count` more messages fit; `now` when they fit now
    /// or `limit` is 0. A request of more messages than `limit` fits once the window is empty.
    package static func earliest(count: Int, sends: [Send], limit: Int, window: Double, now: Double) -> Double {
        guard limit > 0 else { return now }
        let allowed = max(0, limit - min(count, limit))
        let leaving = sends.map { (leaves: ($0.answeredAt ?? now) + window, count: $0.count) }
            .filter { $0.leaves > now }
            .sorted { $0.leaves > $1.leaves }
        var inWindow = 0
        for send in leaving {
            inWindow += send.count
            if inWindow > allowed { return send.leaves }
        }
        return now
    }
}
