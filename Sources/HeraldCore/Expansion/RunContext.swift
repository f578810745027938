import Foundation
import HeraldTemplate

/// What a run adds to every scope: the time, the zone, and `--var` / `--vars-file` overrides.
public struct RunContext: Sendable {
    public var now: Date
    public var timeZone: TimeZone
    /// Command-line variables, the innermost scope.
    public var overrides: OrderedMap

    public init(now: Date, timeZone: TimeZone, overrides: OrderedMap = OrderedMap()) {
        self.now = now
        self.timeZone = timeZone
        self.overrides = overrides
    }

    /// `2026-11-25T09:30:00+08:00` in the zone in effect, `Z` for UTC.
    public var nowText: String { ISO8601.format(now, in: timeZone) }

    /// `YYYY-MM-DD` in the zone in effect.
    public var todayText: String { String(ISO8601.format(now, in: timeZone).prefix(10)) }
}

/// ISO 8601 with seconds and offset, the form docs/job-file.md pins for `{{now}}` and `--now`.
public enum ISO8601 {
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = zone.secondsFromGMT(for: date)
        let zoneText: String
        if offset == 0 {
            zoneText = "Z"
        } else {
            let magnitude = abs(offset) / 60
            zoneText = String(format: "%@%02d:%02d", offset < 0 ? "-" : "+", magnitude / 60, magnitude % 60)
        }
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0) + zoneText
    }

    /// Parses `2026-11-25T09:30:00+08:00`, `…Z`, with or without fractional seconds.
    /// FoundationEssentials' parser, not ISO8601DateFormatter: the latter loads ICU and was a
    /// seventh of herald's start-up time.
    public static func parse(_ text: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(timeZoneSeparator: .colon).parse(text) { return d }
        return try? Date.ISO8601FormatStyle(timeZoneSeparator: .colon, includingFractionalSeconds: true).parse(text)
    }
}
