import Logging
import PostgresNIO
import HeraldTemplate

/// LISTEN herald_work on a connection of the store's pool, calling every registered `wake` on
/// each notification (an accept, a retry, a requeue anywhere). The connection lost — the server
/// restarted — it listens again a second later, and wakes once then, since notifications sent
/// in between were missed.
final class PostgresWorkListener: Sendable {
    static let channel = "herald_work"

    private let session: PostgresSession
    private let wakes = Locked<[@Sendable () -> Void]>([])
    private let task = Locked<Task<Void, Never>?>(nil)
    /// Resumed the first time LISTEN is active.
    private let listening = Locked<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    init(session: PostgresSession) {
        self.session = session
    }

    /// Adds `wake`; starts listening on the first call. Returns once LISTEN is active, or after
    /// the store's timeout when the database does not answer (it keeps trying meanwhile).
    func watch(_ wake: @escaping @Sendable () -> Void) async {
        wakes.withLock { $0.append(wake) }
        task.withLock { task in
            guard task == nil, !session.isClosed else { return }
            task = Task { [self] in await listenForever() }
        }
        _ = try? await PostgresDeadline.run(seconds: session.timeout) { await self.untilListening() }
    }

    func stop() {
        task.withLock { $0?.cancel(); $0 = nil }
        markListening()
    }

    private func ring() {
        for wake in wakes.withLock({ $0 }) { wake() }
    }

    private func listenForever() async {
        var again = false
        while !Task.isCancelled && !session.isClosed {
            do {
                try await session.client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        self.markListening()
                        if again { self.ring() }
                        for try await _ in notifications { self.ring() }
                    }
                }
            } catch {
                if Task.isCancelled || session.isClosed { return }
                session.logger.debug("LISTEN \(Self.channel) lost: \(session.storeError(error).message)")
            }
            again = true
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func markListening() {
        let waiters = listening.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func untilListening() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = listening.withLock { state -> Bool in
                if !state.done { state.waiters.append(continuation) }
                return state.done
            }
            if done { continuation.resume() }
        }
    }
}
