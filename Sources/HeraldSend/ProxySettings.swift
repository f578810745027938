import Foundation

/// Which HTTP CONNECT proxy, if any, carries the requests to a relay URL: `--proxy`, else the
/// environment read as curl reads it (`https_proxy`/`HTTPS_PROXY`, `http_proxy` in lowercase
/// only, `all_proxy`/`ALL_PROXY`, and `no_proxy`/`NO_PROXY`; lowercase wins when both are set).
public struct ProxySettings: Sendable, Equatable {
    public struct Proxy: Sendable, Hashable {
        public var host: String
        public var port: Int
        /// Basic credentials from the proxy URL's user info, percent-decoded.
        public var username: String?
        public var password: String?
        /// Where it came from, for messages: `--proxy` or the variable's name.
        public var source: String

        /// `host:port`: how a proxy is shown (never its credentials).
        public var display: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

        /// What must never be shown: the password as written and decoded, and the basic header value.
        public var secrets: [String] {
            guard let password, !password.isEmpty else { return [] }
            let pair = "\(username ?? ""):\(password)"
            var values = [password, Data(pair.utf8).base64EncodedString()]
            if let encoded = password.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed), encoded != password { values.append(encoded) }
            return values
        }
    }

    public struct InvalidProxy: Error, CustomStringConvertible {
        public var description: String
    }

    /// The proxy for https:// relay URLs and for http:// ones.
    public var https: Proxy?
    public var http: Proxy?
    /// `NO_PROXY` entries: hosts, domains (a leading dot is optional), IPs, CIDR ranges, or `*`.
    public var noProxy: [String]

    public static let none = ProxySettings(https: nil, http: nil, noProxy: [])

    public init(https: Proxy?, http: Proxy?, noProxy: [String]) {
        self.https = https
        self.http = http
        self.noProxy = noProxy
    }

    /// `flag`: the `--proxy` value (an empty one turns proxies off, as curl's `-x ""` does).
    /// Throws on a proxy URL that cannot be used, naming where it came from (credentials masked).
    /// `credentialsFile`: a file whose first line is `user:password`, for a proxy URL without
    /// credentials — so a password need not stand in the process list (`--proxy-credentials-file`).
    public static func resolve(flag: String?, environment: [String: String], credentialsFile: String?) throws(InvalidProxy) -> ProxySettings {
        var settings = try resolve(flag: flag, environment: environment)
        guard let credentialsFile else { return settings }
        guard let data = FileManager.default.contents(atPath: credentialsFile), data.count <= 4096,
              let text = String(data: data, encoding: .utf8) else {
            throw InvalidProxy(description: "--proxy-credentials-file \(credentialsFile) cannot be read (a text file of at most 4 KiB whose first line is user:password)")
        }
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
            throw InvalidProxy(description: "--proxy-credentials-file \(credentialsFile): its first line must be user:password")
        }
        let username = String(line[..<colon]), password = String(line[line.index(after: colon)...])
        guard settings.https != nil || settings.http != nil else {
            throw InvalidProxy(description: "--proxy-credentials-file \(credentialsFile) is given but no proxy is (--proxy or HTTPS_PROXY)")
        }
        for keyPath in [\ProxySettings.https, \ProxySettings.http] where settings[keyPath: keyPath]?.username == nil {
            settings[keyPath: keyPath]?.username = username
            settings[keyPath: keyPath]?.password = password
        }
        return settings
    }

    public static func resolve(flag: String?, environment: [String: String]) throws(InvalidProxy) -> ProxySettings {
        func variable(_ names: String...) -> (name: String, value: String)? {
            for name in names { if let value = environment[name], !value.trimmingCharacters(in: .whitespaces).isEmpty { return (name, value) } }
            return nil
        }
        let noProxyText = variable("no_proxy", "NO_PROXY")?.value ?? ""
        let noProxy = noProxyText.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
        if let flag {
            if flag.isEmpty { return ProxySettings(https: nil, http: nil, noProxy: noProxy) }
            let proxy = try parse(flag, source: "--proxy")
            return ProxySettings(https: proxy, http: proxy, noProxy: noProxy)
        }
        // curl reads `http_proxy` only in lowercase: `HTTP_PROXY` can be set by a web server's
        // CGI environment from a request's `Proxy:` header.
        let all = variable("all_proxy", "ALL_PROXY")
        let https = try (variable("https_proxy", "HTTPS_PROXY") ?? all).map { v throws(InvalidProxy) in try parse(v.value, source: v.name) }
        let http = try (variable("http_proxy") ?? all).map { v throws(InvalidProxy) in try parse(v.value, source: v.name) }
        return ProxySettings(https: https, http: http, noProxy: noProxy)
    }

    /// A proxy URL as curl takes it: `[http://][user[:password]@]host[:port][/]`, port 1080 by default.
    public static func parse(_ text: String, source: String) throws(InvalidProxy) -> Proxy {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed
        let shown = masked(withScheme)
        func fail(_ why: String) -> InvalidProxy {
            InvalidProxy(description: "\(source): '\(shown)' is not a usable proxy: \(why)")
        }
        guard let components = URLComponents(string: withScheme), let scheme = components.scheme?.lowercased() else {
            throw fail("it is not a URL (expected http://[user:password@]host:port)")
        }
        guard scheme == "http" else {
            throw fail("herald speaks to HTTP proxies (http://host:port, tunnelling with CONNECT); \(scheme):// is not supported")
        }
        guard var host = components.host, !host.isEmpty else { throw fail("it names no host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port: Int
        if let p = components.port {
            guard (1...65535).contains(p) else { throw fail("port \(p) is out of range") }
            port = p
        } else {
            // A port that is not a number makes URLComponents fail above; no port means curl's 1080.
            port = 1080
        }
        guard components.path.isEmpty || components.path == "/" else { throw fail("a proxy URL has no path") }
        guard components.query == nil, components.fragment == nil else { throw fail("a proxy URL has no query") }
        return Proxy(host: host, port: port, username: components.user, password: components.password, source: source)
    }

    /// The proxy URL with its password replaced by `…`.
    static func masked(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url[schemeEnd.upperBound...].lastIndex(of: "@") else { return url }
        let userInfo = url[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":…" + String(url[at...])
    }

    /// The proxy for this relay URL, or nil to connect directly.
    public func proxy(for url: String) -> Proxy? {
        guard let components = URLComponents(string: url), let host = components.host else { return nil }
        let proxy = components.scheme?.lowercased() == "https" ? https : http
        guard let proxy else { return nil }
        return Self.bypasses(host: host, noProxy: noProxy) ? nil : proxy
    }

    public var secrets: [String] { (https?.secrets ?? []) + (http?.secrets ?? []) }

    /// curl's `no_proxy` rule: `*` matches every host; a name matches itself and its
    /// subdomains (a leading dot is ignored); an IP matches exactly or by `/bits`.
    static func bypasses(host rawHost: String, noProxy: [String]) -> Bool {
        var host = rawHost.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix(".") { host.removeLast() }
        let hostIP = IPAddress(host)
        for rawEntry in noProxy {
            var entry = rawEntry.lowercased()
            if entry == "*" { return true }
            if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
                entry = String(entry[entry.index(after: entry.startIndex)..<close]) + String(entry[entry.index(after: close)...])
            }
            if let hostIP {
                let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
                guard let network = parts.first.flatMap(IPAddress.init) else { continue }
                let bits = parts.count == 2 ? Int(parts[1]) : nil
                if parts.count == 2, bits == nil { continue }
                if hostIP.matches(network, prefix: bits) { return true }
                continue
            }
            while entry.hasPrefix(".") { entry.removeFirst() }
            if entry.hasSuffix(".") { entry.removeLast() }
            if entry.isEmpty { continue }
            if host == entry || host.hasSuffix("." + entry) { return true }
        }
        return false
    }
}

/// An IPv4 or IPv6 address as bytes, for `NO_PROXY` ranges.
struct IPAddress {
    let bytes: [UInt8]

    init?(_ text: String) {
        guard let bytes = Sys.ipAddressBytes(text) else { return nil }
        self.bytes = bytes
    }

    /// Equal, or equal in the first `prefix` bits.
    func matches(_ network: IPAddress, prefix: Int?) -> Bool {
        guard bytes.count == network.bytes.count else { return false }
        let bits = min(prefix ?? bytes.count * 8, bytes.count * 8)
        guard bits >= 0 else { return false }
        for i in 0..<(bits / 8) where bytes[i] != network.bytes[i] { return false }
        let rest = bits % 8
        if rest > 0 {
            let mask = UInt8(0xFF) << (8 - rest)
            if bytes[bits / 8] & mask != network.bytes[bits / 8] & mask { return false }
        }
        return true
    }
}
