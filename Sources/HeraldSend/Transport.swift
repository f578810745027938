import Foundation
import HeraldCore

/// The runner's only view of HTTP: one POST of exact bytes to a platform's relay. The real one
/// is `HTTPTransport` (async-http-client); tests use an in-memory one (HeraldTestSupport), so
/// retries, pacing, order and interruption run on the virtual clock without sockets.
public protocol RelayTransport: Sendable {
    /// POSTs `body` to the relay of `platform`; an answer of any HTTP status is returned,
    /// a failure to get one is thrown.
    func post(body: [UInt8], platform: Platform) async throws(TransportError) -> RelayResponse
    func shutdown() async
}

public struct RelayResponse: Sendable {
    public var status: Int
    public var retryAfter: String?
    public var body: [UInt8]
    /// A 3xx answer's `Location` (never followed: shown as its host only).
    public var location: String?

    /// The most of an answer's body that is read: a relay answer is a few hundred bytes, and
    /// an answer that never ends must not grow the process.
    public static let maxBodyBytes = 64 * 1024

    public init(status: Int, retryAfter: String? = nil, body: [UInt8], location: String? = nil) {
        self.status = status
        self.retryAfter = retryAfter
        self.body = body
        self.location = location
    }
}

/// Why no answer came, by kind: the runner retries all but the final ones. Descriptions name
/// hosts and proxies as `host:port`, never a token, key or password, and no source path.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The attempt's deadline (`--timeout`) passed before the answer.
    case timedOut
    case connectTimedOut(host: String)
    case closedWithoutAnswer
    case refused(host: String)
    case unreachable(host: String, reason: String)
    case proxyUnreachable(proxy: String, reason: String)
    /// The proxy answered CONNECT with something other than 2xx.
    case proxyRefusedTunnel(proxy: String, target: String)
    case proxyNeedsCredentials(proxy: String)
    /// The relay's certificate does not chain to a trusted root: final, retrying cannot help.
    case certificateNotTrusted(host: String, reason: String)
    /// The certificate is valid but for other names: final.
    case certificateNameMismatch(host: String)
    case tls(host: String, reason: String)
    /// The relay endpoint cannot be requested at all (not an http(s) URL): final.
    case badEndpoint(String)
    /// The whole request went out, but no complete answer came back (the deadline passed, the
    /// connection closed, the answer was cut or over `RelayResponse.maxBodyBytes`): the relay
    /// may have delivered it. Never retried (that would risk a silent duplicate): uncertain.
    case answerLost(String)
    /// A non-2xx answer whose body is over `RelayResponse.maxBodyBytes`: final.
    case answerTooLarge(status: Int)
    case other(String)

    /// Not retried: the same request would fail the same way.
    public var isFinal: Bool {
        switch self {
        case .certificateNotTrusted, .certificateNameMismatch, .badEndpoint, .answerTooLarge: return true
        default: return false
        }
    }

    /// Not retried either, and not a failure: the relay may have delivered the request.
    public var isUncertain: Bool {
        if case .answerLost = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .timedOut: return "timed out waiting for the answer"
        case .connectTimedOut(let host): return "timed out connecting to \(host)"
        case .closedWithoutAnswer: return "connection closed without an answer"
        case .refused(let host): return "connection refused by \(host)"
        case .unreachable(let host, let reason): return "cannot reach \(host) (\(reason))"
        case .proxyUnreachable(let proxy, let reason): return "cannot reach the proxy \(proxy) (\(reason))"
        case .proxyRefusedTunnel(let proxy, let target):
            return "the proxy \(proxy) refused to open a tunnel to \(target) (its answer to CONNECT was not 2xx)"
        case .proxyNeedsCredentials(let proxy):
            return "the proxy \(proxy) asks for credentials (407); give them in the proxy URL: http://user:password@host:port"
        case .certificateNotTrusted(let host, let reason):
            return "TLS: the certificate of \(host) is not trusted (\(reason)); for a company CA set SSL_CERT_FILE or --cacert"
        case .certificateNameMismatch(let host):
            return "TLS: the certificate presented by \(host) is for other names; check the endpoint (a proxy that inspects TLS needs its CA in SSL_CERT_FILE or --cacert)"
        case .tls(let host, let reason): return "TLS: the handshake with \(host) failed (\(reason))"
        case .badEndpoint(let why): return why
        case .answerLost(let why): return "the request was sent but its answer was lost (\(why)); it may have been delivered"
        case .answerTooLarge(let status):
            return "HTTP \(status) with an answer over \(RelayResponse.maxBodyBytes / 1024) KiB (read no further)"
        case .other(let text): return "transport error: \(text)"
        }
    }
}
