import Foundation

/// Hides secrets in robot links wherever a link is shown outside the dry-run body
/// (docs/sending.md, "Secrets"), whatever the link looks like:
/// - a `key=`, `access_token=`, `sign=` or `secret=` value after any `?`, `？`, `&`, `＆`, `#`
///   or `;` becomes `…` plus its last 4 characters;
/// - a password in the userinfo (`https://user:PASS@host`) becomes `…`;
/// - in a link that is not a clean http(s) URL (a pasted bare key, a space, a full-width
///   character), every run of 16 or more key-like characters (letters, digits, `-`, `_`)
///   becomes `…` plus its last 4 characters.
package enum LinkMask {
    package static func mask(_ link: String) -> String {
        maskSecrets(in: link, maskingRuns: !isCleanURL(link))
    }

    /// The secret parts of a link (as `mask` hides them), to scrub from free text.
    package static func secretValues(in link: String) -> [String] {
        let bytes = Array(link.utf8)
        return secretRanges(bytes, maskingRuns: !isCleanURL(link)).map { String(decoding: bytes[$0.range], as: UTF8.self) }
    }

    /// Masks query-style secrets and userinfo passwords anywhere in `text`; with `maskingRuns`,
    /// also long key-like runs (for text that is, or holds, a malformed link).
    package static func maskSecrets(in text: String, maskingRuns: Bool = false) -> String {
        let bytes = Array(text.utf8)
        let ranges = secretRanges(bytes, maskingRuns: maskingRuns)
        guard !ranges.isEmpty else { return text }
        var masked: [UInt8] = []
        masked.reserveCapacity(bytes.count)
        var copied = 0
        for secret in ranges {
            masked += bytes[copied..<secret.range.lowerBound]
            masked += "…".utf8
            if secret.keepsTail {
                masked += String(decoding: bytes[secret.range], as: UTF8.self).suffix(4).utf8
            }
            copied = secret.range.upperBound
        }
        masked += bytes[copied...]
        return String(decoding: masked, as: UTF8.self)
    }

    /// Replaces every occurrence of the given secrets (token, sk, raw links) in free text,
    /// for messages that might echo them (server errors, transport errors).
    package static func scrub(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where secret.utf8.count >= 4 && result.utf8.count >= secret.utf8.count {
            // Most text holds no secret: an ASCII one is looked for byte by byte first (the
            // same answer as Foundation's search, which is the expensive part of a log line).
            if isPrintableASCII(secret), !containsBytes(result, secret) { continue }
            result = result.replacingOccurrences(of: secret, with: "…")
        }
        return result
    }

    // MARK: Finding secrets

    private struct Secret {
        var range: Range<Int>
        /// `…` plus the last 4 characters (a key: enough to tell robots apart); else `…` alone (a password).
        var keepsTail: Bool
    }

    /// `http(s)://` followed only by printable ASCII: a link Herald's checks can read as a URL.
    static func isCleanURL(_ link: String) -> Bool {
        let bytes = link.utf8
        guard let first = bytes.first, first | 0x20 == UInt8(ascii: "h") else { return false }
        let lower = bytes.prefix(8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        guard lower.starts(with: "https://".utf8) || lower.starts(with: "http://".utf8) else { return false }
        return isPrintableASCII(link)
    }

    /// Every byte printable ASCII (no space, no control, nothing beyond 0x7E): what nearly every
    /// link is, told from its contiguous bytes (a `UTF8View` walk costs ten times as much).
    static func isPrintableASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F } }
    }

    /// Whether `text`'s bytes hold `needle` (a byte search, not Foundation's locale-aware one).
    static func containsBytes(_ text: String, _ needle: String) -> Bool {
        var text = text, needle = needle
        return text.withUTF8 { hay in
            needle.withUTF8 { pin in
                guard !pin.isEmpty, hay.count >= pin.count else { return pin.isEmpty }
                var i = 0
                while i + pin.count <= hay.count {
                    var j = 0
                    while j < pin.count, hay[i + j] == pin[j] { j += 1 }
                    if j == pin.count { return true }
                    i += 1
                }
                return false
            }
        }
    }

    /// Non-overlapping, in order.
    private static func secretRanges(_ bytes: [UInt8], maskingRuns: Bool) -> [Secret] {
        var found: [Secret] = []
        if let password = userinfoPassword(bytes) { found.append(Secret(range: password, keepsTail: false)) }
        var i = 0
        while i < bytes.count {
            let nameStart: Int
            if isASCIISeparator(bytes[i]) {
                nameStart = i + 1
            } else if let width = fullWidthSeparatorWidth(bytes, at: i) {
                nameStart = i + width
            } else {
                i += 1
                continue
            }
            guard let eq = bytes[nameStart...].prefix(32).firstIndex(of: UInt8(ascii: "=")),
                  isSecretName(bytes[nameStart..<eq]) else {
                i = nameStart
                continue
            }
            var end = eq + 1
            while end < bytes.count, !endsValue(bytes, at: end) { end += 1 }
            if end > eq + 1 { found.append(Secret(range: (eq + 1)..<end, keepsTail: true)) }
            i = end
        }
        if maskingRuns { found = withKeyLikeRuns(bytes, besides: found) }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// `scheme://user:PASS@host…`: the PASS bytes (the authority ends at `/`, `?` or `#`).
    private static func userinfoPassword(_ bytes: [UInt8]) -> Range<Int>? {
        let scheme = Array("://".utf8)
        guard let start = (0..<max(0, bytes.count - 2)).prefix(16).first(where: { bytes[$0..<($0 + 3)].elementsEqual(scheme) }) else { return nil }
        let authorityStart = start + 3
        let authorityEnd = bytes[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.count
        guard let at = bytes[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")),
              let colon = bytes[authorityStart..<at].firstIndex(of: UInt8(ascii: ":")), colon + 1 < at else { return nil }
        return (colon + 1)..<at
    }

    /// Runs of 16+ `[A-Za-z0-9_-]` outside the secrets already found.
    private static func withKeyLikeRuns(_ bytes: [UInt8], besides found: [Secret]) -> [Secret] {
        var result = found
        var i = 0
        while i < bytes.count {
            guard isKeyLike(bytes[i]) else { i += 1; continue }
            var end = i
            while end < bytes.count, isKeyLike(bytes[end]) { end += 1 }
            if end - i >= 16, !found.contains(where: { $0.range.overlaps(i..<end) }) {
                result.append(Secret(range: i..<end, keepsTail: true))
            }
            i = end
        }
        return result
    }

    private static func isKeyLike(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
    }

    private static func isASCIISeparator(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "?") || b == UInt8(ascii: "&") || b == UInt8(ascii: "#") || b == UInt8(ascii: ";")
    }

    /// `？` (U+FF1F), `＆` (U+FF06) and `＃` (U+FF03), as a Chinese input method types them: 3 bytes.
    private static func fullWidthSeparatorWidth(_ bytes: [UInt8], at i: Int) -> Int? {
        guard i + 2 < bytes.count, bytes[i] == 0xEF, bytes[i + 1] == 0xBC else { return nil }
        return bytes[i + 2] == 0x9F || bytes[i + 2] == 0x86 || bytes[i + 2] == 0x83 ? 3 : nil
    }

    /// A value ends at the next separator, whitespace or control character, or a quote (in a source line).
    private static func endsValue(_ bytes: [UInt8], at i: Int) -> Bool {
        let b = bytes[i]
        if b == UInt8(ascii: "&") || b == UInt8(ascii: "#") || b == UInt8(ascii: "?") || b == UInt8(ascii: ";") { return true }
        if b <= 0x20 || b == 0x7F || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { return true }
        return fullWidthSeparatorWidth(bytes, at: i) != nil
    }

    /// `key` is WeCom's, `access_token` DingTalk's; `sign` and `secret` are signing values.
    private static func isSecretName(_ name: ArraySlice<UInt8>) -> Bool {
        guard name.count >= 3, name.count <= 12, name.allSatisfy({ $0 < 0x80 }) else { return false }
        let lower = String(decoding: name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        return lower == "key" || lower == "access_token" || lower == "sign" || lower == "secret"
    }
}
