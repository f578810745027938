import Foundation
import HeraldTemplate
import HeraldCore

/// Sends a plan (docs/sending.md): one lane per link, strictly in order inside a lane; at most
/// `concurrency` requests in flight; each link paced by its window, each request counted
/// from its answer; retried with backoff; a final failure stops its lane. A lane waiting
/// (pacing, the shared budget, Retry-After, 45009/130101, backoff) holds no slot.
/// `interrupt()` stops new requests and lets in-flight ones finish.
public final class Runner: Sendable {
    public let options: SendOptions
    private let clock: any RunClock
    private let random: @Sendable () -> Double
    private let journal: Journal?
    private let progress: Progress?
    private let transport: (any RelayTransport)?
    private let stop = Locked(false)
    /// Set when a journal record could not be written: no request starts after it.
    private let journalFailure = Locked<String?>(nil)
    /// The board of the run under way, to wake its idle workers on an interrupt.
    private let board = Locked<LaneBoard?>(nil)

    /// `transport`: nil for the real one (async-http-client, with `options`' proxy and TLS
    /// settings), made per run and shut down after it; a given one is left running.
    public init(options: SendOptions, clock: any RunClock = SystemClock(), journal: Journal? = nil,
                progress: Progress? = nil, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                transport: (any RelayTransport)? = nil) {
        self.options = options
        self.clock = clock
        self.journal = journal
        self.progress = progress
        self.random = random
        self.transport = transport
    }

    /// Stop starting requests (SIGINT/SIGTERM); in-flight ones run to their end.
    public func interrupt() {
        stop.withLock { $0 = true }
        board.withLock { $0 }?.poke()
    }

    public var isInterrupted: Bool { stop.withLock { $0 } }

    private var stopping: Bool { isInterrupted || journalFailure.withLock({ $0 }) != nil || Task.isCancelled }

    /// What every worker of a run shares.
    private struct Run: Sendable {
        var transport: any RelayTransport
        var secrets: Secrets
        var skip: Set<String>
        /// Sent by an earlier run with the outcome unknown: not sent again (unless `resendUncertain`).
        var uncertain: Set<String>
        var shared: SharedBudget?
        var board: LaneBoard
    }

    public func run(_ plan: Plan) async -> RunResult {
        let started = Date()
        let lanes = plan.lanes
        let transport: any RelayTransport
        if let given = self.transport {
            transport = given
        } else {
            var urls: [Platform: String] = [.wecom: HTTPTransport.url(endpoint: plan.endpoint, token: options.accessToken)]
            if let dingtalk = plan.dingtalkEndpoint { urls[.dingtalk] = HTTPTransport.url(endpoint: dingtalk, token: options.accessToken) }
            transport = HTTPTransport(urls: urls, timeout: options.timeout, connections: options.concurrency,
                                      proxy: options.proxy, tls: options.tls)
        }
        let start = clock.now()
        let progress = self.progress
        var shared: SharedBudget?
        if plan.rateLimit > 0, let directory = options.stateDirectory {
            shared = SharedBudget(directory: directory, rateLimit: plan.rateLimit, window: options.rateWindow, timeout: options.timeout,
                                  retryAfterCap: options.retryAfterCap,
                                  wallOffset: Date().timeIntervalSince1970 - start, warn: { progress?.warn($0) })
        }
        let board = LaneBoard(lanes: lanes.map { Lane(requests: $0, pacing: PacingSchedule(rateLimit: plan.rateLimit, window: options.rateWindow), start: start) },
                              start: start)
        self.board.withLock { $0 = board }
        let clock = self.clock
        progress?.begin(total: plan.requests.count) { board.status(now: clock.now()) }
        let run = Run(transport: transport, secrets: Secrets(token: options.accessToken, plan: plan, extra: options.proxy.secrets),
                      skip: journal?.deliveredIDs ?? [], uncertain: options.resendUncertain ? [] : journal?.uncertainIDs ?? [],
                      shared: shared, board: board)

        var outcomes: [RequestOutcome?] = Array(repeating: nil, count: plan.requests.count)
        await withTaskGroup(of: [RequestOutcome].self) { group in
            for _ in 0..<min(options.concurrency, lanes.count) {
                group.addTask { await self.work(run) }
            }
            for await finished in group {
                for outcome in finished { outcomes[outcome.index] = outcome }
            }
        }
        self.board.withLock { $0 = nil }
        if self.transport == nil { await transport.shutdown() }
        shared?.close()
        let all = outcomes.enumerated().map { i, o in
            o ?? RequestOutcome(index: i, link: plan.requests[i].maskedLink, messages: plan.requests[i].messageCount,
                                contentID: plan.requests[i].contentID, status: .notSent, error: "interrupted")
        }
        var result = RunResult(jobName: plan.jobName, outcomes: all, interrupted: isInterrupted, started: started, finished: Date())
        result.stopped = journalFailure.withLock { $0 }
        if result.exitCode == 0 { try? journal?.finishRun() }
        progress?.end()
        return result
    }

    /// One worker: takes the lane due first, sends its head request, parks it again; sleeps
    /// only when no lane is due.
    private func work(_ run: Run) async -> [RequestOutcome] {
        var results: [RequestOutcome] = []
        while true {
            switch run.board.take(now: clock.now(), stopping: stopping) {
            case .done:
                return results
            case .lane(let index, var lane):
                switch await step(&lane, run, results: &results) {
                case .park(let at):
                    run.board.park(index, lane, at: at)
                    if at > clock.now() { progress?.changed() }
                case .finished:
                    run.board.finish(index)
                }
            case .idle(let until, let othersBusy, let generation):
                progress?.changed()
                if let until, !othersBusy || clock.passesDuringRequests {
                    if clock.passesDuringRequests {
                        await sleep(until: until, orChangeAfter: generation, on: run.board)
                    } else {
                        // Virtual time moves only when nothing is in flight.
                        await clock.sleep(until: until) { self.isInterrupted }
                    }
                } else if othersBusy {
                    await run.board.waitForChange(after: generation)
                } else {
                    return results
                }
            }
        }
    }

    /// Until `deadline`, or until a lane comes back (it may be due sooner), or an interrupt.
    private func sleep(until deadline: Double, orChangeAfter generation: Int, on board: LaneBoard) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.clock.sleep(until: deadline) { self.isInterrupted } }
            group.addTask { await board.waitForChange(after: generation) }
            await group.next()
            group.cancelAll()
        }
    }

    private enum Next {
        case park(at: Double)
        case finished
    }

    /// One attempt of the lane's head request (or none, if the shared budget says not yet),
    /// then when the lane is due again.
    private func step(_ lane: inout Lane, _ run: Run, results: inout [RequestOutcome]) async -> Next {
        let now = clock.now()
        if settle(&lane, run, now: now, results: &results) { return .finished }
        let request = lane.requests[lane.next]
        lane.accountWait(until: now)

        var reservation: String?
        if let shared = run.shared {
            switch shared.reserve(link: request.link, count: request.messageCount, now: now) {
            case .granted(let id): reservation = id
            case .notBefore(let at):
                lane.segments = [(.sharedBudget, at)]
                return .park(at: at)
            case .unavailable: break
            }
        }

        var outcome = lane.current!
        if outcome.attempts == 0, let journal {
            // Durably "in flight" before the first byte goes out: a crash from here on leaves
            // it uncertain, never silently sent twice.
            do {
                try journal.recordSending(contentID: outcome.contentID, index: request.index)
            } catch {
                journalFailed(error.description)
                outcome.status = .notSent
                outcome.error = "not sent: \(error.description)"
                complete(outcome, &lane, results: &results)
                return schedule(&lane, run, now: now, first: nil, results: &results)
            }
        }
        outcome.attempts += 1
        let attempt = await RelayAttempt.perform(body: request.body, platform: request.platform, transport: run.transport,
                                                 secrets: run.secrets, options: options)
        // The server counted the request by the time its answer left: from then it is in the window.
        let answered = clock.now()
        lane.pacing.record(count: request.messageCount, at: answered)
        if let reservation { run.shared?.answered(link: request.link, id: reservation, at: answered) }
        outcome.httpStatus = attempt.httpStatus
        outcome.code = attempt.code
        if attempt.httpStatus != nil {
            outcome.msg = attempt.msg
            outcome.hint = attempt.hint
        }
        let verdict = attempt.verdict

        switch verdict {
        case .delivered:
            outcome.status = .delivered
            outcome.error = nil
        case .final(let reason):
            outcome.status = .failed
            outcome.error = reason
        case .uncertain(let reason):
            outcome.status = .uncertain
            outcome.error = reason
        case .retry(let after, let reason, let wait):
            outcome.error = reason
            if wait == .weComRateLimit || wait == .dingTalkRateLimit {
                run.shared?.markFull(link: request.link, until: answered + (after ?? options.rateWindow))
            }
            if outcome.attempts <= options.retries, !stopping {
                let backoff = RelayAttempt.backoff(attempt: outcome.attempts, base: options.backoffBase, cap: options.backoffCap, random: random())
                lane.current = outcome
                lane.retryReason = reason
                return schedule(&lane, run, now: answered, first: (after == nil ? .backoff : wait, answered + (after ?? backoff)),
                                results: &results)
            }
            outcome.status = .failed
            outcome.error = "\(reason); gave up after \(outcome.attempts) attempt\(outcome.attempts == 1 ? "" : "s")"
        }
        if outcome.status == .failed {
            lane.blockedBy = "not sent: request \(request.index + 1) to this link failed, so later ones wait to keep the order"
        } else if outcome.status == .uncertain {
            lane.blockedBy = "not sent: request \(request.index + 1) to this link is uncertain, so later ones wait to keep the order"
        }
        outcome.duration = answered - lane.began
        complete(outcome, &lane, results: &results)
        return schedule(&lane, run, now: answered, first: nil, results: &results)
    }

    /// When the lane's head request may go: after `first` (a retry's wait), then its window,
    /// then the shared budget as the state file says now (asked again when it is due).
    private func schedule(_ lane: inout Lane, _ run: Run, now: Double, first: (WaitReason, Double)?,
                          results: inout [RequestOutcome]) -> Next {
        if settle(&lane, run, now: now, results: &results) { return .finished }
        let request = lane.requests[lane.next]
        lane.waitStart = now
        lane.segments = []
        var at = now
        if let (reason, until) = first, until > at {
            lane.segments.append((reason, until))
            at = until
        }
        let paced = lane.pacing.earliestStart(count: request.messageCount, notBefore: at)
        if paced > at {
            lane.segments.append((.pacing, paced))
            at = paced
        }
        if let shared = run.shared {
            let free = shared.earliest(link: request.link, count: request.messageCount, notBefore: at)
            if free > at {
                lane.segments.append((.sharedBudget, free))
                at = free
            }
        }
        return .park(at: at)
    }

    /// Reports the head requests that need no sending (already delivered, blocked by a failure,
    /// or the run is stopping) and makes the next one the head. True when the lane is done.
    private func settle(_ lane: inout Lane, _ run: Run, now: Double, results: inout [RequestOutcome]) -> Bool {
        while lane.next < lane.requests.count {
            let request = lane.requests[lane.next]
            if lane.current == nil {
                var outcome = RequestOutcome(index: request.index, link: request.maskedLink, messages: request.messageCount,
                                             contentID: request.contentID, status: .notSent)
                if run.skip.contains(outcome.contentID) {
                    outcome.status = .skipped
                    complete(outcome, &lane, results: &results)
                    continue
                }
                if let blockedBy = lane.blockedBy {
                    outcome.error = blockedBy
                    complete(outcome, &lane, results: &results)
                    continue
                }
                if run.uncertain.contains(outcome.contentID) {
                    outcome.status = .uncertain
                    outcome.error = "sent by an earlier run whose answer was lost (or which was killed while it was in flight); not sent again without --resend-uncertain"
                    lane.blockedBy = "not sent: request \(request.index + 1) to this link is uncertain, so later ones wait to keep the order"
                    complete(outcome, &lane, results: &results)
                    continue
                }
                lane.current = outcome
                lane.began = now
                lane.waitStart = now
            }
            guard stopping else { return false }
            lane.accountWait(until: now)
            var outcome = lane.current!
            outcome.status = .notSent
            if journalFailure.withLock({ $0 }) != nil {
                outcome.error = "not sent: the journal could not be written, so no request starts"
            } else {
                outcome.error = lane.retryReason.map { "interrupted while waiting to retry (\($0))" } ?? "interrupted"
            }
            outcome.duration = now - lane.began
            complete(outcome, &lane, results: &results)
        }
        return true
    }

    /// Records a request's outcome (the journal first, durably, before the link's next request).
    private func complete(_ outcome: RequestOutcome, _ lane: inout Lane, results: inout [RequestOutcome]) {
        // An uncertain request an earlier run left is recorded once, there; a skipped one is delivered.
        if outcome.status != .skipped, !(outcome.status == .uncertain && outcome.attempts == 0) {
            do {
                try journal?.record(outcome)
            } catch {
                journalFailed(error.description)
            }
        }
        progress?.finished(outcome)
        results.append(outcome)
        lane.next += 1
        lane.current = nil
        lane.retryReason = nil
        lane.segments = []
    }
}

extension Runner {
    /// The journal is the truth or the run stops: no request starts after a record was lost;
    /// those in flight finish and are recorded if the journal lets them.
    fileprivate func journalFailed(_ reason: String) {
        let first = journalFailure.withLock { failure in
            defer { if failure == nil { failure = reason } }
            return failure == nil
        }
        if first { progress?.warn("\(reason): no further requests are started") }
        board.withLock { $0 }?.poke()
    }
}

extension Verdict {
    /// A reason may quote the relay's text or a Location: scrubbed like every output.
    func scrubbed(_ secrets: Secrets) -> Verdict {
        switch self {
        case .delivered: return self
        case .final(let reason): return .final(reason: secrets.scrub(reason))
        case .uncertain(let reason): return .uncertain(reason: secrets.scrub(reason))
        case .retry(let after, let reason, let wait): return .retry(after: after, reason: secrets.scrub(reason), wait: wait)
        }
    }
}

/// The token, every sk and every link (whole and its key) of a run, and proxy passwords, to
/// scrub from any text we show.
package struct Secrets: Sendable {
    package let values: [String]

    package init(token: String, plan: Plan, extra: [String] = []) {
        self.init(token: token, links: plan.requests.map { ($0.link, $0.sk) }, extra: extra)
    }

    /// `links`: each robot link with its sk, if any.
    package init(token: String, links: [(link: String, sk: String?)], extra: [String] = []) {
        // The token as sent (percent-encoded) too: a server may echo the URL back.
        var values = [token, String(HTTPTransport.url(endpoint: "", token: token).dropFirst("?access_token=".count))] + extra
        var seen = Set<String>()
        for (link, sk) in links where seen.insert(link).inserted {
            values.append(link)
            if let sk { values.append(sk) }
            for key in LinkMask.secretValues(in: link) {
                values.append(key)
                if key.utf8.contains(UInt8(ascii: "%")), let decoded = key.removingPercentEncoding, decoded != key { values.append(decoded) }
            }
        }
        // Longest first, so a link is scrubbed whole before its key is.
        self.values = Array(Set(values.filter { $0.utf8.count >= 4 })).sorted { $0.utf8.count > $1.utf8.count }
    }

    package func scrub(_ text: String) -> String { LinkMask.scrub(text, secrets: values) }
}
