@testable import HeraldServe
import Testing

@Suite struct RobotBudgetTests {
    typealias Send = RobotBudget.Send

    @Test func messagesFitUntilTheLimit() {
        let sends = [Send(count: 5, answeredAt: 100), Send(count: 10, answeredAt: 130)]
        #expect(RobotBudget.earliest(count: 5, sends: sends, limit: 20, window: 60, now: 140) == 140)
        // 6 more would make 21: wait until the first 5 leave at 160.
        #expect(RobotBudget.earliest(count: 6, sends: sends, limit: 20, window: 60, now: 140) == 160)
        #expect(RobotBudget.earliest(count: 16, sends: sends, limit: 20, window: 60, now: 140) == 190)
        #expect(RobotBudget.earliest(count: 50, sends: [], limit: 0, window: 60, now: 140) == 140, "no budget")
    }

    @Test func aSendInFlightCountsAsAnsweredNow() {
        let sends = [Send(count: 20, answeredAt: nil)]
        #expect(RobotBudget.earliest(count: 1, sends: sends, limit: 20, window: 60, now: 10) == 70)
    }

    @Test func aRequestOverTheLimitGoesWhenTheWindowIsEmpty() {
        #expect(RobotBudget.earliest(count: 30, sends: [], limit: 20, window: 60, now: 10) == 10)
        #expect(RobotBudget.earliest(count: 30, sends: [Send(count: 1, answeredAt: 5)], limit: 20, window: 60, now: 10) == 65)
    }

    @Test func sendsOutsideTheWindowDoNotCount() {
        #expect(RobotBudget.earliest(count: 20, sends: [Send(count: 20, answeredAt: 0)], limit: 20, window: 60, now: 60) == 60)
    }

    @Test func aClaimTakesTheHeadsThatMayGoNowAndSaysWhenTheNextCan() {
        let heads = [
            ClaimHead(id: 1, link: "full", notBefore: nil, messageCount: 1),
            ClaimHead(id: 2, link: "waiting", notBefore: 1_030, messageCount: 1),
            ClaimHead(id: 3, link: "a", notBefore: 990, messageCount: 5),
            ClaimHead(id: 4, link: "b", notBefore: nil, messageCount: 1),
            ClaimHead(id: 5, link: "c", notBefore: nil, messageCount: 1),
        ]
        // "full" sent 20 messages answered at 1,000 - 60 + 12: they leave the window at 1,012.
        let sends = ["full": [RobotBudget.Send(count: 20, answeredAt: 952)]]
        let both = ClaimHead.choose(heads, sends: sends, limit: 10, rateLimit: 20, window: 60, now: 1_000)
        #expect(both.chosen.map(\.id) == [3, 4, 5])
        #expect(both.nextDue == 1_012)
        let limited = ClaimHead.choose(heads, sends: sends, limit: 2, rateLimit: 20, window: 60, now: 1_000)
        #expect(limited.chosen.map(\.id) == [3, 4])
        #expect(limited.nextDue == 1_000, "a ready head left out by the limit is due now")
        let unpaced = ClaimHead.choose(heads, sends: sends, limit: 10, rateLimit: 0, window: 60, now: 1_000)
        #expect(unpaced.chosen.map(\.id) == [1, 3, 4, 5])
        #expect(unpaced.nextDue == 1_030)
        #expect(ClaimHead.choose([], sends: [:], limit: 10, rateLimit: 20, window: 60, now: 1_000) == ([], nil))
    }
}
