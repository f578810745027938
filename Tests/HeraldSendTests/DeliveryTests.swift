import Foundation
import HeraldCore
import HeraldSend
import HeraldTestSupport
import Testing

@Suite struct DeliveryTests {
    @Test func threeLinksOfFortyFiveMessagesArriveInOrderAndByteForByte() async throws {
        try await withRelay { relay in
            let plan = makePlan(endpoint: relay.endpoint, links: 3, messages: 45)
            let result = await Runner(options: options(), clock: VirtualClock()).run(plan)
            #expect(result.exitCode == 0)
            #expect(result.count(.delivered) == 9)
            let received = relay.requests
            #expect(received.count == 9)
            // The exact bytes of the dry run arrived.
            #expect(Set(received.map(\.body)) == Set(plan.requests.map(\.body)))
            for l in 0..<3 {
                let lane = received.filter { $0.link == link(l) }.sorted { $0.order < $1.order }
                #expect(lane.map(\.messages.count) == [20, 20, 5])
                let contents = lane.flatMap(\.messages).compactMap { ($0["text"] as? [String: Any])?["content"] as? String }
                #expect(contents == (1...45).map { "link \(l) message \($0)" })
            }
            let first = try #require(received.first)
            #expect(first.method == "POST")
            #expect(first.uri == "/api/v1/openapi/notification/wecom?access_token=tok%20en%26SECRET%2F1")
            #expect(first.header("Content-Type") == "application/json")
            #expect(first.header("User-Agent") == "herald/\(HeraldVersion.current)")
        }
    }

    @Test func serverErrorThenSuccessIsRetried() async throws {
        try await withRelay({ _, attempt in attempt == 1 ? .json(500, "oops") : .accept }) { relay in
            let clock = VirtualClock()
            let result = await Runner(options: options(), clock: clock, random: halfJitter).run(makePlan(endpoint: relay.endpoint, links: 1, messages: 1))
            #expect(result.outcomes.map(\.status) == [.delivered])
            #expect(result.outcomes.first?.attempts == 2)
            #expect(clock.recordedWaits == [0.25]) // half of the 0.5 s first backoff
            #expect(relay.requests.count == 2)
        }
    }

    @Test func aConnectionRefusedBeforeTheRequestWentOutIsRetriedThenFinal() async throws {
        // Nothing listens on the port: the request never left, so retrying cannot duplicate it.
        let port = try await withRelay { relay in relay.port }
        let plan = makePlan(endpoint: "http://127.0.0.1:\(port)/api/v1/openapi/notification/wecom", links: 1, messages: 1)
        let result = await Runner(options: options(timeout: 2, retries: 1), clock: VirtualClock()).run(plan)
        let outcome = try #require(result.outcomes.first)
        #expect(outcome.status == .failed)
        #expect(outcome.attempts == 2)
        #expect(outcome.error?.contains("connection refused") == true, "\(outcome.error ?? "")")
    }

    @Test func aTimeoutAfterTheRequestWentOutIsUncertainNotRetried() async throws {
        try await withRelay({ _, _ in .respondAfter(seconds: 3, status: 200, headers: [], body: #"{"code":0}"#) }) { relay in
            let result = await Runner(options: options(timeout: 0.4, retries: 1), clock: VirtualClock())
                .run(makePlan(endpoint: relay.endpoint, links: 1, messages: 1))
            let outcome = try #require(result.outcomes.first)
            #expect(outcome.status == .uncertain)
            #expect(outcome.attempts == 1)
            #expect(outcome.error?.contains("--timeout") == true, "\(outcome.error ?? "")")
            #expect(relay.requests.count == 1)
            #expect(result.exitCode == 1)
        }
    }

    @Test func retryAfterInSecondsAndAsAnHTTPDateIsHonoured() async throws {
        // The HTTP-date is made when the relay answers, 30 s ahead (the header has whole seconds).
        let httpDate: @Sendable () -> String = {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            return formatter.string(from: Date().addingTimeInterval(30))
        }
        let cases: [(@Sendable () -> String, Double)] = [({ "7" }, 7), (httpDate, 30)]
        for (header, expected) in cases {
            try await withRelay({ _, attempt in attempt == 1 ? .json(429, "{}", headers: [("Retry-After", header())]) : .accept }) { relay in
                let clock = VirtualClock()
                let result = await Runner(options: options(), clock: clock).run(makePlan(endpoint: relay.endpoint, links: 1, messages: 1))
                #expect(result.outcomes.first?.status == .delivered)
                let wait = try #require(clock.recordedWaits.first)
                // An HTTP-date's wait shrinks by however long the answer took to be read (much
                // longer under a sanitizer: HERALD_TEST_TIME_SCALE), and by up to a second of rounding.
                let scale = ProcessInfo.processInfo.environment["HERALD_TEST_TIME_SCALE"].flatMap(Double.init) ?? 1
                #expect(wait >= expected - 1.5 * scale && wait <= expected + 1, "Retry-After waited \(wait), expected about \(expected)")
            }
        }
    }

    @Test func aRelayErrorIsFinalStopsItsLinkAndIsReported() async throws {
        let failing = link(0)
        try await withRelay({ request, _ in
            request.link == failing ? .json(200, #"{"code":40058,"data":{},"msg":"markdown.content exceed max length 4096","hint":"[abc123]"}"#) : .accept
        }) { relay in
            let plan = makePlan(endpoint: relay.endpoint, links: 2, messages: 45)
            let result = await Runner(options: options(), clock: VirtualClock()).run(plan)
            let lane0 = result.outcomes.filter { $0.link == LinkMask.mask(failing) }
            #expect(lane0.map(\.status) == [.failed, .notSent, .notSent])
            #expect(lane0.first?.code == 40058)
            #expect(lane0.first?.msg == "markdown.content exceed max length 4096")
            #expect(lane0.first?.hint == "[abc123]")
            #expect(lane0.first?.attempts == 1)
            #expect(result.outcomes.filter { $0.link == LinkMask.mask(link(1)) }.allSatisfy { $0.status == .delivered })
            #expect(relay.requests.filter { $0.link == failing }.count == 1, "later requests of the failed link were not sent")
            #expect(result.exitCode == 1)
        }
    }

    @Test func weComRateLimitIsRetriedAfterTheWindow() async throws {
        try await withRelay({ _, attempt in
            attempt == 1 ? .json(200, #"{"code":10001,"msg":"wecom error 45009","hint":"api freq out of limit"}"#) : .accept
        }) { relay in
            let clock = VirtualClock()
            let result = await Runner(options: options(), clock: clock).run(makePlan(endpoint: relay.endpoint, links: 1, messages: 1))
            #expect(result.outcomes.first?.status == .delivered)
            #expect(clock.recordedWaits == [60])
        }
    }

    @Test func pacingIsASlidingWindowOverMessages() async throws {
        try await withRelay { relay in
            let clock = VirtualClock()
            let result = await Runner(options: options(), clock: clock).run(makePlan(endpoint: relay.endpoint, links: 1, messages: 45, rateLimit: 20))
            #expect(result.count(.delivered) == 3)
            #expect(clock.recordedWaits == [60, 60], "20 at 0 s, 20 at 60 s, 5 at 120 s")
        }
        try await withRelay { relay in
            let clock = VirtualClock()
            _ = await Runner(options: options(), clock: clock).run(makePlan(endpoint: relay.endpoint, links: 1, messages: 40, batch: 10, rateLimit: 25))
            // 10+10 at 0 s; the third waits until both leave the window at 60 s, and the fourth fits beside it.
            #expect(clock.recordedWaits == [60])
        }
    }

    @Test func concurrencyIsBounded() async throws {
        try await withRelay({ _, _ in .respondAfter(seconds: 0.3, status: 200, headers: [], body: #"{"code":0}"#) }) { relay in
            let result = await Runner(options: options(concurrency: 2), clock: VirtualClock()).run(makePlan(endpoint: relay.endpoint, links: 6, messages: 1))
            #expect(result.count(.delivered) == 6)
            #expect(relay.maxInFlight == 2)
        }
    }

    @Test func interruptLetsTheInFlightRequestFinishAndSendsNothingMore() async throws {
        // The first answer waits until the interrupt: the run cannot get past it first.
        let interrupted = TestFlag()
        try await withRelay({ _, _ in .respondWhen(ready: { interrupted.isSet }, limit: 60, status: 200, body: #"{"code":0}"#) }) { relay in
            let runner = Runner(options: options(), clock: VirtualClock())
            let plan = makePlan(endpoint: relay.endpoint, links: 1, messages: 5, batch: 1)
            let task = Task { await runner.run(plan) }
            while relay.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            runner.interrupt()
            interrupted.set()
            let result = await task.value
            #expect(result.interrupted)
            #expect(result.exitCode == 130)
            #expect(result.outcomes.map(\.status) == [.delivered, .notSent, .notSent, .notSent, .notSent])
            #expect(relay.requests.count == 1)
        }
    }
}
