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
        inferred(fromHost: URLComponents(string: link)?.host ?? "")
    }

    /// The same from a host already read off the link (the loader parses each link once).
    static func inferred(fromHost host: String) -> Platform {
        host.lowercased() == "oapi.dingtalk.com" ? .dingtalk : .wecom
    }

    /// The default DingTalk relay endpoint: the WeCom endpoint with its last path segment
    /// `wecom` replaced by `dingtalk`; nil when the endpoint does not end in `wecom`.
    package static func dingtalkEndpoint(derivedFrom endpoint: String) -> String? {
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
