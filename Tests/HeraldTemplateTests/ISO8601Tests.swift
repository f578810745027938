import Foundation
@testable import HeraldTemplate
import Testing

/// The plain form of `--now` is read directly and times are printed by hand: both must give
/// exactly what Foundation gives.
@Suite struct ISO8601Tests {
    @Test func plainFormReadsAsFoundationReadsIt() {
        var rng = RobustnessTests.SplitMix64(state: 11)
        var texts = ["2026-11-25T09:30:00+08:00", "2026-11-25T09:30:00Z", "2000-02-29T23:59:59-05:30", "1583-01-01T00:00:00Z",
                     "9999-12-31T23:59:59+14:00", "2024-12-31T00:00:00-12:00"]
        for _ in 0..<3000 {
            let year = Int.random(in: 1583...9999, using: &rng), month = Int.random(in: 1...12, using: &rng)
            let day = Int.random(in: 1...28, using: &rng), hour = Int.random(in: 0...23, using: &rng)
            let minute = Int.random(in: 0...59, using: &rng), second = Int.random(in: 0...59, using: &rng)
            var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second)
            if Bool.random(using: &rng) {
                text += "Z"
            } else {
                text += String(format: "%@%02d:%02d", Bool.random(using: &rng) ? "+" : "-", Int.random(in: 0...13, using: &rng),
                               [0, 15, 30, 45][Int.random(in: 0...3, using: &rng)])
            }
            texts.append(text)
        }
        for text in texts {
            let foundation = ISO8601.parseWithFoundation(text)
            if let plain = ISO8601.parsePlain(text) {
                #expect(plain == foundation, "\(text)")
            }
            #expect(ISO8601.parse(text) == foundation, "\(text)")
        }
        // Out of range, or not the plain form: left to Foundation.
        for text in ["2026-02-30T00:00:00Z", "2026-11-25T24:00:00Z", "1500-01-01T00:00:00Z", "2026-11-25t09:30:00Z",
                     "2026-11-25T09:30:00-00:00", "2026-11-25T09:30:00+15:00", "2026-11-25T09:30:00.5Z", " 2026-11-25T09:30:00Z "] {
            #expect(ISO8601.parsePlain(text) == nil, "\(text)")
        }
        #expect(ISO8601.parse(" 2026-11-25T09:30:00Z ") == ISO8601.parseWithFoundation("2026-11-25T09:30:00Z"))
    }

    @Test func printedAsStringFormatPrintsIt() {
        var rng = RobustnessTests.SplitMix64(state: 5)
        let zones = ["UTC", "Asia/Shanghai", "America/St_Johns", "Asia/Kathmandu", "Pacific/Kiritimati", "America/Los_Angeles"]
            .compactMap { TimeZone(identifier: $0) }
        for _ in 0..<2000 {
            // Whole seconds (worked out directly) and quarter seconds (by the calendar), 1336 to 9892.
            let ticks = Double(Int64.random(in: -20_000_000_000...250_000_000_000, using: &rng))
            let date = Date(timeIntervalSince1970: Bool.random(using: &rng) ? ticks : ticks / 4)
            for zone in zones {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = zone
                let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
                let offset = zone.secondsFromGMT(for: date)
                let magnitude = abs(offset) / 60
                let zoneText = offset == 0 ? "Z" : String(format: "%@%02d:%02d", offset < 0 ? "-" : "+", magnitude / 60, magnitude % 60)
                let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0) + zoneText
                #expect(ISO8601.format(date, in: zone) == expected)
            }
        }
        for (n, width, text) in [(5, 4, "0005"), (-5, 4, "-005"), (12345, 4, "12345"), (0, 2, "00"), (-123, 2, "-123")] {
            var s = ""
            ISO8601.appendPadded(n, width: width, to: &s)
            #expect(s == text)
        }
    }
}
