import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// An in-process HTTP/1.1 server on 127.0.0.1 that stands in for the KDocs relay in tests
/// and benchmarks: it records every request exactly, counts requests in flight, and
/// answers as a script says (respond, respond late, or close without answering).
public final class LoopbackRelay: @unchecked Sendable {
    public struct RecordedRequest: Sendable {
        public var method: String
        public var uri: String
        public var headers: [(String, String)]
        public var body: [UInt8]
        /// 0-based arrival order (when the whole request had arrived).
        public var order: Int
        public var arrival: Date

        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        /// The body's `link` and `data` (JSON), for assertions.
        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
        public var link: String? { json?["link"] as? String }
        public var messages: [[String: Any]] { json?["data"] as? [[String: Any]] ?? [] }
    }

    public enum Behavior: Sendable {
        case respond(status: Int, headers: [(String, String)], body: String)
        case respondAfter(seconds: Double, status: Int, headers: [(String, String)], body: String)
        case close

        public static let accept = Behavior.respond(status: 200, headers: [("Content-Type", "application/json")], body: #"{"code":0,"data":{}}"#)

        public static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Behavior {
            .respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
        }
    }

    /// Chooses the answer: the request, and how many times this exact body has arrived (1 = first).
    public typealias Script = @Sendable (RecordedRequest, Int) -> Behavior

    private let group: MultiThreadedEventLoopGroup
    private var channel: Channel?
    private let state = State()
    private let script: Script
    public private(set) var port: Int = 0

    public init(threads: Int = 1, script: @escaping Script = { _, _ in .accept }) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        self.script = script
    }

    /// The endpoint to give herald: `http://127.0.0.1:PORT/api/v1/openapi/notification/wecom`.
    public var endpoint: String { "http://127.0.0.1:\(port)/api/v1/openapi/notification/wecom" }

    public func start() async throws {
        let state = self.state
        let script = self.script
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RelayHandler(state: state, script: script))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        self.channel = channel
        port = channel.localAddress?.port ?? 0
    }

    public func stop() async {
        try? await channel?.close().get()
        try? await group.shutdownGracefully()
    }

    public var requests: [RecordedRequest] { state.snapshot().requests }
    public var maxInFlight: Int { state.snapshot().maxInFlight }

    final class State: @unchecked Sendable {
        private let lock = NSLock()
        private var requests: [RecordedRequest] = []
        private var seen: [[UInt8]: Int] = [:]
        private var inFlight = 0
        private var maxInFlight = 0

        func arrived(method: String, uri: String, headers: [(String, String)], body: [UInt8]) -> (RecordedRequest, Int) {
            lock.lock()
            defer { lock.unlock() }
            let request = RecordedRequest(method: method, uri: uri, headers: headers, body: body, order: requests.count, arrival: Date())
            requests.append(request)
            seen[body, default: 0] += 1
            inFlight += 1
            maxInFlight = max(maxInFlight, inFlight)
            return (request, seen[body] ?? 1)
        }

        func finished() {
            lock.lock()
            inFlight -= 1
            lock.unlock()
        }

        func snapshot() -> (requests: [RecordedRequest], maxInFlight: Int) {
            lock.lock()
            defer { lock.unlock() }
            return (requests, maxInFlight)
        }
    }
}

private final class RelayHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: LoopbackRelay.State
    private let script: LoopbackRelay.Script
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(state: LoopbackRelay.State, script: @escaping LoopbackRelay.Script) {
        self.state = state
        self.script = script
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body.removeAll(keepingCapacity: true)
        case .body(var buffer):
            body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .end:
            guard let head else { return }
            let headers = head.headers.map { ($0.name, $0.value) }
            let (request, attempt) = state.arrived(method: head.method.rawValue, uri: head.uri, headers: headers, body: body)
            let keepAlive = head.isKeepAlive
            switch script(request, attempt) {
            case .close:
                state.finished()
                context.close(promise: nil)
            case let .respond(status, headers, text):
                respond(context: context, status: status, headers: headers, body: text, keepAlive: keepAlive)
            case let .respondAfter(seconds, status, headers, text):
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
                    let (handler, context) = loopBound.value
                    guard context.channel.isActive else { handler.state.finished(); return }
                    handler.respond(context: context, status: status, headers: headers, body: text, keepAlive: keepAlive)
                }
            }
        }
    }

    private func respond(context: ChannelHandlerContext, status: Int, headers: [(String, String)], body text: String, keepAlive: Bool) {
        var responseHeaders = HTTPHeaders(headers)
        responseHeaders.replaceOrAdd(name: "Content-Length", value: String(text.utf8.count))
        if !keepAlive { responseHeaders.replaceOrAdd(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: responseHeaders)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let state = self.state
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in state.finished() }
        if !keepAlive { context.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        context.fireChannelInactive()
    }
}
