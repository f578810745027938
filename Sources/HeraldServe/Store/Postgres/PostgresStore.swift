import Foundation
import Logging
import PostgresNIO
import HeraldTemplate

/// The shared store (SPEC §12): one PostgreSQL database used by any number of `herald serve`
/// and `herald send` processes on any number of hosts. Each operation is one transaction on a
/// pooled connection (`PostgresSession`, which runs `PostgresClient.run()` in a task of its own
/// from `open` to `close`); commits are durable as PostgreSQL makes them
/// (`synchronous_commit=on`, its default). Claims carry a lease: a request `sending` past its
/// lease is taken over by whichever process claims next, so a crashed server's work goes on.
package final class PostgresStore: RequestStore {
    package let location: PostgresLocation
    /// Seconds a claim holds before another process may take the request over.
    package let lease: Double
    /// Seconds a delivered request is kept after its answer before it is pruned.
    package let keepDelivered: Double
    /// Who this store is among the processes sharing the database (its claims are marked so).
    let claimer = UUID()
    let session: PostgresSession
    private let listener: PostgresWorkListener
    /// When `claim` last pruned (its `now`).
    private let lastPrune = Locked(-Double.infinity)

    /// `2 × timeout + 30` s for a sender whose attempts time out after `timeout` s: a claim
    /// outlives an attempt, its answer and a slow commit, never a crashed process for long.
    package static func defaultLease(sendTimeout: Double) -> Double { 2 * sendTimeout + 30 }

    /// Seconds any operation may take, a wait for a connection included, before it throws `.unavailable`.
    package static let defaultTimeout: Double = 10

    /// Makes the pool (it connects on first use: a server that is down is an error of the first
    /// call, normally `migrate()`).
    package init(location: PostgresLocation, lease: Double = PostgresStore.defaultLease(sendTimeout: 30),
                 timeout: Double = PostgresStore.defaultTimeout, keepDelivered: Double = 3600) {
        self.location = location
        self.lease = lease
        self.keepDelivered = keepDelivered
        session = PostgresSession(location: location, timeout: timeout)
        listener = PostgresWorkListener(session: session)
    }

    package func migrate() async throws(StoreError) {
        try await PostgresSchema.migrate(session)
    }

    package func accept(_ event: AcceptedEvent) async throws(StoreError) -> AcceptResult {
        try await PostgresAccept.accept(event, session)
    }

    /// Only claims whose lease has ended: the other processes sharing the database may be alive
    /// and sending theirs. Their sends are counted as answered now.
    package func requeueInFlight() async throws(StoreError) -> Int {
        let now = Date().timeIntervalSince1970
        let logger = session.logger
        return try await session.transaction { connection in
            try await connection.query("""
                UPDATE robot_sends SET answered_at = \(now) WHERE answered_at IS NULL
                AND request_id IN (SELECT id FROM requests WHERE state = 'sending' AND lease_until <= \(now))
                """, logger: logger)
            let requeued = try await connection.rows("""
                UPDATE requests SET state = 'queued', lease_until = NULL, claimed_by = NULL
                WHERE state = 'sending' AND lease_until <= \(now) RETURNING id
                """, logger: logger).count
            if requeued > 0 { try await connection.query("NOTIFY herald_work", logger: logger) }
            return requeued
        }
    }

    package func claim(limit: Int, rateLimit: Int, window: Double, now: Date) async throws(StoreError)
        -> (requests: [StoredRequest], nextDue: Date?) {
        let prune = lastPrune.withLock { last in
            guard now.timeIntervalSince1970 - last >= PostgresPrune.interval else { return false }
            last = now.timeIntervalSince1970
            return true
        }
        if prune { try await PostgresPrune.prune(now: now, window: window, keepDelivered: keepDelivered, session) }
        return try await PostgresClaim.claim(limit: limit, rateLimit: rateLimit, window: window, now: now, lease: lease,
                                             claimer: claimer, session)
    }

    package func finish(_ id: Int64, _ result: AttemptResult) async throws(StoreError) {
        guard try await PostgresFinish.finish(id, result, claimer: claimer, session) else {
            throw StoreError(.notInFlight(id: id), store: session.store, "request \(id) is not being sent by this process")
        }
    }

    package func list(state: RequestState?, limit: Int) async throws(StoreError) -> [StoredRequest] {
        let logger = session.logger
        let query: PostgresQuery = state.map {
            "SELECT \(unescaped: PostgresRequestRow.columns) FROM requests WHERE state = \($0.rawValue) ORDER BY id LIMIT \(max(0, limit))"
        } ?? "SELECT \(unescaped: PostgresRequestRow.columns) FROM requests ORDER BY id LIMIT \(max(0, limit))"
        return try await session.run { connection in
            try await connection.rows(query, logger: logger).map { try PostgresRequestRow.decode($0) }
        }
    }

    package func retry(_ ids: [Int64]) async throws(StoreError) -> Int {
        let unique = Array(Set(ids)).sorted()
        guard !unique.isEmpty else { return 0 }
        let logger = session.logger
        return try await session.transaction { connection in
            let changed = try await connection.rows("""
                UPDATE requests SET state = 'queued', not_before = NULL, first_attempt_at = NULL, finished_at = NULL
                WHERE state = 'failed' AND id = ANY(\(unique)) RETURNING id
                """, logger: logger).count
            if changed > 0 { try await connection.query("NOTIFY herald_work", logger: logger) }
            return changed
        }
    }

    package func drop(_ ids: [Int64]) async throws(StoreError) -> Int {
        let unique = Array(Set(ids)).sorted()
        guard !unique.isEmpty else { return 0 }
        let logger = session.logger
        return try await session.run { connection in
            try await connection.rows("DELETE FROM requests WHERE state != 'sending' AND id = ANY(\(unique)) RETURNING id",
                                      logger: logger).count
        }
    }

    package func stats(now: Date) async throws(StoreError) -> QueueStats {
        let logger = session.logger
        return try await session.run { connection in
            var counts: [RequestState: Int] = [:]
            for row in try await connection.rows("SELECT state, count(*) AS n FROM requests GROUP BY state", logger: logger) {
                guard let state = RequestState(rawValue: try row["state"].decode(String.self)) else { continue }
                counts[state] = try row["n"].decode(Int.self)
            }
            let oldest = try await connection.rows("SELECT min(accepted_at) AS oldest FROM requests WHERE state = 'queued'",
                                                   logger: logger).first
            let at = try oldest?["oldest"].decode(Double?.self)
            return QueueStats(counts: counts, oldestQueuedAt: at.map(Date.init(timeIntervalSince1970:)), now: now)
        }
    }

    package func ping() async -> Bool {
        let logger = session.logger
        do {
            return try await session.run { connection in
                try await connection.rows("SELECT count(*) AS n FROM herald_schema", logger: logger).first != nil
            }
        } catch {
            return false
        }
    }

    /// LISTENs on `herald_work` (on one pooled connection, again after a reconnect) and calls
    /// `wake` on each notification: an event accepted, a request retried or requeued by any process.
    package func watchForWork(_ wake: @escaping @Sendable () -> Void) async {
        await listener.watch(wake)
    }

    package func close() async {
        listener.stop()
        await session.close()
    }
}
