import Foundation
@testable import HeraldCore
import HeraldSend
import HeraldTestSupport
import Testing

/// Herald processes on one machine share each robot's budget through a state file per link.
/// Each Runner here opens its own descriptors, so `flock` between them behaves as between
/// processes (flock locks belong to an open file description).
@Suite struct SharedBudgetTests {
    /// Two runs, 30 messages each to one robot at rate_limit 20, with the window shortened to
    /// 0.6 s: the relay never sees more than 20 in any window, and every message arrives once.
    /// A sanitized build (HERALD_TEST_TIME_SCALE) gets a longer window: when one request takes
    /// longer than the window, no run ever has to wait for the other's sends.
    @Test func twoRunsShareOneRobotsBudget() async throws {
        let window = 0.6 * (ProcessInfo.processInfo.environment["HERALD_TEST_TIME_SCALE"].flatMap(Double.init) ?? 1)
        let directory = temporaryDirectory("budget")
        try await withRelay { relay in
            func plan(_ run: Int) -> Plan {
                var rendered: [RenderedMessage] = []
                for m in 1...30 {
                    rendered.append(RenderedMessage(messageIndex: 1, rowNumber: m, recipient: "r", link: link(0), sk: nil,
                                                    kind: .wecomText, body: ["content": .string("run \(run) message \(m)")]))
                }
                return Plan(jobName: "run\(run)", endpoint: relay.endpoint, now: Date(), rateLimit: 20,
                            requests: Planner.requests(for: rendered, maxBatch: 5))
            }
            let runs = [plan(1), plan(2)].map { plan in
                Task { await Runner(options: options(rateWindow: window, stateDirectory: directory)).run(plan) }
            }
            var results: [RunResult] = []
            for run in runs { results.append(await run.value) }
            #expect(results.allSatisfy { $0.exitCode == 0 })
            let received = relay.requests
            let contents = received.flatMap(\.messages).compactMap { ($0["text"] as? [String: Any])?["content"] as? String }
            #expect(contents.count == 60 && Set(contents).count == 60, "every message arrives once")
            let start = try #require(received.first?.arrival)
            let busiest = busiestWindow(received.map { ($0.arrival.timeIntervalSince(start), $0.messages.count) }, window: window)
            #expect(busiest <= 20, "the relay saw \(busiest) messages within \(window) s")
            let shared = results.flatMap(\.outcomes).compactMap { $0.waits[.sharedBudget] }
            #expect(!shared.isEmpty, "a run waited for the other's sends")
        }
    }

    /// A 45009 answer marks the robot's window full for every process.
    @Test func aRateLimitAnswerMakesOtherRunsWait() async throws {
        let directory = temporaryDirectory("full")
        // The state file holds wall-clock times: however long this machine takes between the
        // two runs is taken off the second run's wait.
        let before = Date()
        let first = VirtualClock()
        let once = TestFlag()
        let relay = InMemoryRelay(clock: first) { _, _ in
            if once.isSet { return .accept }
            once.set()
            return .json(200, #"{"code":10001,"msg":"wecom error 45009","hint":"api freq out of limit"}"#)
        }
        let a = await Runner(options: options(stateDirectory: directory), clock: first, transport: relay)
            .run(memoryPlan(links: 1, messages: 1))
        #expect(a.outcomes.first?.waits == [.weComRateLimit: 60])
        // Another run starting now (its own clock, its own descriptors) waits for the same window.
        let second = VirtualClock()
        let b = await Runner(options: options(stateDirectory: directory), clock: second, transport: InMemoryRelay(clock: second))
            .run(memoryPlan(links: 1, messages: 1))
        let elapsed = Date().timeIntervalSince(before)
        // On a machine so loaded that a minute passed between the runs, nothing is left to wait.
        let waited = b.outcomes.first?.waits[.sharedBudget] ?? 0
        #expect(waited >= 60 - elapsed - 0.001 && waited <= 60, "waited \(waited) s, \(elapsed) s after the first run started")
        #expect(b.exitCode == 0)
    }

    @Test func theStateFileHoldsAHashAndTimesButNoSecret() async throws {
        let directory = temporaryDirectory("secrets")
        let clock = VirtualClock()
        // A long window: the file keeps its sends however slowly this machine runs (a sanitizer build under load).
        let result = await Runner(options: options(rateWindow: 3600, stateDirectory: directory), clock: clock, transport: InMemoryRelay(clock: clock))
            .run(memoryPlan(links: 2, messages: 3))
        #expect(result.exitCode == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(files.count == 2)
        for name in files {
            #expect(name.range(of: #"^[0-9a-f]{64}\.json$"#, options: .regularExpression) != nil, "\(name)")
            let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            for secret in [token, "KEYSECRET", "qyapi", "key="] { #expect(!text.contains(secret), "\(secret) in \(text)") }
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(object["link_sha256"] as? String == String(name.dropLast(5)))
            #expect((object["sends"] as? [[String: Any]])?.first?["messages"] as? Int == 3)
        }
    }

    @Test func sendTimesInTheFutureAreIgnoredWithAWarningNotWaitedFor() async throws {
        let directory = temporaryDirectory("future")
        let clock = VirtualClock()
        _ = await Runner(options: options(stateDirectory: directory), clock: clock, transport: InMemoryRelay(clock: clock))
            .run(memoryPlan(links: 1, messages: 1))
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first)
        let path = directory + "/" + name
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let now = Date().timeIntervalSince1970
        // A clock stepped back an hour, a damaged file: sends that start or end in the future, a full window for ever.
        object["sends"] = [["id": "x-1", "start": now + 3600, "end": now + 3630, "messages": 20, "open": true],
                           ["id": "x-2", "start": now - 10, "end": now + 7200, "messages": 20, "open": false]]
        object["full_until"] = now + 1e9
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        let warnings = TestText()
        let relay = InMemoryRelay(clock: clock)
        let waitsBefore = clock.recordedWaits.count
        let result = await Runner(options: options(stateDirectory: directory), clock: clock,
                                  progress: Progress(live: false) { warnings.append($0) }, transport: relay)
            .run(memoryPlan(links: 1, messages: 5))
        #expect(result.exitCode == 0)
        #expect(relay.requests.count == 1)
        #expect(clock.recordedWaits.dropFirst(waitsBefore).allSatisfy { $0 < 1 }, "nothing waited for the impossible times: \(clock.recordedWaits)")
        #expect(warnings.text.contains("holds send times in the future"), "\(warnings.text)")
    }

    @Test func aCorruptStateFileIsAWarningNotALostMessage() async throws {
        let directory = temporaryDirectory("corrupt")
        let clock = VirtualClock()
        _ = await Runner(options: options(stateDirectory: directory), clock: clock, transport: InMemoryRelay(clock: clock))
            .run(memoryPlan(links: 1, messages: 1))
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first)
        try Data("{\"sends\": [garbage".utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        let warnings = TestText()
        let relay = InMemoryRelay(clock: clock)
        let result = await Runner(options: options(stateDirectory: directory), clock: clock,
                                  progress: Progress(live: false) { warnings.append($0) }, transport: relay)
            .run(memoryPlan(links: 1, messages: 45))
        #expect(result.exitCode == 0)
        #expect(relay.requests.count == 3)
        #expect(warnings.text.contains("herald: warning: the shared budget file \(directory)/\(name) is not herald's state"), "\(warnings.text)")
        let repaired = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        #expect((try? JSONSerialization.jsonObject(with: repaired)) != nil, "the file was started afresh")
    }

    @Test func anUnusableStateFolderIsAWarningAndEachRunPacesAlone() async throws {
        // A folder below a regular file cannot be made, whoever runs the test.
        let file = temporaryPath("plain-file")
        try Data().write(to: URL(fileURLWithPath: file))
        let clock = VirtualClock()
        let warnings = TestText()
        let relay = InMemoryRelay(clock: clock)
        let result = await Runner(options: options(stateDirectory: file + "/state"), clock: clock,
                                  progress: Progress(live: false) { warnings.append($0) }, transport: relay)
            .run(memoryPlan(links: 2, messages: 45))
        #expect(result.exitCode == 0)
        #expect(relay.requests.count == 6)
        #expect(clock.recordedWaits == [60, 60], "still paced")
        #expect(warnings.text.components(separatedBy: "warning:").count - 1 == 1, "warned once: \(warnings.text)")
        #expect(warnings.text.contains("cannot use the state folder \(file)/state"))
    }
}
