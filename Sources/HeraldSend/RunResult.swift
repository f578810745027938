import Foundation
import HeraldCore
import HeraldTemplate

/// The outcomes of a run, in plan order, with the exit code and the summary line.
public struct RunResult: Sendable {
    public var jobName: String
    public var outcomes: [RequestOutcome]
    public var interrupted: Bool
    /// Why the run stopped starting requests on its own (the journal could not be written).
    public var stopped: String?
    public var started: Date
    public var finished: Date

    /// Names each outcome's robot by the job's recipients with its link (sorted).
    public mutating func nameRecipients(_ recipientsByLink: [String: [String]], links: [String]) {
        for i in outcomes.indices where outcomes[i].index < links.count {
            outcomes[i].recipients = recipientsByLink[links[outcomes[i].index]] ?? []
        }
    }

    public func count(_ status: RequestOutcome.Status) -> Int { outcomes.filter { $0.status == status }.count }

    /// 0 all delivered (or skipped), 1 some failed, uncertain or not sent (or the journal could
    /// not be written), 130 interrupted.
    public var exitCode: Int32 {
        if stopped != nil { return 1 }
        if interrupted { return 130 }
        return outcomes.allSatisfy { $0.status == .delivered || $0.status == .skipped } ? 0 : 1
    }

    /// One line, always printed: what happened.
    public var summary: String {
        let delivered = count(.delivered), skipped = count(.skipped)
        let messages = outcomes.filter { $0.status == .delivered }.reduce(0) { $0 + $1.messages }
        let links = Set(outcomes.map(\.link)).count
        let seconds = String(format: "%.1f", finished.timeIntervalSince(started))
        var line = "herald: delivered \(delivered) of \(outcomes.count) request\(outcomes.count == 1 ? "" : "s") (\(messages) message\(messages == 1 ? "" : "s")) to \(links) link\(links == 1 ? "" : "s") in \(seconds)s"
        line += "; \(count(.failed)) failed, \(count(.notSent)) not sent"
        if count(.uncertain) > 0 { line += ", \(count(.uncertain)) uncertain (sent, outcome unknown: check the chat; --resend-uncertain sends them again)" }
        if skipped > 0 { line += ", \(skipped) skipped (already delivered)" }
        if let waits = waitSummary { line += "; waited: " + waits }
        if interrupted { line += "; interrupted" }
        if let stopped { line += "; stopped: \(stopped)" }
        return line
    }

    /// `pacing 6× (up to 60s), 45009 1× (60s)`: the reasons requests waited a second or more.
    var waitSummary: String? {
        var parts: [String] = []
        for reason in WaitReason.allCases {
            let waits = outcomes.compactMap { $0.waits[reason] }.filter { $0 >= 1 }
            guard let longest = waits.max() else { continue }
            let seconds = String(format: "%.0fs", longest)
            parts.append("\(reason.rawValue) \(waits.count)× (\(waits.count == 1 ? seconds : "up to " + seconds))")
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// `--report FILE` for a run that never started (exit 2: the job or its settings are
    /// invalid): the diagnostics, and nothing sent.
    public static func refusedReportJSON(job: String, diagnostics: [String], at time: Date = Date()) -> String {
        let zone = TimeZone(identifier: "UTC") ?? .current
        let totals: OrderedMap = ["requests": 0, "messages": 0, "delivered": 0, "failed": 0, "not_sent": 0, "uncertain": 0,
                                  "skipped": 0, "elapsed_ms": 0]
        let report: OrderedMap = ["job": .string(job), "started": .string(ISO8601.format(time, in: zone)),
                                  "finished": .string(ISO8601.format(time, in: zone)), "interrupted": false, "stopped": .null,
                                  "exit_code": 2, "diagnostics": .list(diagnostics.map(Value.string)),
                                  "totals": .map(totals), "requests": .list([])]
        return PrettyJSON.string(.map(report)) + "\n"
    }

    /// `--report FILE`: every request's outcome and the totals, as indented JSON. No secrets.
    public var reportJSON: String {
        let zone = TimeZone(identifier: "UTC") ?? .current
        let requests: [Value] = outcomes.map { o in
            var m: OrderedMap = ["index": .int(o.index + 1), "recipients": .list(o.recipients.map(Value.string)),
                                 "link": .string(o.link), "messages": .int(o.messages),
                                 "id": .string(o.contentID), "outcome": .string(o.status.rawValue), "attempts": .int(o.attempts)]
            m["http_status"] = o.httpStatus.map(Value.int) ?? .null
            m["code"] = o.code.map(Value.int) ?? .null
            m["msg"] = o.msg.map(Value.string) ?? .null
            m["hint"] = o.hint.map(Value.string) ?? .null
            m["error"] = o.error.map(Value.string) ?? .null
            m["duration_ms"] = .int(Int((o.duration * 1000).rounded()))
            m["waited_ms"] = .int(Int((o.waited * 1000).rounded()))
            // How long it waited, by reason: pacing, shared budget, Retry-After, 45009, 130101, backoff, concurrency.
            var waits = OrderedMap()
            for reason in WaitReason.allCases {
                if let seconds = o.waits[reason], Int((seconds * 1000).rounded()) > 0 { waits[reason.rawValue] = .int(Int((seconds * 1000).rounded())) }
            }
            m["waits"] = .map(waits)
            return .map(m)
        }
        let totals: OrderedMap = ["requests": .int(outcomes.count), "messages": .int(outcomes.reduce(0) { $0 + $1.messages }),
                                  "delivered": .int(count(.delivered)), "failed": .int(count(.failed)),
                                  "not_sent": .int(count(.notSent)), "uncertain": .int(count(.uncertain)), "skipped": .int(count(.skipped)),
                                  "elapsed_ms": .int(Int((finished.timeIntervalSince(started) * 1000).rounded()))]
        let report: OrderedMap = ["job": .string(jobName), "started": .string(ISO8601.format(started, in: zone)),
                                  "finished": .string(ISO8601.format(finished, in: zone)), "interrupted": .bool(interrupted),
                                  "stopped": stopped.map(Value.string) ?? .null,
                                  "exit_code": .int(Int(exitCode)), "totals": .map(totals), "requests": .list(requests)]
        return PrettyJSON.string(.map(report)) + "\n"
    }
}
