import Foundation
import HeraldCore

/// Sends a plan (SPEC §6): one lane per link, strictly in order inside a lane, lanes
/// concurrently up to `concurrency`; paced per link, retried with backoff; a final failure
/// stops its lane. `interrupt()` stops new requests and lets in-flight ones finish.
public final class Runner: Sendable {
    public let options: SendOptions
    private let clock: any RunClock
    private let random: @Sendable () -> Double
    private let journal: Journal?
    private let progress: Progress?
    private let stop = Flag()

    public init(options: SendOptions, clock: any RunClock = SystemClock(), journal: Journal? = nil,
                progress: Progress? = nil, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.options = options
        self.clock = clock
        self.journal = journal
        self.progress = progress
        self.random = random
    }

    /// Stop starting requests (SIGINT/SIGTERM); in-flight ones run to their end.
    public func interrupt() { stop.set() }
    public var isInterrupted: Bool { stop.isSet }

    public func run(_ plan: Plan) async -> RunResult {
        let started = Date()
        let secrets = Secrets(token: options.accessToken, plan: plan)
        let lanes = plan.lanes
        progress?.begin(total: plan.requests.count)
        var outcomes: [RequestOutcome?] = Array(repeating: nil, count: plan.requests.count)
        let skip = journal?.deliveredIDs ?? []
        var urls: [Platform: String] = [.wecom: Transport.url(endpoint: plan.endpoint, token: options.accessToken)]
        if let dingtalk = plan.dingtalkEndpoint { urls[.dingtalk] = Transport.url(endpoint: dingtalk, token: options.accessToken) }
        let transport = Transport(urls: urls, timeout: options.timeout, connections: options.concurrency)

        // A fixed set of workers, each taking the next lane when it is done with one: no task
        // per lane, and no wake-up of a coordinator between lanes.
        let queue = LaneQueue(count: lanes.count)
        await withTaskGroup(of: [RequestOutcome].self) { group in
            for _ in 0..<min(options.concurrency, lanes.count) {
                group.addTask {
                    var results: [RequestOutcome] = []
                    while let i = queue.take() {
                        results += await self.runLane(lanes[i], rateLimit: plan.rateLimit, skip: skip, transport: transport, secrets: secrets)
                    }
                    return results
                }
            }
            for await finished in group {
                for outcome in finished { outcomes[outcome.index] = outcome }
            }
        }
        await transport.shutdown()
        let all = outcomes.enumerated().map { i, o in
            o ?? RequestOutcome(index: i, link: plan.requests[i].maskedLink, messages: plan.requests[i].messageCount,
                                contentID: plan.requests[i].contentID, status: .notSent, error: "interrupted")
        }
        let result = RunResult(jobName: plan.jobName, outcomes: all, interrupted: stop.isSet, started: started, finished: Date())
        if result.exitCode == 0 { try? journal?.finishRun() }
        progress?.end()
        return result
    }

    private func runLane(_ lane: [PlannedRequest], rateLimit: Int, skip: Set<String>,
                         transport: Transport, secrets: Secrets) async -> [RequestOutcome] {
        var pacing = PacingSchedule(rateLimit: rateLimit)
        var results: [RequestOutcome] = []
        var blockedBy: String?
        for request in lane {
            let contentID = request.contentID
            var outcome = RequestOutcome(index: request.index, link: request.maskedLink, messages: request.messageCount,
                                         contentID: contentID, status: .notSent)
            if skip.contains(contentID) {
                outcome.status = .skipped
            } else if let blockedBy {
                outcome.error = blockedBy
            } else if stop.isSet || Task.isCancelled {
                outcome.error = "interrupted"
            } else {
                outcome = await send(request, outcome: outcome, pacing: &pacing, transport: transport, secrets: secrets)
                if outcome.status == .failed {
                    blockedBy = "not sent: request \(request.index + 1) to this link failed, so later ones wait to keep the order"
                }
            }
            if outcome.status != .skipped {
                do {
                    try journal?.record(outcome)
                } catch {
                    progress?.warn(error.description)
                }
            }
            progress?.finished(outcome)
            results.append(outcome)
        }
        return results
    }

    private func send(_ request: PlannedRequest, outcome start: RequestOutcome, pacing: inout PacingSchedule,
                      transport: Transport, secrets: Secrets) async -> RequestOutcome {
        var outcome = start
        let began = clock.now()
        let interrupted: @Sendable () -> Bool = { [stop] in stop.isSet }
        while true {
            // Pacing: messages per link per 60 s, counted per attempt (WeCom may count failed sends).
            let earliest = pacing.earliestStart(count: request.messageCount, notBefore: clock.now())
            if earliest > clock.now() {
                progress?.waiting(seconds: earliest - clock.now(), link: request.maskedLink)
                let before = clock.now()
                await clock.sleep(until: earliest, interrupted: interrupted)
                outcome.waited += clock.now() - before
                if stop.isSet { outcome.error = "interrupted"; break }
            }
            outcome.attempts += 1
            pacing.record(count: request.messageCount, at: clock.now())
            let verdict: Verdict
            do {
                let response = try await transport.post(body: request.body, platform: request.platform)
                let (v, answer) = ResponseClassifier.classify(status: response.status, body: response.body, retryAfter: response.retryAfter,
                                                              now: Date(), options: options)
                verdict = v
                outcome.httpStatus = answer.status
                outcome.code = answer.code
                outcome.msg = answer.msg.map(secrets.scrub)
                outcome.hint = answer.hint.map(secrets.scrub)
            } catch {
                outcome.httpStatus = nil
                outcome.code = nil
                verdict = .retry(after: nil, reason: secrets.scrub(Self.describe(error)))
            }
            switch verdict {
            case .delivered:
                outcome.status = .delivered
                outcome.error = nil
            case .final(let reason):
                outcome.status = .failed
                outcome.error = reason
            case .retry(let after, let reason):
                outcome.error = reason
                guard outcome.attempts <= options.retries, !stop.isSet else {
                    outcome.status = .failed
                    outcome.error = "\(reason); gave up after \(outcome.attempts) attempt\(outcome.attempts == 1 ? "" : "s")"
                    break
                }
                let backoff = random() * min(options.backoffCap, options.backoffBase * pow(2, Double(outcome.attempts - 1)))
                let wait = after ?? backoff
                let before = clock.now()
                await clock.sleep(until: before + wait, interrupted: interrupted)
                outcome.waited += clock.now() - before
                if stop.isSet {
                    outcome.status = .notSent
                    outcome.error = "interrupted while waiting to retry (\(reason))"
                    break
                }
                continue
            }
            break
        }
        outcome.duration = clock.now() - began
        return outcome
    }

    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("readTimeout") || text.contains("deadlineExceeded") { return "timed out" }
        if text.contains("connectTimeout") { return "timed out connecting" }
        if text.contains("remoteConnectionClosed") || text.contains("closed") { return "connection closed without an answer" }
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return "transport error: \(text)"
    }
}

/// Hands out lane indexes in plan order to the workers.
final class LaneQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func take() -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }
}

/// Set once, read from any task.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// The token, every sk and every link (whole and its key) of a run, to scrub from any text we show.
struct Secrets: Sendable {
    let values: [String]

    init(token: String, plan: Plan) {
        // The token as sent (percent-encoded) too: a server may echo the URL back.
        var values = [token, String(Transport.url(endpoint: "", token: token).dropFirst("?access_token=".count))]
        var seen = Set<String>()
        for request in plan.requests where seen.insert(request.link).inserted {
            values.append(request.link)
            if let sk = request.sk { values.append(sk) }
            for key in LinkMask.secretValues(in: request.link) {
                values.append(key)
                if key.utf8.contains(UInt8(ascii: "%")), let decoded = key.removingPercentEncoding, decoded != key { values.append(decoded) }
            }
        }
        // Longest first, so a link is scrubbed whole before its key is.
        self.values = Array(Set(values.filter { $0.utf8.count >= 4 })).sorted { $0.utf8.count > $1.utf8.count }
    }

    func scrub(_ text: String) -> String { LinkMask.scrub(text, secrets: values) }
}
