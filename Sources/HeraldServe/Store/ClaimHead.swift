/// A link's first claimable request, as a store's claim reads it; `choose` is the one rule both
/// stores claim by.
package struct ClaimHead: Sendable, Equatable {
    package var id: Int64
    package var link: String
    /// Seconds since 1970: a retry's wait; nil when it may go now.
    package var notBefore: Double?
    package var messageCount: Int

    package init(id: Int64, link: String, notBefore: Double?, messageCount: Int) {
        self.id = id
        self.link = link
        self.notBefore = notBefore
        self.messageCount = messageCount
    }

    /// Of `heads` (one a link, oldest first), those that may be sent `now` — past their
    /// `notBefore`, their robot's window (`sends`, `RobotBudget`) has room — at most `limit`;
    /// and the earliest time a head left out could go (nil: none waits).
    package static func choose(_ heads: [ClaimHead], sends: [String: [RobotBudget.Send]], limit: Int, rateLimit: Int,
                               window: Double, now: Double) -> (chosen: [ClaimHead], nextDue: Double?) {
        var chosen: [ClaimHead] = []
        var nextDue: Double?
        func due(_ time: Double) { nextDue = min(nextDue ?? time, time) }
        for head in heads {
            if let notBefore = head.notBefore, notBefore > now {
                due(notBefore)
                continue
            }
            let fits = RobotBudget.earliest(count: head.messageCount, sends: sends[head.link] ?? [], limit: rateLimit,
                                            window: window, now: now)
            if fits > now {
                due(fits)
                continue
            }
            if chosen.count == limit {
                due(now)
                break
            }
            chosen.append(head)
        }
        return (chosen, nextDue)
    }
}
