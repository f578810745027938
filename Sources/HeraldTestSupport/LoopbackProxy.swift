import HeraldSend
import HeraldTemplate
import Foundation
import NIOCore
import NIOPosix

/// An HTTP CONNECT proxy on 127.0.0.1 for tests: it records every CONNECT (target and
/// `Proxy-Authorization`), and tunnels bytes to 127.0.0.1 only — or refuses, or asks for
/// credentials, as its policy says.
public final class LoopbackProxy: Sendable {
    public enum Policy: Sendable {
        /// Opens every tunnel.
        case open
        /// Answers every CONNECT with 403.
        case refuse
        /// Opens a tunnel only with `Proxy-Authorization: Basic base64(user:password)`, else 407.
        case credentials(user: String, password: String)
    }

    public struct Connect: Sendable {
        /// `host:port` asked for.
        public var target: String
        public var proxyAuthorization: String?
        /// Whether the tunnel was opened.
        public var opened: Bool
    }

    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let policy: Policy
    private let listener = Locked<(channel: Channel?, port: Int)>((nil, 0))
    private let log = ConnectLog()

    /// What the proxy saw, shared with its connection handlers.
    final class ConnectLog: Sendable {
        private let entries = Locked<[Connect]>([])
        func append(_ connect: Connect) { entries.withLock { $0.append(connect) } }
        var all: [Connect] { entries.withLock { $0 } }
    }

    public init(policy: Policy = .open) {
        self.policy = policy
    }

    public var port: Int { listener.withLock { $0.port } }
    /// `http://127.0.0.1:PORT`, or with the given credentials in it.
    public func url(user: String? = nil, password: String? = nil) -> String {
        guard let user else { return "http://127.0.0.1:\(port)" }
        return "http://\(user)\(password.map { ":" + $0 } ?? "")@127.0.0.1:\(port)"
    }

    /// What passed through, in order.
    public var connects: [Connect] { log.all }

    public func start() async throws {
        let policy = self.policy
        let log = self.log
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ConnectHandler(policy: policy, log: log))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        listener.withLock { $0 = (channel, channel.localAddress?.port ?? 0) }
    }

    public func stop() async {
        try? await listener.withLock({ $0.channel })?.close().get()
        try? await group.shutdownGracefully()
    }
}

/// Reads the CONNECT head, answers it, then relays bytes both ways.
private final class ConnectHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let policy: LoopbackProxy.Policy
    private let log: LoopbackProxy.ConnectLog
    private var head: [UInt8] = []
    private var peer: Channel?
    private var pending: [ByteBuffer] = []
    private var connecting = false

    init(policy: LoopbackProxy.Policy, log: LoopbackProxy.ConnectLog) {
        self.policy = policy
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if let peer {
            peer.writeAndFlush(buffer, promise: nil)
            return
        }
        if connecting {
            pending.append(buffer)
            return
        }
        head += buffer.readBytes(length: buffer.readableBytes) ?? []
        guard let end = head.firstRange(of: Array("\r\n\r\n".utf8)) else { return }
        let text = String(decoding: head[..<end.lowerBound], as: UTF8.self)
        let rest = Array(head[end.upperBound...])
        let lines = text.components(separatedBy: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        let authorization = lines.dropFirst().first { $0.lowercased().hasPrefix("proxy-authorization:") }
            .map { String($0.drop { $0 != ":" }.dropFirst()).trimmingCharacters(in: .whitespaces) }
        guard requestLine.count >= 2, requestLine[0] == "CONNECT" else {
            reply(context, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", close: true)
            return
        }
        let target = String(requestLine[1])
        let (host, port) = Self.split(target)
        var allowed: Bool
        var refusal = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        switch policy {
        case .open: allowed = true
        case .refuse: allowed = false
        case .credentials(let user, let password):
            allowed = authorization == "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
            if !allowed {
                refusal = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            }
        }
        // Loopback only: a test must never reach out through this proxy.
        if host != "127.0.0.1" && host != "localhost" { allowed = false }
        log.append(.init(target: target, proxyAuthorization: authorization, opened: allowed))
        guard allowed, let port else {
            reply(context, refusal, close: true)
            return
        }
        connecting = true
        if !rest.isEmpty { pending.append(context.channel.allocator.buffer(bytes: rest)) }
        let front = context.channel
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        ClientBootstrap(group: context.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RelayBack(front: front))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .whenComplete { result in
                let (handler, context) = loopBound.value
                switch result {
                case .success(let back):
                    handler.peer = back
                    handler.connecting = false
                    handler.reply(context, "HTTP/1.1 200 Connection Established\r\n\r\n", close: false)
                    for buffer in handler.pending { back.write(buffer, promise: nil) }
                    handler.pending.removeAll()
                    back.flush()
                case .failure:
                    handler.reply(context, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", close: true)
                }
            }
    }

    func channelInactive(context: ChannelHandlerContext) {
        peer?.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func reply(_ context: ChannelHandlerContext, _ text: String, close: Bool) {
        let buffer = context.channel.allocator.buffer(string: text)
        if close {
            context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
    }

    static func split(_ target: String) -> (String, Int?) {
        guard let colon = target.lastIndex(of: ":") else { return (target, nil) }
        var host = String(target[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, Int(target[target.index(after: colon)...]))
    }
}

/// The tunnel's far side: bytes from the target go back to the client.
private final class RelayBack: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let front: Channel

    init(front: Channel) { self.front = front }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        front.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        front.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
