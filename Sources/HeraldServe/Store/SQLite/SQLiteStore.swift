import Foundation
import Logging
import SQLiteNIO
import HeraldTemplate

/// The embedded store (SPEC §12): one SQLite file in WAL mode, every commit fsynced
/// (`synchronous=FULL`) before its caller hears of it. One connection, one serial path
/// (`SQLiteSerialPath`) for everything it runs; accepts and finishes are group-committed
/// (`SQLiteWriteBatch`). Another process may open the same file at the same time (`herald
/// queue list` while `serve` runs): WAL lets it read while this one writes, and
/// `busy_timeout` makes a writer wait for the other's transaction instead of failing.
package final class SQLiteStore: RequestStore {
    package let path: String
    /// Seconds a delivered request is kept after its answer before it is pruned.
    package let keepDelivered: Double
    private let serial: SQLiteSerialPath
    private let writes: SQLiteWriteBatch
    /// When `claim` last pruned (its `now`).
    private let lastPrune = Locked(-Double.infinity)

    /// How long a statement waits for another process's write lock before the store is unavailable.
    static let busyTimeoutMilliseconds = 5000

    private init(path: String, keepDelivered: Double, session: SQLiteSession) {
        self.path = path
        self.keepDelivered = keepDelivered
        serial = SQLiteSerialPath(session: session)
        writes = SQLiteWriteBatch(path: serial)
    }

    /// `$XDG_STATE_HOME/herald/herald.sqlite`, else `~/.local/state/herald/herald.sqlite` (`--store` unset).
    package static func defaultPath(environment: [String: String]) -> String? {
        StorePath.defaultPath(environment: environment)
    }

    /// Opens (creating it and its folders, private to the user) the database at `path` and sets
    /// it up: WAL, durable commits, busy timeout, foreign keys. Call `migrate()` next.
    package static func open(path: String, keepDelivered: Double = 3600) async throws(StoreError) -> SQLiteStore {
        try StorePath.prepare(path)
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: Logger(label: "herald.store"))
        } catch let error as SQLiteError {
            throw SQLiteSession.storeError(error, path: path)
        } catch {
            throw StoreError(.cannotOpen, store: path, "cannot open the database")
        }
        let session = SQLiteSession(connection: connection, path: path)
        do throws(StoreError) {
            // busy_timeout first: it replaces sqlite-nio's busy handler, which retries forever.
            try await session.execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
            let mode = try await session.query("PRAGMA journal_mode = WAL").first?.text("journal_mode")
            guard mode?.lowercased() == "wal" else {
                throw StoreError(.cannotOpen, store: path, "cannot use write-ahead logging here (journal mode \(mode ?? "unknown"))")
            }
            try await session.execute("PRAGMA synchronous = FULL")
            try await session.execute("PRAGMA foreign_keys = ON")
        } catch {
            try? await connection.close()
            throw error
        }
        return SQLiteStore(path: path, keepDelivered: keepDelivered, session: session)
    }

    package func migrate() async throws(StoreError) {
        try await serial.run { session async throws(StoreError) in try await SQLiteSchema.migrate(session) }
    }

    package func accept(_ event: AcceptedEvent) async throws(StoreError) -> AcceptResult {
        try await writes.accept(event)
    }

    package func requeueInFlight() async throws(StoreError) -> Int {
        let now = Date().timeIntervalSince1970
        return try await serial.run { session async throws(StoreError) in
            try await session.transaction { () async throws(StoreError) in
                // Their sends may have reached the robot: count them, from now.
                try await session.execute("""
                    UPDATE robot_sends SET answered_at = ? WHERE answered_at IS NULL
                    AND request_id IN (SELECT id FROM requests WHERE state = 'sending')
                    """, [.float(now)])
                return try await session.query("UPDATE requests SET state = 'queued' WHERE state = 'sending' RETURNING id").count
            }
        }
    }

    package func claim(limit: Int, rateLimit: Int, window: Double, now: Date) async throws(StoreError)
        -> (requests: [StoredRequest], nextDue: Date?) {
        let prune = lastPrune.withLock { last in
            guard now.timeIntervalSince1970 - last >= SQLitePrune.interval else { return false }
            last = now.timeIntervalSince1970
            return true
        }
        let keepDelivered = keepDelivered
        return try await serial.run { session async throws(StoreError) in
            if prune { try await SQLitePrune.prune(now: now, window: window, keepDelivered: keepDelivered, session) }
            return try await SQLiteClaim.claim(limit: limit, rateLimit: rateLimit, window: window, now: now, session)
        }
    }

    package func finish(_ id: Int64, _ result: AttemptResult) async throws(StoreError) {
        try await writes.finish(id, result)
    }

    package func list(state: RequestState?, limit: Int) async throws(StoreError) -> [StoredRequest] {
        try await serial.run { session async throws(StoreError) in
            let rows: [SQLiteRow]
            if let state {
                rows = try await session.query("SELECT \(SQLiteRequestRow.columns) FROM requests WHERE state = ? ORDER BY id LIMIT ?",
                                               [.text(state.rawValue), .int(max(0, limit))])
            } else {
                rows = try await session.query("SELECT \(SQLiteRequestRow.columns) FROM requests ORDER BY id LIMIT ?",
                                               [.int(max(0, limit))])
            }
            var requests: [StoredRequest] = []
            for row in rows { requests.append(try SQLiteRequestRow.decode(row, path: session.path)) }
            return requests
        }
    }

    package func retry(_ ids: [Int64]) async throws(StoreError) -> Int {
        try await changeEach(ids, "UPDATE requests SET state = 'queued', not_before = NULL, first_attempt_at = NULL, finished_at = NULL WHERE state = 'failed' AND id IN")
    }

    package func drop(_ ids: [Int64]) async throws(StoreError) -> Int {
        try await changeEach(ids, "DELETE FROM requests WHERE state != 'sending' AND id IN")
    }

    /// Runs `statement (ids…) RETURNING id` over `ids` in chunks, in one transaction; how many rows it changed.
    private func changeEach(_ ids: [Int64], _ statement: String) async throws(StoreError) -> Int {
        let unique = Array(Set(ids)).sorted()
        guard !unique.isEmpty else { return 0 }
        return try await serial.run { session async throws(StoreError) in
            try await session.transaction { () async throws(StoreError) in
                var changed = 0
                var start = 0
                while start < unique.count {
                    let chunk = unique[start..<min(start + 500, unique.count)]
                    changed += try await session.query("\(statement) (\(SQLiteRequestRow.placeholders(chunk.count))) RETURNING id",
                                                       chunk.map { .int64($0) }).count
                    start += chunk.count
                }
                return changed
            }
        }
    }

    package func stats(now: Date) async throws(StoreError) -> QueueStats {
        try await serial.run { session async throws(StoreError) in
            var counts: [RequestState: Int] = [:]
            for row in try await session.query("SELECT state, count(*) AS n FROM requests GROUP BY state") {
                guard let state = row.text("state").flatMap(RequestState.init(rawValue:)) else { continue }
                counts[state] = row.int("n") ?? 0
            }
            let oldest = try await session.query("SELECT min(accepted_at) AS oldest FROM requests WHERE state = 'queued'").first?.time("oldest")
            return QueueStats(counts: counts, oldestQueuedAt: oldest, now: now)
        }
    }

    package func ping() async -> Bool {
        do {
            return try await serial.run { session async throws(StoreError) in
                try await session.query("SELECT count(*) AS n FROM herald_schema").first?.int("n") != nil
            }
        } catch {
            return false
        }
    }

    package func close() async {
        await serial.close()
    }
}

extension SQLiteStore {
    /// Group-commit transactions committed so far by this store (StoreBench reports events per commit).
    package var writeTransactions: Int { writes.transactions }

    /// Writes waiting for the next group commit (tests).
    var waitingWrites: Int { writes.waiting }

    /// Runs `body` on the serial path: everything queued after it waits until it returns (tests).
    func holdSerialPath(_ body: @escaping @Sendable () async -> Void) async throws(StoreError) {
        try await serial.run { _ async throws(StoreError) in await body() }
    }

    /// A pragma's value on the store's own connection (tests: settings are per connection).
    func pragma(_ name: String) async throws(StoreError) -> Int? {
        try await serial.run { session async throws(StoreError) in
            try await session.query("PRAGMA \(name)").first?.int(name)
        }
    }
}
