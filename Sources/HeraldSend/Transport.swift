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
    /// Every request of a run goes to its platform's relay URL: parse each once (a tenth of a request's CPU).
    private let templates: [Platform: Result<HTTPClient.Request, any Error>]

    /// `urls`: the relay URL per platform. `connections`: kept-alive connections per host; one
    /// per lane sent to at once (the relay is one host).
    init(urls: [Platform: String], timeout: Double, connections: Int = 8) {
        self.timeout = timeout
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "User-Agent", value: "herald/\(HeraldVersion.current)")
        templates = urls.mapValues { url in Result { try HTTPClient.Request(url: url, method: .POST, headers: headers) } }
        let t = TimeAmount.milliseconds(Int64(max(0.001, timeout) * 1000))
        // No read timeout: the per-request deadline bounds the whole attempt, and a read timer
        // re-armed on every request was 6% of the event loop's work.
        var configuration = HTTPClient.Configuration(timeout: .init(connect: t))
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, connections)
        // No tracing: nothing here reads spans, and building one cost a tenth of a request's CPU.
        configuration.tracing.tracer = nil
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// POSTs the exact body; throws on transport failures and timeouts.
    /// The future-based API: per request it costs a fraction of the async one (no body
    /// stream), which shows at a thousand requests.
    func post(body: [UInt8], platform: Platform = .wecom) async throws -> Response {
        guard let template = templates[platform] else { throw HTTPClientError.invalidURL }
        var request = try template.get()
        request.body = .bytes(body)
        // The deadline bounds the whole attempt: connect, send, and the answer.
        let response = try await client.execute(request: request, deadline: .now() + .milliseconds(Int64(max(0.001, timeout) * 1000))).get()
        return Response(status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"),
                        body: response.body.map { Array($0.readableBytesView) } ?? [])
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
