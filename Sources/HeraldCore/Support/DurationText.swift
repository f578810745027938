/// A duration as written in a job file or a flag: `30s`, `10m`, `1h`, `1h30m`, `1.5h`, `2d`, or `0`.
package enum DurationText {
    package static let units: [(suffix: Character, seconds: Double)] = [("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
    package static let examples = "30s, 10m, 1h, 1h30m or 0"

    /// Seconds; nil when `text` is not a duration (a bare number other than 0 has no unit, so is not one).
    package static func seconds(_ text: String) -> Double? {
        if text == "0" { return 0 }
        var total = 0.0
        var number = ""
        var sawUnit = false
        for ch in text {
            if ch.isASCII, ch.isNumber || ch == "." {
                number.append(ch)
                continue
            }
            guard let unit = units.first(where: { $0.suffix == ch }), !number.isEmpty, !number.hasPrefix("."), !number.hasSuffix("."),
                  let value = Double(number) else { return nil }
            total += value * unit.seconds
            number = ""
            sawUnit = true
        }
        guard sawUnit, number.isEmpty, total.isFinite else { return nil }
        return total
    }
}
