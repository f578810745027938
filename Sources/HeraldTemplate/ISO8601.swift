import Foundation

/// The one ISO 8601 printer and parser: `{{now}}`, `--now`, the `date` filter's input, the
/// journal. Printed with seconds and offset (`2026-11-25T09:30:00+08:00`, `Z` for UTC).
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

    /// Parses `2026-11-25T09:30:00+08:00`, `…Z`, with or without fractional seconds; spaces
    /// around it are ignored. FoundationEssentials' parser, not ISO8601DateFormatter, which
    /// loads ICU and slows start-up.
    public static func parse(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let d = try? Date.ISO8601FormatStyle(timeZoneSeparator: .colon).parse(text) { return d }
        return try? Date.ISO8601FormatStyle(timeZoneSeparator: .colon, includingFractionalSeconds: true).parse(text)
    }
}
