import Foundation

/// The one ISO 8601 printer and parser: `{{now}}`, `--now`, the `date` filter's input, the
/// journal. Printed with seconds and offset (`2026-11-25T09:30:00+08:00`, `Z` for UTC).
public enum ISO8601 {
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let c = components(of: date, in: zone, offset: offset)
        // Digits by hand: String(format:) cost more than everything else here together.
        var text = ""
        text.reserveCapacity(25)
        appendPadded(c.year ?? 0, width: 4, to: &text)
        text += "-"
        appendPadded(c.month ?? 0, width: 2, to: &text)
        text += "-"
        appendPadded(c.day ?? 0, width: 2, to: &text)
        text += "T"
        appendPadded(c.hour ?? 0, width: 2, to: &text)
        text += ":"
        appendPadded(c.minute ?? 0, width: 2, to: &text)
        text += ":"
        appendPadded(c.second ?? 0, width: 2, to: &text)
        if offset == 0 {
            text += "Z"
        } else {
            let magnitude = abs(offset) / 60
            text += offset < 0 ? "-" : "+"
            appendPadded(magnitude / 60, width: 2, to: &text)
            text += ":"
            appendPadded(magnitude % 60, width: 2, to: &text)
        }
        return text
    }

    /// The date's wall-clock fields in `zone` (`offset` seconds from UTC then), as Foundation's
    /// Gregorian calendar gives them; worked out directly for a whole second from 1583 to 9999.
    static func components(of date: Date, in zone: TimeZone, offset: Int) -> DateComponents {
        let t = date.timeIntervalSince1970
        // 1583-01-01 and 10000-01-01, with a day to spare for the offset.
        if t == t.rounded(.down), t > -12_212_553_600 + 86_400, t < 253_402_300_800 - 86_400 {
            let local = Int(t) + offset
            let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
            let seconds = local - days * 86_400
            let (year, month, day) = civil(fromDaysSinceEpoch: days)
            if year >= 1583, year <= 9999 {
                return DateComponents(year: year, month: month, day: day, hour: seconds / 3_600, minute: seconds / 60 % 60,
                                      second: seconds % 60)
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }

    /// `n` as printf's `%0<width>d` prints it: zero-padded to `width` characters, a minus
    /// sign counted in them.
    static func appendPadded(_ n: Int, width: Int, to text: inout String) {
        let digits = String(n.magnitude)
        if n < 0 { text += "-" }
        let pad = width - digits.count - (n < 0 ? 1 : 0)
        if pad > 0 { text += String(repeating: "0", count: pad) }
        text += digits
    }

    /// Parses `2026-11-25T09:30:00+08:00`, `…Z`, with or without fractional seconds; spaces
    /// around it are ignored. FoundationEssentials' parser, not ISO8601DateFormatter, which
    /// loads ICU and slows start-up; the plain form without fractions is read directly.
    public static func parse(_ text: String) -> Date? {
        let text = trimmedFast(text, newlines: false)
        if let d = parsePlain(text) { return d }
        return parseWithFoundation(text)
    }

    /// FoundationEssentials' reading of `text` (already trimmed).
    static func parseWithFoundation(_ text: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(timeZoneSeparator: .colon).parse(text) { return d }
        return try? Date.ISO8601FormatStyle(timeZoneSeparator: .colon, includingFractionalSeconds: true).parse(text)
    }

    /// `YYYY-MM-DDTHH:MM:SS` then `Z` or `±HH:MM`, every field in range, the year from 1583
    /// (Foundation's calendar is Julian before its 1582 reform) and an offset of at most 14
    /// hours (`-00:00` and `+00:00` are left to Foundation): the instant it names, which is
    /// what Foundation's parser gives for it. Nil for anything else (Foundation's parser decides).
    static func parsePlain(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { b -> Date? in
            guard b.count == 20 || b.count == 25 else { return nil }
            func number(_ start: Int, _ count: Int) -> Int? {
                var n = 0
                for i in start..<(start + count) {
                    let d = Int(b[i]) - 48
                    guard d >= 0, d <= 9 else { return nil }
                    n = n * 10 + d
                }
                return n
            }
            guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"),
                  b[16] == UInt8(ascii: ":"),
                  let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
                  let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
                  year >= 1583, (1...12).contains(month), day >= 1, day <= daysIn(month, of: year),
                  hour <= 23, minute <= 59, second <= 59 else { return nil }
            var offset = 0
            if b.count == 20 {
                guard b[19] == UInt8(ascii: "Z") else { return nil }
            } else {
                guard b[19] == UInt8(ascii: "+") || b[19] == UInt8(ascii: "-"), b[22] == UInt8(ascii: ":"),
                      let hours = number(20, 2), let minutes = number(23, 2), minutes <= 59, hours * 60 + minutes <= 14 * 60,
                      hours + minutes > 0 else { return nil }
                offset = (hours * 60 + minutes) * 60 * (b[19] == UInt8(ascii: "-") ? -1 : 1)
            }
            let days = daysSinceEpoch(year: year, month: month, day: day)
            return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3_600 + minute * 60 + second - offset))
        }
    }

    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civil(fromDaysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days from 1970-01-01 to a date of the Gregorian calendar (Howard Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
