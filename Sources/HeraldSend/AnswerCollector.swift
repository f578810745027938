import AsyncHTTPClient
import HeraldTemplate
import NIOCore
import NIOHTTP1

/// Collects one relay answer for async-http-client, bounded: a body over `limit` bytes fails
/// the request at once (read no further), so an answer that never ends cannot grow the process.
/// It also notes whether the whole request went out and whether an answer head came back, so
/// a failure can be told apart: before the body was sent (safe to retry) or after (the relay
/// may have delivered it: uncertain).
final class AnswerCollector: HTTPClientResponseDelegate {
    typealias Response = RelayResponse

    struct TooLarge: Error {}

    struct Progress: Sendable {
        var sent = false
        var status: Int?
    }

    private struct State {
        var progress = Progress()
        var retryAfter: String?
        var location: String?
        var body: [UInt8] = []
    }

    private let limit: Int
    private let state = Locked(State())

    init(limit: Int) { self.limit = limit }

    /// What had happened by the time the request ended (read after it failed).
    var progress: Progress { state.withLock { $0.progress } }

    func didSendRequest(task: HTTPClient.Task<RelayResponse>) {
        state.withLock { $0.progress.sent = true }
    }

    func didReceiveHead(task: HTTPClient.Task<RelayResponse>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        state.withLock {
            $0.progress.status = Int(head.status.code)
            $0.retryAfter = head.headers.first(name: "Retry-After")
            $0.location = head.headers.first(name: "Location")
            // An answer head means the request arrived, even if its last bytes were still going out.
            $0.progress.sent = true
        }
        if let length = head.headers.first(name: "Content-Length").flatMap(Int.init), length > limit {
            return task.eventLoop.makeFailedFuture(TooLarge())
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<RelayResponse>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let fits: Bool = state.withLock { state in
            guard state.body.count + buffer.readableBytes <= limit else { return false }
            state.body.append(contentsOf: buffer.readableBytesView)
            return true
        }
        return fits ? task.eventLoop.makeSucceededVoidFuture() : task.eventLoop.makeFailedFuture(TooLarge())
    }

    func didFinishRequest(task: HTTPClient.Task<RelayResponse>) throws -> RelayResponse {
        state.withLock { state in
            RelayResponse(status: state.progress.status ?? 0, retryAfter: state.retryAfter, body: state.body, location: state.location)
        }
    }
}
