/// A server a test starts on 127.0.0.1 and stops when done (relay, proxy).
public protocol LoopbackServer: Sendable {
    func start() async throws
    func stop() async
}

extension LoopbackRelay: LoopbackServer {}
extension LoopbackProxy: LoopbackServer {}

/// Starts `server`, runs `body` with it, and stops it however `body` ends.
public func withStarted<S: LoopbackServer, T>(_ server: S, _ body: (S) async throws -> T) async throws -> T {
    try await server.start()
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
