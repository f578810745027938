import Foundation
import HeraldTemplate

/// `herald plan`: the requests with masked links, sizes and the earliest send time under pacing.
package enum PlanTable {
    package struct Row: Sendable {
        package var index: Int
        package var link: String
        package var messages: Int
        package var bytes: Int
        /// Seconds after the run starts, if every request took no time.
        package var earliest: Double
        package var contentID: String
        package var platform: Platform
        /// `message 3, parts 1–2/3`: the split messages' parts in the request.
        package var parts: String
    }

    package static func rows(for plan: Plan) -> [Row] {
        var schedules: [String: PacingSchedule] = [:]
        var lastStart: [String: Double] = [:]
        return plan.requests.map { request in
            var schedule = schedules[request.link] ?? PacingSchedule(rateLimit: plan.rateLimit)
            let start = schedule.earliestStart(count: request.messageCount, notBefore: lastStart[request.link] ?? 0)
            schedule.record(count: request.messageCount, at: start)
            schedules[request.link] = schedule
            lastStart[request.link] = start
            return Row(index: request.index + 1, link: request.maskedLink, messages: request.messageCount,
                       bytes: request.body.count, earliest: start, contentID: request.contentID, platform: request.platform,
                       parts: partsText(request.parts))
        }
    }

    package static func text(for prepared: PreparedJob) -> String {
        let rows = rows(for: prepared.plan)
        // The platform column appears when a plan reaches DingTalk too; an all-WeCom plan reads as before.
        let showsPlatform = rows.contains { $0.platform != .wecom }
        let showsParts = rows.contains { !$0.parts.isEmpty }
        let headers = ["#", "link"] + (showsPlatform ? ["platform"] : []) + ["messages", "bytes", "earliest"] + (showsParts ? ["split messages"] : [])
        let cells = rows.map {
            [String($0.index), $0.link] + (showsPlatform ? [$0.platform.rawValue] : [])
                + [String($0.messages), String($0.bytes), "+" + duration($0.earliest)] + (showsParts ? [$0.parts] : [])
        }
        var widths = headers.map(\.count)
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                let leftAligned = i == 1 || (showsPlatform && i == 2) || (showsParts && i == row.count - 1)
                return leftAligned ? c + pad : pad + c
            }.joined(separator: "  ").replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression)
        }
        var lines = [line(headers)] + cells.map(line)
        let links = Set(prepared.plan.requests.map(\.link)).count
        let last = rows.map(\.earliest).max() ?? 0
        var summary = "\(rows.count) request\(rows.count == 1 ? "" : "s"), \(prepared.plan.messageCount) message\(prepared.plan.messageCount == 1 ? "" : "s"), \(links) link\(links == 1 ? "" : "s")"
        summary += prepared.plan.rateLimit > 0 ? "; rate_limit \(prepared.plan.rateLimit)/min per link: last request starts at +\(duration(last))" : "; no pacing"
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    package static func json(for prepared: PreparedJob) -> String {
        let requests: [Value] = rows(for: prepared.plan).map { row in
            .map(OrderedMap([("index", .int(row.index)), ("link", .string(row.link)), ("platform", .string(row.platform.rawValue)),
                             ("messages", .int(row.messages)), ("parts", .string(row.parts)),
                             ("bytes", .int(row.bytes)), ("earliest_seconds", .double(row.earliest)), ("id", .string(row.contentID))]))
        }
        let doc: Value = .map(OrderedMap([
            ("job", .string(prepared.plan.jobName)),
            ("endpoint", .string(prepared.plan.endpoint)),
            ("dingtalk_endpoint", prepared.plan.dingtalkEndpoint.map(Value.string) ?? .null),
            ("now", .string(ISO8601.format(prepared.plan.now, in: TimeZone(identifier: "UTC") ?? .current))),
            ("rate_limit", .int(prepared.plan.rateLimit)),
            ("messages", .int(prepared.plan.messageCount)),
            ("requests", .list(requests)),
        ]))
        return JSONWriter.string(doc) + "\n"
    }

    /// `message 3, parts 1–2/3; message 4, part 1/2`: consecutive parts of a message together.
    static func partsText(_ parts: [PartReference]) -> String {
        var groups: [(message: Int, first: Int, last: Int, count: Int)] = []
        for p in parts {
            if let g = groups.last, g.message == p.message, g.last + 1 == p.part {
                groups[groups.count - 1].last = p.part
            } else {
                groups.append((p.message, p.part, p.part, p.count))
            }
        }
        return groups.map { g in
            g.first == g.last ? "message \(g.message), part \(g.first)/\(g.count)" : "message \(g.message), parts \(g.first)–\(g.last)/\(g.count)"
        }.joined(separator: "; ")
    }

    /// `0s`, `45s`, `2m00s`, `1h02m03s`.
    package static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm%02ds", s / 3600, (s % 3600) / 60, s % 60)
    }
}
