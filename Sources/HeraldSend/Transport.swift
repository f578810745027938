import AsyncHTTPClient
import Foundation
import HeraldCore
import NIOCore
import NIOHTTP1

/// One shared HTTP client for a run: keep-alive, connect and read timeouts.
final class Transport: Sendable {
    struct Response: Sendable {
        var status: Int
        var retryAfter: String?
        var body: [UInt8]
    }

    private let client: HTTPClient
    private let timeout: Double

    /// `connections`: kept-alive connections per host; one per lane sent to at once (the relay is one host).
    init(timeout: Double, connections: Int = 8) {
        self.timeout = timeout
        let t = TimeAmount.milliseconds(Int64(max(0.001, timeout) * 1000))
        var configuration = HTTPClient.Configuration(timeout: .init(connect: t, read: t))
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, connections)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// POSTs the exact body; throws on transport failures and timeouts.
    func post(_ url: String, body: [UInt8]) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "herald/\(HeraldVersion.current)")
        request.body = .bytes(ByteBuffer(bytes: body))
        // The deadline bounds the whole attempt: connect, send, and the answer.
        let response = try await client.execute(request, timeout: .milliseconds(Int64(max(0.001, timeout) * 1000)))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        return Response(status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"),
                        body: Array(bytes.readableBytesView))
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// `{endpoint}?access_token={token}`, the token percent-encoded for a query value.
    static func url(endpoint: String, token: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = token.addingPercentEncoding(withAllowedCharacters: allowed) ?? token
        return endpoint + (endpoint.contains("?") ? "&" : "?") + "access_token=" + encoded
    }
}
