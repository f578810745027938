import Foundation
import HeraldCore
import HeraldSend
import HeraldTestSupport
import Testing

/// Pacing, concurrency, order, retries and interruption on the virtual clock with the
/// in-memory relay: no sockets, no real waiting.
@Suite struct SchedulingTests {
    /// 41 messages a robot at 20 a minute is 20 + 20 + 1: requests at 0, 60 and 120 s. A link
    /// waiting for its window holds no slot, so 100 robots at concurrency 8 (or 1) still
    /// finish at 120 s, not 13 × 120 s.
    @Test(arguments: [8, 1])
    func hundredRobotsFinishOnTheSlowestRobotsSchedule(concurrency: Int) async throws {
        let clock = VirtualClock()
        let relay = InMemoryRelay(clock: clock)
        let plan = memoryPlan(links: 100, messages: 41)
        let result = await Runner(options: options(concurrency: concurrency), clock: clock, transport: relay).run(plan)
        #expect(result.exitCode == 0)
        #expect(result.count(.delivered) == 300)
        #expect(clock.now() == 120, "the run ends on the robots' own schedule")
        #expect(relay.maxInFlight <= concurrency)
        if concurrency > 1 { #expect(relay.maxInFlight > 1, "requests do overlap") }
        let byLink = Dictionary(grouping: relay.requests, by: { $0.link ?? "" })
        #expect(byLink.count == 100)
        for (_, arrivals) in byLink {
            let inOrder = arrivals.sorted { $0.order < $1.order }
            #expect(inOrder.map(\.time) == [0, 60, 120])
            #expect(inOrder.map(\.messages.count) == [20, 20, 1])
            let rows = inOrder.flatMap(\.messages).compactMap { ($0["text"] as? [String: Any])?["content"] as? String }
                .map { $0.split(separator: " ").last.map(String.init) ?? "" }
            #expect(rows == (1...41).map(String.init), "order per link")
            #expect(busiestWindow(inOrder.map { ($0.answeredAt ?? 0, $0.messages.count) }, window: 60) <= 20)
        }
        // The second and third requests of each robot waited 60 s for their window.
        let waits = result.outcomes.map { $0.waits[.pacing] ?? 0 }
        #expect(waits.filter { $0 == 60 }.count == 200)
        #expect(result.outcomes.allSatisfy { ($0.waits[.concurrency] ?? 0) == 0 }, "virtual requests take no time")
    }

    /// The window counts each request from its answer: a slow first answer (10 s) moves the
    /// window, so the server — whenever it counted — never sees more than the limit in 60 s.
    @Test func aSlowAnswerCountsFromWhenItArrived() async throws {
        let clock = VirtualClock()
        let relay = InMemoryRelay(clock: clock) { arrival, _ in arrival.order == 0 ? .after(seconds: 10, .accept) : .accept }
        let result = await Runner(options: options(), clock: clock, transport: relay)
            .run(memoryPlan(links: 1, messages: 4, batch: 1, rateLimit: 2))
        #expect(result.exitCode == 0)
        // Sent at 0 (answered at 10), 10, then 70 and 70: counted from the send, the third
        // would go at 60, within 60 s of the first answer the server may have counted at 10.
        #expect(relay.requests.map(\.time) == [0, 10, 70, 70])
        #expect(busiestWindow(relay.requests.map { ($0.answeredAt ?? 0, 1) }, window: 60) <= 2)
        #expect(result.outcomes.map { $0.waits[.pacing] ?? 0 } == [0, 0, 60, 0])
    }

    @Test func eachWaitIsReportedWithItsReason() async throws {
        let clock = VirtualClock()
        // The first attempt of each link's first request fails in its own way.
        let relay = InMemoryRelay(clock: clock) { arrival, attempt in
            guard attempt == 1, arrival.order < 5 else { return .accept }
            switch arrival.link {
            case link(0): return .json(200, #"{"code":10001,"msg":"wecom error 45009","hint":"api freq out of limit"}"#)
            case link(1): return .json(429, "{}", retryAfter: "7")
            case link(2): return .fail(.refused(host: "127.0.0.1:1"))
            case link(3): return .json(200, #"{"code":130101,"msg":"send too fast"}"#)
            default: return .accept
            }
        }
        let progress = TestText()
        let result = await Runner(options: options(), clock: clock, progress: Progress(live: true) { progress.append($0) },
                                  random: halfJitter, transport: relay)
            .run(memoryPlan(links: 5, messages: 25, rateLimit: 20))
        #expect(result.exitCode == 0)
        func waits(_ l: Int) -> [[WaitReason: Double]] { result.outcomes.filter { $0.link == LinkMask.mask(link(l)) }.map(\.waits) }
        // Every attempt counts in the window (the relay may have counted a failed one), so a
        // retry before the window has room waits for pacing too.
        #expect(waits(0) == [[.weComRateLimit: 60], [.pacing: 60]])
        #expect(waits(1) == [[.retryAfter: 7, .pacing: 53], [.pacing: 60]])
        #expect(waits(2) == [[.backoff: 0.25, .pacing: 59.75], [.pacing: 60]])
        #expect(waits(3) == [[.dingTalkRateLimit: 60], [.pacing: 60]])
        #expect(waits(4) == [[:], [.pacing: 60]])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.reportJSON.utf8)) as? [String: Any])
        let reported = (report["requests"] as? [[String: Any]] ?? []).map { $0["waits"] as? [String: Int] ?? ["missing": 1] }
        #expect(reported == [["45009": 60000], ["pacing": 60000], ["Retry-After": 7000, "pacing": 53000], ["pacing": 60000],
                             ["backoff": 250, "pacing": 59750], ["pacing": 60000], ["130101": 60000], ["pacing": 60000], [:], ["pacing": 60000]])
        #expect(result.reportJSON.contains(#""pacing": 53000,\#n        "Retry-After": 7000"#), "reasons in a fixed order")
        #expect(result.summary.hasSuffix("waited: pacing 7× (up to 60s), Retry-After 1× (7s), 45009 1× (60s), 130101 1× (60s)"), "\(result.summary)")
        // The progress line says who waits and why.
        for reason in ["1 Retry-After", "1 45009", "1 130101", "1 backoff", "1 pacing"] {
            #expect(progress.text.contains(reason), "\(reason) in \(progress.text)")
        }
        #expect(progress.text.contains("next in 60s"))
    }

    @Test func anUntrustedCertificateIsFinalAndOtherTransportErrorsAreRetried() async throws {
        let clock = VirtualClock()
        let relay = InMemoryRelay(clock: clock) { arrival, _ in
            arrival.link == link(0) ? .fail(.certificateNotTrusted(host: "relay.example", reason: "CERTIFICATE_VERIFY_FAILED"))
                                    : .fail(.proxyRefusedTunnel(proxy: "127.0.0.1:3128", target: "relay.example:443"))
        }
        let result = await Runner(options: options(retries: 2), clock: clock, random: halfJitter, transport: relay)
            .run(memoryPlan(links: 2, messages: 1))
        let tls = try #require(result.outcomes.first)
        #expect(tls.status == .failed && tls.attempts == 1)
        #expect(tls.error == "TLS: the certificate of relay.example is not trusted (CERTIFICATE_VERIFY_FAILED); for a company CA set SSL_CERT_FILE or --cacert")
        let proxy = try #require(result.outcomes.last)
        #expect(proxy.status == .failed && proxy.attempts == 3)
        #expect(proxy.error?.hasPrefix("the proxy 127.0.0.1:3128 refused to open a tunnel to relay.example:443") == true, "\(proxy.error ?? "")")
        #expect(proxy.error?.hasSuffix("gave up after 3 attempts") == true)
        #expect(proxy.waits == [.backoff: 0.25 + 0.5])
    }

    @Test func aFinalFailureStopsOnlyItsLink() async throws {
        let clock = VirtualClock()
        let relay = InMemoryRelay(clock: clock) { arrival, _ in
            arrival.link == link(0) && arrival.order < 2 ? .json(200, #"{"code":93000,"msg":"invalid webhook url"}"#) : .accept
        }
        let result = await Runner(options: options(), clock: clock, transport: relay).run(memoryPlan(links: 2, messages: 45))
        #expect(result.outcomes.filter { $0.link == LinkMask.mask(link(0)) }.map(\.status) == [.failed, .notSent, .notSent])
        #expect(result.outcomes.filter { $0.link == LinkMask.mask(link(1)) }.map(\.status) == [.delivered, .delivered, .delivered])
        #expect(relay.requests.filter { $0.link == link(0) }.count == 1)
    }

    @Test func interruptLetsInFlightRequestsFinishAndReportsTheRest() async throws {
        let clock = VirtualClock()
        let box = TestBox<Runner>()
        // The relay interrupts the run while the first request of link 0 is in flight;
        // link 1 is then waiting to retry after a 503.
        let relay = InMemoryRelay(clock: clock) { arrival, _ in
            if arrival.link == link(1) { return .json(503, "{}") }
            box.get?.interrupt()
            return .accept
        }
        let runner = Runner(options: options(concurrency: 1), clock: clock, random: halfJitter, transport: relay)
        box.set(runner)
        let result = await runner.run(memoryPlan(links: 2, messages: 3, batch: 1, rateLimit: 0))
        #expect(result.interrupted && result.exitCode == 130)
        let lane0 = result.outcomes.filter { $0.link == LinkMask.mask(link(0)) }
        #expect(lane0.map(\.status) == [.delivered, .notSent, .notSent])
        #expect(lane0.dropFirst().allSatisfy { $0.error == "interrupted" })
        #expect(relay.requests.filter { $0.link == link(0) }.count == 1, "nothing new after the interrupt")
        #expect(result.outcomes.filter { $0.link == LinkMask.mask(link(1)) }.allSatisfy { $0.status == .notSent })
    }

    @Test func anInterruptDuringARetryWaitSaysSo() async throws {
        let clock = VirtualClock()
        let box = TestBox<Runner>()
        let relay = InMemoryRelay(clock: clock) { arrival, attempt in
            if arrival.link == link(1) { box.get?.interrupt() }
            return arrival.link == link(0) ? .json(503, "{}") : .accept
        }
        let runner = Runner(options: options(concurrency: 1), clock: clock, random: halfJitter, transport: relay)
        box.set(runner)
        let result = await runner.run(memoryPlan(links: 2, messages: 1, rateLimit: 0))
        let first = try #require(result.outcomes.first)
        #expect(first.status == .notSent)
        #expect(first.error == "interrupted while waiting to retry (HTTP 503)")
        #expect(first.attempts == 1)
    }
}
