/// Hides secrets in a source line before a diagnostic shows it (on a terminal, under the
/// message): the values of `link:`, `endpoint:` and `dingtalk_endpoint:` as `LinkMask` masks a
/// link (a malformed one too), of `sk:` and `access_token:` to `…` plus their last 4
/// characters, and any `key=`/`access_token=` value or userinfo password elsewhere on the line.
package enum SourceLineMask {
    static let linkKeys: Set<String> = ["link", "endpoint", "dingtalk_endpoint"]
    static let secretKeys: Set<String> = ["sk", "access_token"]

    package static func mask(_ line: String) -> String {
        var result = ""
        var rest = Substring(line)
        while let (key, valueRange) = nextKeyValue(in: rest) {
            result += rest[..<valueRange.lowerBound]
            let value = String(rest[valueRange])
            if linkKeys.contains(key) {
                result += LinkMask.mask(value)
            } else if value.hasPrefix("${"), !value.contains(":-") {
                result += value  // a reference to the environment, not the secret itself
            } else {
                result += "…" + value.suffix(4)
            }
            rest = rest[valueRange.upperBound...]
        }
        result += rest
        return LinkMask.maskSecrets(in: result)
    }

    /// The next `KEY: value` (YAML, block or flow style) whose key is one of ours, with the
    /// value's range inside its quotes; nil when there is none.
    private static func nextKeyValue(in text: Substring) -> (String, Range<Substring.Index>)? {
        var search = text.startIndex
        while let colon = text[search...].firstIndex(of: ":") {
            defer { search = text.index(after: colon) }
            let after = text.index(after: colon)
            guard after == text.endIndex || text[after] == " " else { continue }
            var keyStart = colon
            while keyStart > text.startIndex {
                let previous = text.index(before: keyStart)
                let c = text[previous]
                guard c.isLetter || c == "_" || c == "\"" || c == "'" else { break }
                keyStart = previous
            }
            let key = text[keyStart..<colon].filter { $0 != "\"" && $0 != "'" }
            guard linkKeys.contains(key) || secretKeys.contains(key) else { continue }
            var valueStart = after
            while valueStart < text.endIndex, text[valueStart] == " " { valueStart = text.index(after: valueStart) }
            guard valueStart < text.endIndex else { continue }
            if let quote = text[valueStart] == "\"" || text[valueStart] == "'" ? text[valueStart] : nil {
                let inner = text.index(after: valueStart)
                let close = text[inner...].firstIndex(of: quote) ?? text.endIndex
                return (key, inner..<close)
            }
            // A plain scalar: up to a flow separator or a comment.
            var end = valueStart
            while end < text.endIndex, text[end] != ",", text[end] != "}", text[end] != "]",
                  !(text[end] == "#" && end > valueStart && text[text.index(before: end)] == " ") {
                end = text.index(after: end)
            }
            while end > valueStart, text[text.index(before: end)] == " " { end = text.index(before: end) }
            return (key, valueStart..<end)
        }
        return nil
    }
}
