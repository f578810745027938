/// A duration as people write it on a command line: 90, 90s, 10m, 1h, 2d (seconds when bare).
enum DurationText {
    static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var digits = Substring(text)
        var scale = 1.0
        if let last = text.last, let unit = units[last] {
            digits = text.dropLast()
            scale = unit
        }
        guard let value = Double(digits), value >= 0, value.isFinite else { return nil }
        return value * scale
    }
}
