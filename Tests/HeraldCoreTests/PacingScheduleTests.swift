import HeraldCore
import Testing

@Suite struct PacingScheduleTests {
    @Test func slidingWindowOverMessagesNotRequests() {
        var s = PacingSchedule(rateLimit: 20)
        var starts: [Double] = []
        var t = 0.0
        for count in [20, 20, 5] {
            t = s.earliestStart(count: count, notBefore: t)
            s.record(count: count, at: t)
            starts.append(t)
        }
        #expect(starts == [0, 60, 120])
    }

    @Test func smallRequestsShareTheWindow() {
        var s = PacingSchedule(rateLimit: 10)
        var starts: [Double] = []
        var t = 0.0
        for _ in 0..<5 {
            t = s.earliestStart(count: 4, notBefore: t)
            s.record(count: 4, at: t)
            starts.append(t)
            t += 1
        }
        // 4+4 fit at 0 and 1; the third waits until the first leaves the window (60), etc.
        #expect(starts == [0, 1, 60, 61, 120])
    }

    @Test func aRequestLargerThanTheLimitWaitsForAnEmptyWindow() {
        var s = PacingSchedule(rateLimit: 10)
        s.record(count: 3, at: 0)
        #expect(s.earliestStart(count: 20, notBefore: 5) == 60)
    }

    @Test func zeroMeansNoPacing() {
        var s = PacingSchedule(rateLimit: 0)
        s.record(count: 100, at: 0)
        #expect(s.earliestStart(count: 100, notBefore: 1) == 1)
    }
}
