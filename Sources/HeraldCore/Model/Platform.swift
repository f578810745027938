import Foundation

/// The robot platforms the KDocs relay serves; each has its own relay path, message kinds
/// and limits (docs/platforms.md).
public enum Platform: String, Sendable, CaseIterable, Hashable {
    case wecom
    case dingtalk

    /// How the platform is named in messages and the plan.
    public var displayName: String {
        switch self {
        case .wecom: return "WeCom"
        case .dingtalk: return "DingTalk"
        }
    }

    /// The platform of a recipient without `platform:`: DingTalk for `oapi.dingtalk.com`, else WeCom.
    public static func inferred(fromLink link: String) -> Platform {
        guard let host = host(of: link) else { return .wecom }
        let dingtalk = "oapi.dingtalk.com".utf8
        let lowercased = host.lazy.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
        return lowercased.elementsEqual(dingtalk) ? .dingtalk : .wecom
    }

    /// The host of an `http(s)://` link: between `://` (and any `user@`) and the first `/`,
    /// `?`, `#` or `:port`. Read from the UTF-8 bytes: a job may have thousands of recipients,
    /// and URLComponents (or Foundation's string search) costs far more per link.
    static func host(of link: String) -> ArraySlice<UInt8>? {
        let bytes = Array(link.utf8)
        var start = 0
        while start + 2 < bytes.count, !(bytes[start] == 0x3A && bytes[start + 1] == 0x2F && bytes[start + 2] == 0x2F) { start += 1 }
        guard start + 2 < bytes.count else { return nil }
        var rest = bytes[(start + 3)...]
        rest = rest.prefix { $0 != 0x2F && $0 != 0x3F && $0 != 0x23 }  // / ? #
        if let at = rest.lastIndex(of: 0x40) { rest = rest[(at + 1)...] }  // user@
        if rest.first == 0x5B { return rest.dropFirst().prefix { $0 != 0x5D } }  // an IPv6 literal [..]
        return rest.prefix { $0 != 0x3A }  // :port
    }

    /// The default DingTalk relay endpoint: the WeCom endpoint with its last path segment
    /// `wecom` replaced by `dingtalk`; nil when the endpoint does not end in `wecom`.
    public static func dingtalkEndpoint(derivedFrom endpoint: String) -> String? {
        guard var components = URLComponents(string: endpoint) else { return nil }
        var path = components.path
        let trailingSlash = path.hasSuffix("/")
        if trailingSlash { path.removeLast() }
        guard path.hasSuffix("/wecom") else { return nil }
        path.removeLast("wecom".count)
        path += "dingtalk" + (trailingSlash ? "/" : "")
        components.path = path
        return components.string
    }
}

/// What `overflow:` chooses for a long field over its limit (docs/job-file.md, "Long messages").
public enum OverflowMode: String, Sendable, CaseIterable {
    case split, truncate, error
}
