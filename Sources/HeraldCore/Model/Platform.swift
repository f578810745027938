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
        host(of: link)?.lowercased() == "oapi.dingtalk.com" ? .dingtalk : .wecom
    }

    /// The host of an `http(s)://` link: between `://` (and any `user@`) and the first `/`,
    /// `?`, `#` or `:port`. Read from the bytes: a job may have thousands of recipients, and
    /// URLComponents costs far more per link.
    static func host(of link: String) -> Substring? {
        guard let scheme = link.range(of: "://") else { return nil }
        var rest = link[scheme.upperBound...]
        rest = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if rest.hasPrefix("[") { return rest.prefix { $0 != "]" }.dropFirst() }  // an IPv6 literal
        return rest.prefix { $0 != ":" }
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
