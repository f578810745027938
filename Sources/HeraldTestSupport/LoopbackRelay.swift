import HeraldSend
import HeraldTemplate
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// An in-process HTTP/1.1 server on 127.0.0.1 that stands in for the KDocs relay in tests
/// and benchmarks: it records every request exactly, counts requests in flight, and
/// answers as a script says (respond, respond late, or close without answering).
/// With `tls`, it speaks HTTPS with that certificate.
public final class LoopbackRelay: Sendable {
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
        /// The path the request was sent to (`…/notification/wecom` or `…/dingtalk`), without the query.
        public var path: String { String(uri.prefix { $0 != "?" }) }
        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
        public var link: String? { json?["link"] as? String }
        public var messages: [[String: Any]] { json?["data"] as? [[String: Any]] ?? [] }
    }

    public enum Behavior: Sendable {
        case respond(status: Int, headers: [(String, String)], body: String)
        case respondAfter(seconds: Double, status: Int, headers: [(String, String)], body: String)
        /// Answers once `ready()` holds (looked at every 10 ms), or after `limit` seconds: a
        /// request held until the test has done something, however slowly the test runs.
        case respondWhen(ready: @Sendable () -> Bool, limit: Double, status: Int, body: String)
        case close
        /// The head (claiming `claimed` bytes), then only the body's first bytes, then the
        /// connection closes: an answer cut short.
        case cut(status: Int, body: String, claimed: Int)
        /// A head without Content-Length, then body chunks until the client goes away (at most
        /// `limit` bytes, so a test that goes wrong still ends).
        case endless(status: Int, limit: Int)

        public static let accept = Behavior.respond(status: 200, headers: [("Content-Type", "application/json")], body: #"{"code":0,"data":{}}"#)

        public static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Behavior {
            .respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
        }
    }

    /// Chooses the answer: the request, and how many times this exact body has arrived (1 = first).
    public typealias Script = @Sendable (RecordedRequest, Int) -> Behavior

    private let group: MultiThreadedEventLoopGroup
    /// The listening channel and its port, once started.
    private let listener = Locked<(channel: Channel?, port: Int)>((nil, 0))
    private let state = State()
    private let script: Script
    private let tls: TestCertificates.Identity?

    public init(threads: Int = 1, tls: TestCertificates.Identity? = nil, script: @escaping Script = { _, _ in .accept }) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        self.tls = tls
        self.script = script
    }

    public var port: Int { listener.withLock { $0.port } }

    /// The endpoint to give herald: `http(s)://127.0.0.1:PORT/api/v1/openapi/notification/wecom`.
    public var endpoint: String { "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)/api/v1/openapi/notification/wecom" }

    public func start() async throws { try await start(port: 0) }

    /// Listens on `port` (0: one the system picks; a port it had before, after `closeListener`).
    public func start(port: Int) async throws {
        let state = self.state
        let script = self.script
        let sslContext = try tls?.serverContext()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RelayHandler(state: state, script: script))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
        listener.withLock { $0 = (channel, channel.localAddress?.port ?? 0) }
    }

    /// Stops listening (new connections are refused) but keeps what was recorded; `start(port:)` listens again.
    public func closeListener() async {
        try? await listener.withLock({ $0.channel })?.close().get()
    }

    public func stop() async {
        try? await listener.withLock({ $0.channel })?.close().get()
        try? await group.shutdownGracefully()
    }

    public var requests: [RecordedRequest] { state.snapshot().requests }
    public var maxInFlight: Int { state.snapshot().maxInFlight }

    final class State: Sendable {
        private let log = Locked(ArrivalLog<RecordedRequest>())

        func arrived(method: String, uri: String, headers: [(String, String)], body: [UInt8]) -> (RecordedRequest, Int) {
            log.withLock { log in
                log.arrive(body: body) { RecordedRequest(method: method, uri: uri, headers: headers, body: body, order: $0, arrival: Date()) }
            }
        }

        func finished() {
            log.withLock { $0.finish() }
        }

        func snapshot() -> (requests: [RecordedRequest], maxInFlight: Int) {
            log.withLock { ($0.items, $0.maxInFlight) }
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
            case let .cut(status, text, claimed):
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: String(claimed))
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers))), promise: nil)
                var buffer = context.channel.allocator.buffer(capacity: text.utf8.count)
                buffer.writeString(text)
                let state = self.state
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer)))).whenComplete { _ in state.finished() }
                context.close(promise: nil)
            case let .endless(status, limit):
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/json")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers))), promise: nil)
                writeForever(context: context, written: 0, limit: limit)
            case let .respondWhen(ready, limit, status, text):
                respondWhen(ready, until: NIODeadline.now() + .milliseconds(Int64(limit * 1000)), context: context,
                            status: status, body: text, keepAlive: keepAlive)
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

    private func respondWhen(_ ready: @escaping @Sendable () -> Bool, until deadline: NIODeadline, context: ChannelHandlerContext,
                             status: Int, body text: String, keepAlive: Bool) {
        guard context.channel.isActive else { state.finished(); return }
        if ready() || NIODeadline.now() >= deadline {
            respond(context: context, status: status, headers: [("Content-Type", "application/json")], body: text, keepAlive: keepAlive)
            return
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: .milliseconds(10)) {
            let (handler, context) = loopBound.value
            handler.respondWhen(ready, until: deadline, context: context, status: status, body: text, keepAlive: keepAlive)
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

    private func writeForever(context: ChannelHandlerContext, written: Int, limit: Int) {
        guard context.channel.isActive, written < limit else {
            state.finished()
            context.close(promise: nil)
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: 16_384)
        buffer.writeRepeatingByte(UInt8(ascii: " "), count: 16_384)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer)))).whenComplete { result in
            let (handler, context) = loopBound.value
            if case .failure = result { handler.state.finished(); return }
            handler.writeForever(context: context, written: written + 16_384, limit: limit)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        context.fireChannelInactive()
    }
}
