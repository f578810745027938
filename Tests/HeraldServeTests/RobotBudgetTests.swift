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
}
