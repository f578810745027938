import Foundation

/// Hides secrets in robot links wherever a link is shown outside the dry-run body:
/// the `key=` value becomes `…` plus its last 4 characters (docs/sending.md).
public enum LinkMask {
    public static func mask(_ link: String) -> String {
        // Bytes, not Characters: this runs for every request of a run.
        let bytes = Array(link.utf8)
        guard let queryStart = bytes.firstIndex(of: UInt8(ascii: "?")) else { return link }
        var masked = Array(bytes[...queryStart])
        masked.reserveCapacity(bytes.count)
        let end = forEachParameter(bytes, from: queryStart + 1) { name, value, separator in
            if let value, isSecretName(bytes[name]) {
                masked += bytes[name.lowerBound...name.upperBound]  // the name and its '='
                masked += "…".utf8
                masked += String(decoding: bytes[value], as: UTF8.self).suffix(4).utf8
            } else {
                masked += bytes[name.lowerBound..<separator]
            }
            if separator < bytes.count, bytes[separator] == UInt8(ascii: "&") { masked.append(UInt8(ascii: "&")) }
        }
        masked += bytes[end...]
        return String(decoding: masked, as: UTF8.self)
    }

    /// The values of a link's secret query parameters (`key=…` and the like), to scrub from text.
    public static func secretValues(in link: String) -> [String] {
        let bytes = Array(link.utf8)
        guard let queryStart = bytes.firstIndex(of: UInt8(ascii: "?")) else { return [] }
        var values: [String] = []
        _ = forEachParameter(bytes, from: queryStart + 1) { name, value, _ in
            if let value, isSecretName(bytes[name]) { values.append(String(decoding: bytes[value], as: UTF8.self)) }
        }
        return values
    }

    /// Calls `body(name, value, separatorIndex)` for each `&`-separated part of the query
    /// starting at `from` (empty parts too); returns where the query ends (`#` or the end).
    private static func forEachParameter(_ bytes: [UInt8], from: Int,
                                         _ body: (Range<Int>, Range<Int>?, Int) -> Void) -> Int {
        let end = bytes[from...].firstIndex(of: UInt8(ascii: "#")) ?? bytes.endIndex
        var start = from
        while true {
            let partEnd = bytes[start..<end].firstIndex(of: UInt8(ascii: "&")) ?? end
            if let eq = bytes[start..<partEnd].firstIndex(of: UInt8(ascii: "=")) {
                body(start..<eq, (eq + 1)..<partEnd, partEnd)
            } else {
                body(start..<partEnd, nil, partEnd)
            }
            if partEnd == end { return end }
            start = partEnd + 1
        }
    }

    /// `key` is WeCom's; DingTalk-style links carry `access_token`, masked the same way.
    private static func isSecretName(_ name: ArraySlice<UInt8>) -> Bool {
        let lower = name.allSatisfy { $0 < 0x80 }
            ? String(decoding: name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
            : String(decoding: name, as: UTF8.self).lowercased()
        return lower == "key" || lower == "access_token" || lower == "sign" || lower == "secret"
    }

    /// Replaces every occurrence of the given secrets (token, sk, raw links) in free text,
    /// for messages that might echo them (server errors, transport errors).
    public static func scrub(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where secret.utf8.count >= 4 && result.utf8.count >= secret.utf8.count {
            result = result.replacingOccurrences(of: secret, with: "…")
        }
        return result
    }
}
