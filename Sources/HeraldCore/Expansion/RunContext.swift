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

/// ISO 8601 with seconds and offset, the form SPEC §1 pins for `{{now}}` and `--now`.
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
    public static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let d = plain.date(from: text) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
