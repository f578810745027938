import Foundation
import HeraldCore
import HeraldSend
import HeraldTemplate
import ServiceLifecycle

/// Sends what the store holds (SPEC §11 "Delivery"): each link's requests in order of
/// acceptance, one in flight per link, at most `--concurrency` in all, each robot within its
/// budget (the store's claim counts it), through the same `RelayAttempt` as `herald send`.
/// A request that may pass is retried with capped backoff until `--give-up-after`; a final
/// one is marked failed and its link goes on. Woken at once by an accepted event.
package final class DeliveryService: Service, Sendable {
    private let store: any RequestStore
    private let slot: JobSlot
    private let transport: any RelayTransport
    private let options: ServeOptions
    private let metrics: ServeMetrics
    private let log: ServeLog
    private let state: ServerState
    private let doorbell: Doorbell
    private let random: @Sendable () -> Double
    private let stopping = Locked(false)
    private let inFlight = Locked(0)

    package init(store: any RequestStore, slot: JobSlot, transport: any RelayTransport, options: ServeOptions, metrics: ServeMetrics,
                 log: ServeLog, state: ServerState, doorbell: Doorbell, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.store = store
        self.slot = slot
        self.transport = transport
        self.options = options
        self.metrics = metrics
        self.log = log
        self.state = state
        self.doorbell = doorbell
        self.random = random
    }

    /// The longest the loop sleeps without a ring: a safety net, not how it learns of work.
    static let longestNap = 1.0

    package func run() async throws {
        await withGracefulShutdownHandler {
            await self.deliver()
        } onGracefulShutdown: {
            self.stopping.withLock { $0 = true }
            self.doorbell.ring()
        }
    }

    private var isStopping: Bool { stopping.withLock { $0 } }

    private func deliver() async {
        await withDiscardingTaskGroup { group in
            while !isStopping {
                let free = options.send.concurrency - inFlight.withLock { $0 }
                var nap = Self.longestNap
                if free > 0 {
                    let served = slot.job
                    do {
                        let now = Date()
                        let claimed = try await store.claim(limit: free, rateLimit: served.job.rateLimit,
                                                            window: options.send.rateWindow, now: now)
                        state.storeAnswered()
                        for request in claimed.requests {
                            if request.attempts == 1 { metrics.robotWaited(seconds: now.timeIntervalSince(request.acceptedAt)) }
                            inFlight.withLock { $0 += 1 }
                            group.addTask {
                                await self.send(request, secrets: served.secrets)
                                self.inFlight.withLock { $0 -= 1 }
                                self.doorbell.ring()
                            }
                        }
                        if let due = claimed.nextDue { nap = min(nap, due.timeIntervalSince(Date())) }
                    } catch {
                        state.storeFailed()
                        log.error("store", "cannot claim requests: \(served.secrets.scrub("\(error)")); delivery pauses")
                    }
                }
                await doorbell.wait(upTo: max(0.001, nap))
            }
            await drain(group: &group)
        }
    }

    /// SIGTERM: in-flight requests get `--drain-timeout` to finish; then they are cancelled and
    /// stay `sending` in the store, to be sent again at the next start.
    private func drain(group: inout DiscardingTaskGroup) async {
        let deadline = Date().addingTimeInterval(options.drainTimeout)
        while inFlight.withLock({ $0 }) > 0 {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 {
                log.warning("server", "\(inFlight.withLock { $0 }) request(s) still in flight after the drain timeout; they are sent again at the next start")
                group.cancelAll()
                return
            }
            await doorbell.wait(upTo: min(left, 0.5))
        }
    }

    /// One attempt, and what the store records for it.
    private func send(_ request: StoredRequest, secrets: Secrets) async {
        let attempt = await RelayAttempt.perform(body: request.body, platform: request.platform, transport: transport,
                                                 secrets: secrets, options: options.send)
        let answered = Date()
        // The claim counted this attempt already.
        let attempts = request.attempts
        let firstAttempt = request.firstAttemptAt ?? answered
        let result: AttemptResult
        let shown: String
        switch attempt.verdict {
        case .delivered:
            result = .delivered(answeredAt: answered)
            shown = "delivered"
        case .final(let reason):
            result = .failed(reason: reason, answeredAt: answered)
            shown = "failed: \(reason)"
        case .uncertain(let reason), .retry(_, let reason, _):
            // serve is at-least-once (docs/serving.md): an answer lost after sending is sent again.
            var asked: Double?
            if case .retry(let after, _, _) = attempt.verdict { asked = after }
            if answered.timeIntervalSince(firstAttempt) >= options.giveUpAfter {
                let why = "\(reason); gave up after \(attempts) attempts over \(Int(answered.timeIntervalSince(firstAttempt))) s (--give-up-after)"
                result = .failed(reason: why, answeredAt: answered)
                shown = "failed: \(why)"
            } else {
                let wait = asked ?? RelayAttempt.backoff(attempt: attempts, base: options.send.backoffBase, cap: options.send.backoffCap,
                                                          random: random())
                result = .retry(reason: reason, notBefore: answered.addingTimeInterval(wait), answeredAt: answered)
                shown = "retry in \(String(format: "%.1f", wait)) s: \(reason)"
            }
        }
        let label: String
        switch result {
        case .delivered: label = "delivered"
        case .failed: label = "failed"
        case .retry: label = "retried"
        }
        metrics.request(platform: request.platform, result: label)
        // Until the store takes it: the link waits meanwhile (its head is `sending`). Stopped
        // before that, the request stays `sending` and is sent again after the next start.
        var reported = false
        while true {
            do {
                try await store.finish(request.id, result)
                state.storeAnswered()
                break
            } catch {
                state.storeFailed()
                if !reported {
                    log.error("store", "cannot record request \(request.id)'s outcome: \(secrets.scrub(error.description)); trying again")
                    reported = true
                }
                if isStopping || Task.isCancelled { break }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        let line = "id=\(request.id) event=\(request.eventID) route=\(request.route) link=\(request.maskedLink) attempt=\(attempts) \(shown)"
        if label == "failed" { log.warning("request", line) } else { log.info("request", line) }
    }
}
