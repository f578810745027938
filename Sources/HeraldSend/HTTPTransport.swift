import AsyncHTTPClient
import Foundation
import HeraldCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The real transport: async-http-client with keep-alive, a deadline per attempt, an HTTP
/// CONNECT proxy per relay host (or none), and the system's trusted roots plus any added ones.
public final class HTTPTransport: RelayTransport {
    /// Where one platform's requests go, parsed once (a tenth of a request's CPU).
    private struct Route: Sendable {
        var template: HTTPClient.Request
        var client: HTTPClient
        /// `host:port` of the relay, its bare host name (what a certificate names), and the
        /// proxy's `host:port` when there is one, for errors.
        var host: String
        var name: String
        var proxy: String?
    }

    private let routes: [Platform: Result<Route, TransportError>]
    private let clients: [HTTPClient]
    private let timeout: Double

    /// `urls`: the relay URL per platform. `connections`: kept-alive connections per host, one
    /// per request in flight (`--concurrency`).
    public init(urls: [Platform: String], timeout: Double, connections: Int = 8,
                proxy: ProxySettings = .none, tls: TLSSettings = .system) {
        self.timeout = timeout
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "User-Agent", value: "herald/\(HeraldVersion.current)")
        let connect = TimeAmount.milliseconds(Self.milliseconds(timeout))

        // One client per proxy choice: NO_PROXY may send one platform's relay direct and the
        // other's through the proxy.
        var clientsByProxy: [ProxySettings.Proxy?: HTTPClient] = [:]
        func client(for proxy: ProxySettings.Proxy?) -> HTTPClient {
            if let existing = clientsByProxy[proxy] { return existing }
            // No read timeout: the per-request deadline bounds the whole attempt, and a read
            // timer re-armed on every request was 6% of the event loop's work.
            var configuration = HTTPClient.Configuration(timeout: .init(connect: connect))
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, connections)
            // A failed connect fails its requests at once, so the runner decides: retry with
            // backoff, or stop for good (an untrusted certificate). Otherwise the client would
            // retry the handshake silently until the deadline.
            configuration.connectionPool.retryConnectionEstablishment = false
            // A relay answers; it never redirects. Following would turn the POST into a bodyless
            // GET whose answer counts as delivered (301/302/303), or re-post the robot's key and
            // sk to whatever host the Location names (307/308). A 3xx is a final failure.
            configuration.redirectConfiguration = .disallow
            // No tracing: nothing here reads spans, and building one cost a tenth of a request's CPU.
            configuration.tracing.tracer = nil
            if !tls.additionalRoots.isEmpty {
                var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
                tlsConfiguration.additionalTrustRoots = [.certificates(tls.additionalRoots)]
                configuration.tlsConfiguration = tlsConfiguration
            }
            if let proxy {
                let authorization = proxy.username.map { HTTPClient.Authorization.basic(username: $0, password: proxy.password ?? "") }
                configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
            }
            let made = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clientsByProxy[proxy] = made
            return made
        }

        var routes: [Platform: Result<Route, TransportError>] = [:]
        for (platform, url) in urls {
            let chosen = proxy.proxy(for: url)
            do {
                let template = try HTTPClient.Request(url: url, method: .POST, headers: headers)
                let port = template.port
                let host = template.host.contains(":") ? "[\(template.host)]:\(port)" : "\(template.host):\(port)"
                routes[platform] = .success(Route(template: template, client: client(for: chosen), host: host, name: template.host,
                                                  proxy: chosen?.display))
            } catch {
                routes[platform] = .failure(.badEndpoint("the \(platform.rawValue) relay endpoint is not an http(s) URL herald can request"))
            }
        }
        self.routes = routes
        self.clients = Array(clientsByProxy.values)
    }

    /// The future-based API: per request it costs a fraction of the async one (no body
    /// stream), which shows at a thousand requests.
    public func post(body: [UInt8], platform: Platform) async throws(TransportError) -> RelayResponse {
        guard let route = routes[platform] else { throw .badEndpoint("no relay endpoint for \(platform.rawValue) robots") }
        let r = try route.get()
        var request = r.template
        request.body = .bytes(body)
        let collector = AnswerCollector(limit: RelayResponse.maxBodyBytes)
        do {
            // The deadline bounds the whole attempt: connect, send, and the answer.
            let deadline = NIODeadline.now() + .milliseconds(Self.milliseconds(timeout))
            return try await r.client.execute(request: request, delegate: collector, deadline: deadline).futureResult.get()
        } catch {
            let progress = collector.progress
            if error is AnswerCollector.TooLarge {
                let status = progress.status ?? 0
                if (200..<300).contains(status) {
                    throw .answerLost("HTTP \(status) with an answer over \(RelayResponse.maxBodyBytes / 1024) KiB, read no further")
                }
                throw .answerTooLarge(status: status)
            }
            let classified = Self.classify(error, host: r.host, name: r.name, proxy: r.proxy)
            // Once the whole request went out, the relay may have delivered it: a lost answer
            // is uncertain, never retried. Before that, retrying is safe.
            if progress.sent, !classified.isFinal { throw .answerLost(Self.lostReason(classified)) }
            throw classified
        }
    }

    /// Seconds as whole milliseconds, within 1 ms … one day (a library caller's NaN or
    /// infinity must not trap the conversion; the CLI checks its own range).
    static func milliseconds(_ seconds: Double) -> Int64 {
        guard seconds.isFinite else { return 86_400_000 }
        return Int64(min(86_400, max(0.001, seconds)) * 1000)
    }

    /// What happened to an answer, short, for `answerLost`.
    static func lostReason(_ error: TransportError) -> String {
        switch error {
        case .timedOut: return "no answer within --timeout"
        case .closedWithoutAnswer: return "the connection closed before the whole answer came"
        default: return error.description
        }
    }

    public func shutdown() async {
        for client in clients { try? await client.shutdown() }
    }

    /// Maps the client's, NIO's and BoringSSL's error types onto `TransportError`.
    static func classify(_ error: any Error, host: String, name: String, proxy: String?) -> TransportError {
        switch error {
        case let e as HTTPClientError:
            switch e {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout: return .timedOut
            case .connectTimeout: return .connectTimedOut(host: proxy ?? host)
            case .httpProxyHandshakeTimeout: return .connectTimedOut(host: proxy ?? host)
            case .tlsHandshakeTimeout: return .tls(host: name, reason: "the handshake timed out")
            case .remoteConnectionClosed: return .closedWithoutAnswer
            case .invalidProxyResponse: return .proxyRefusedTunnel(proxy: proxy ?? "?", target: host)
            case .proxyAuthenticationRequired: return .proxyNeedsCredentials(proxy: proxy ?? "?")
            case .cancelled: return .other("cancelled")
            default: return .other(cleaned(e.description))
            }
        case let e as NIOConnectionError:
            let target = proxy ?? host
            if let dns = e.dnsAError ?? e.dnsAAAAError {
                let reason = "cannot resolve \(e.host): \(cleaned(String(describing: dns)))"
                return proxy != nil ? .proxyUnreachable(proxy: target, reason: reason) : .unreachable(host: target, reason: reason)
            }
            let io = e.connectionErrors.lazy.compactMap { $0.error as? IOError }.first
            if let io, io.errnoCode == Sys.connectionRefused {
                return proxy != nil ? .proxyUnreachable(proxy: target, reason: "connection refused") : .refused(host: target)
            }
            let reason = io.map { Sys.describe(errno: $0.errnoCode) } ?? "no address answered"
            return proxy != nil ? .proxyUnreachable(proxy: target, reason: reason) : .unreachable(host: target, reason: reason)
        case let e as IOError:
            if e.errnoCode == Sys.connectionRefused { return proxy.map { .proxyUnreachable(proxy: $0, reason: "connection refused") } ?? .refused(host: host) }
            if Sys.isConnectionLost(e.errnoCode) { return .closedWithoutAnswer }
            return .other(Sys.describe(errno: e.errnoCode))
        case let e as ChannelError:
            switch e {
            case .connectTimeout: return .connectTimedOut(host: proxy ?? host)
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed, .inputClosed: return .closedWithoutAnswer
            default: return .other(cleaned(String(describing: e)))
            }
        case let e as NIOSSLError:
            switch e {
            case .handshakeFailed(let inner):
                let reasons = boringSSLReasons(inner)
                if reasons.contains("CERTIFICATE_VERIFY_FAILED") {
                    return .certificateNotTrusted(host: name, reason: "CERTIFICATE_VERIFY_FAILED")
                }
                return .tls(host: name, reason: reasons.isEmpty ? "\(inner)".components(separatedBy: "(").first ?? "unknown" : reasons.joined(separator: ", "))
            case .uncleanShutdown: return .closedWithoutAnswer
            default: return .tls(host: name, reason: cleaned(String(describing: e)))
            }
        case let e as NIOSSLExtraError:
            if e == .failedToValidateHostname || e == .serverHostnameImpossibleToMatch { return .certificateNameMismatch(host: name) }
            return .tls(host: name, reason: cleaned(String(describing: e)))
        case is CancellationError:
            return .other("cancelled")
        default:
            return .other(cleaned(String(describing: error)))
        }
    }

    /// The reason names of a BoringSSL error stack (`CERTIFICATE_VERIFY_FAILED`, …). NIOSSL
    /// keeps the packed codes private; its text is ERR_error_string's fixed form
    /// `error:<hex>:<library>:<function>:<REASON>`, followed by the source path we must not show.
    static func boringSSLReasons(_ error: BoringSSLError) -> [String] {
        let stack: [BoringSSLInternalError]
        switch error {
        case .sslError(let s), .unknownError(let s), .invalidSNIName(let s), .failedToSetALPN(let s): stack = s
        default: return []
        }
        return stack.compactMap { entry in
            let text = entry.description
            guard let start = text.range(of: "error:") else { return nil }
            let fields = text[start.upperBound...].split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
            guard fields.count >= 4 else { return nil }
            let reason = fields[3].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            return reason.isEmpty ? nil : String(reason)
        }
    }

    /// Drops source locations (` at /path/file.cc:123`) from a library's error text.
    static func cleaned(_ text: String) -> String {
        text.replacingOccurrences(of: #" at /[^\s\]\)]*:[0-9]+"#, with: "", options: .regularExpression)
    }
}

extension HTTPTransport {
    /// `{endpoint}?access_token={token}`, the token percent-encoded for a query value.
    public static func url(endpoint: String, token: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = token.addingPercentEncoding(withAllowedCharacters: allowed) ?? token
        return endpoint + (endpoint.contains("?") ? "&" : "?") + "access_token=" + encoded
    }
}
