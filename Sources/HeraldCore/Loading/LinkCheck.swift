import Foundation

/// Checks a recipient's robot link for its platform when the job loads (docs/job-file.md,
/// "Robot links"): what would be sent wrong, or to the wrong place, is an error with the fix;
/// a host that is not the platform's is a warning (a company gateway is written with `platform:`).
struct LinkCheck {
    enum Finding: Equatable {
        case error(String)
        case warning(String)
        /// The explicit `platform:` contradicts the link: reported at the `platform` key.
        case platformError(String)
    }

    static let wecomHost = "qyapi.weixin.qq.com"
    static let wecomPath = "/cgi-bin/webhook/send"
    static let dingtalkHost = "oapi.dingtalk.com"
    static let dingtalkPath = "/robot/send"
    static let wecomShape = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<the robot's key>"
    static let dingtalkShape = "https://oapi.dingtalk.com/robot/send?access_token=<the robot's token>"

    /// How the link is named in messages: `'link' of recipient 'ops'`.
    let what: String

    static func shape(of platform: Platform) -> String { platform == .wecom ? wecomShape : dingtalkShape }

    /// Characters no link holds, whatever the platform; checked before the URL is parsed so the
    /// message names the character rather than "not a URL".
    func characterProblem(_ link: String) -> String? {
        // Printable ASCII throughout: what nearly every link is, checked without a scalar walk.
        if LinkMask.isPrintableASCII(link) { return nil }
        let scalars = Array(link.unicodeScalars)
        var shown: String { Self.escapingControls(LinkMask.mask(link)) }
        if let first = scalars.first, isWhitespace(first) {
            return "\(what) begins with \(Self.name(first)); remove it (got '\(shown)')"
        }
        if let last = scalars.last, isWhitespace(last) {
            // Named from where the trailing run starts: "\r\n" is a carriage return, then a line feed.
            let first = scalars.reversed().prefix(while: isWhitespace).last ?? last
            return "\(what) ends with \(Self.name(first)), which would be sent as part of the key; remove it (got '\(shown)')"
        }
        // Text that is no URL at all ("not a url") is better told so than about its spaces.
        let lower = link.prefix(8).lowercased()
        let looksLikeURL = lower.hasPrefix("http://") || lower.hasPrefix("https://")
        for (offset, s) in scalars.enumerated() {
            if looksLikeURL, s.value < 0x20 || (0x7F...0x9F).contains(s.value) || isWhitespace(s) {
                return "\(what) holds \(Self.name(s)) at character \(offset + 1); a link is one line with no spaces or control characters (got '\(shown)')"
            }
            if let ascii = Self.asciiForFullWidth(s) {
                return "\(what) holds a full-width '\(Character(s))' (U+\(Self.hex(s))) at character \(offset + 1), as a Chinese input method types it; write the ASCII '\(ascii)' (got '\(shown)')"
            }
        }
        return nil
    }

    /// A parsed http(s) link, for its platform. `explicitPlatform`: the recipient wrote `platform:`.
    func findings(_ components: URLComponents, host: String, platform: Platform, explicitPlatform: Bool) -> [Finding] {
        let host = host.lowercased()
        let path = components.percentEncodedPath
        if host == "developer.kdocs.cn" || LinkMask.containsBytes(path, "/openapi/notification/") {
            return [.error("\(what) is the KDocs relay URL, which belongs in 'endpoint' (or 'dingtalk_endpoint'); 'link' is the robot's own webhook, \(Self.shape(of: platform))")]
        }
        let expectedHost = platform == .wecom ? Self.wecomHost : Self.dingtalkHost
        let otherHost = platform == .wecom ? Self.dingtalkHost : Self.wecomHost
        if host == otherHost {
            // Only an explicit `platform:` gets here: the host alone would have chosen the other platform.
            return [.platformError("\(what) is a \(platform == .wecom ? "DingTalk" : "WeCom") robot's (\(otherHost)) but 'platform' is \(platform.rawValue); remove 'platform', or use the \(platform.displayName) robot's link \(Self.shape(of: platform))")]
        }
        let items = components.percentEncodedQueryItems ?? []
        func has(_ name: String) -> Bool { items.contains { $0.name.lowercased() == name } }
        switch platform {
        case .wecom where has("access_token"):
            return [.error("\(what) carries 'access_token=', DingTalk's field; a WeCom robot link carries 'key=' (\(Self.wecomShape)); for a DingTalk robot write 'platform: dingtalk'")]
        case .dingtalk where has("key"):
            return [.error("\(what) carries 'key=', WeCom's field; a DingTalk robot link carries 'access_token=' (\(Self.dingtalkShape)); for a WeCom robot write 'platform: wecom'")]
        default: break
        }
        guard host == expectedHost else {
            if explicitPlatform { return [] }  // a gateway, named as such by `platform:`
            return [.warning("\(what) has host '\(host)', not \(platform.displayName)'s '\(expectedHost)'; fix the host (\(Self.shape(of: platform))), or, for a company gateway, write 'platform: \(platform.rawValue)' beside the link")]
        }
        let field = platform == .wecom ? "key" : "access_token"
        let expectedPath = platform == .wecom ? Self.wecomPath : Self.dingtalkPath
        if components.scheme?.lowercased() != "https" {
            return [.error("\(what) must start with https:// (\(Self.shape(of: platform)))")]
        }
        if path != expectedPath {
            return [.error("\(what) has the path '\(path)'; a \(platform.displayName) robot link is \(Self.shape(of: platform))")]
        }
        guard let item = items.first(where: { $0.name.lowercased() == field }) else {
            return [.error("\(what) has no '\(field)='; a \(platform.displayName) robot link is \(Self.shape(of: platform)) — copy the whole webhook address from the robot's settings")]
        }
        if (item.value ?? "").isEmpty {
            return [.error("\(what) has an empty '\(field)='; paste the robot's \(field == "key" ? "key" : "token") after it (\(Self.shape(of: platform)))")]
        }
        return []
    }

    /// A hint for a link that is not a URL at all: the robot's key pasted alone.
    func notAURLHint(_ link: String, platform: Platform) -> String {
        let keyLike = link.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
        guard keyLike.count >= 16, keyLike.count == link.unicodeScalars.count else { return "" }
        return "; it looks like the robot's key alone — write the whole webhook address, \(Self.shape(of: platform))"
    }

    /// Control characters as escapes, so the message stays one line: `\n`, `\r`, `\0`, `\u{1B}`.
    static func escapingControls(_ text: String) -> String {
        var result = ""
        for s in text.unicodeScalars {
            switch s {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\0": result += "\\0"
            default:
                if s.value < 0x20 || (0x7F...0x9F).contains(s.value) {
                    result += "\\u{\(String(s.value, radix: 16, uppercase: true))}"
                } else {
                    result.unicodeScalars.append(s)
                }
            }
        }
        return result
    }

    private func isWhitespace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace || s == "\u{FEFF}" || s == "\u{200B}" }

    /// A character as the message shows it: `a space (U+0020)`, `a line feed (U+000A)`.
    static func name(_ s: Unicode.Scalar) -> String {
        let names: [UInt32: String] = [0x20: "a space", 0x09: "a tab", 0x0A: "a line feed", 0x0D: "a carriage return", 0x00: "a NUL byte",
                                       0xA0: "a no-break space", 0x3000: "a full-width space", 0xFEFF: "a byte-order mark",
                                       0x200B: "a zero-width space"]
        let name = names[s.value] ?? (s.properties.isWhitespace ? "a whitespace character" : "a control character")
        return "\(name) (U+\(hex(s)))"
    }

    static func hex(_ s: Unicode.Scalar) -> String {
        let digits = String(s.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Full-width ASCII forms (U+FF01–FF5E) and the CJK punctuation an input method puts in URLs.
    static func asciiForFullWidth(_ s: Unicode.Scalar) -> Character? {
        switch s.value {
        case 0xFF01...0xFF5E: return Unicode.Scalar(s.value - 0xFEE0).map(Character.init)
        case 0x3002, 0xFF61: return "."
        case 0x3001, 0xFF64: return ","
        case 0x201C, 0x201D: return "\""
        case 0x2018, 0x2019: return "'"
        default: return nil
        }
    }
}
