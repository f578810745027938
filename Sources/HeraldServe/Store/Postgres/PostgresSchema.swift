import HeraldCore
import Logging
import PostgresNIO

/// The shared store's tables, versioned in `herald_schema` like SQLite's (`SQLiteSchema`):
/// `migrations[i]` takes a database from version i to i + 1 and a released step is never
/// edited. Times are seconds since 1970 (double precision), as the callers give them.
enum PostgresSchema {
    static let migrations: [[String]] = [
        // 1: events, their requests, each robot's sends, dedupe keys.
        [
            """
            CREATE TABLE events (
                id bigserial PRIMARY KEY,
                route text NOT NULL,
                accepted_at double precision NOT NULL,
                messages integer NOT NULL,
                requests integer NOT NULL,
                dedupe_key text
            )
            """,
            // lease_until/claimed_by: while `sending`, until when the claim holds and whose it is;
            // past its lease any process may take the request over (a crashed server's claims).
            """
            CREATE TABLE requests (
                id bigserial PRIMARY KEY,
                event_id bigint NOT NULL REFERENCES events(id),
                route text NOT NULL,
                link text NOT NULL,
                sk text,
                masked_link text NOT NULL,
                platform text NOT NULL,
                body bytea,
                message_count integer NOT NULL,
                content_id text NOT NULL,
                state text NOT NULL CHECK (state IN ('queued', 'sending', 'failed', 'delivered')),
                attempts integer NOT NULL DEFAULT 0,
                first_attempt_at double precision,
                not_before double precision,
                last_error text,
                accepted_at double precision NOT NULL,
                finished_at double precision,
                lease_until double precision,
                claimed_by uuid
            )
            """,
            // claim: each link's lowest queued id, and the links with a request sending.
            "CREATE INDEX requests_claim ON requests (link, id) WHERE state IN ('queued', 'sending')",
            "CREATE INDEX requests_state ON requests (state, id)",
            "CREATE INDEX requests_event ON requests (event_id)",
            // answered_at NULL while in flight; an in-flight send past lease_until counts from then.
            """
            CREATE TABLE robot_sends (
                id bigserial PRIMARY KEY,
                link text NOT NULL,
                count integer NOT NULL,
                claimed_at double precision NOT NULL,
                answered_at double precision,
                lease_until double precision NOT NULL,
                request_id bigint
            )
            """,
            "CREATE INDEX robot_sends_link ON robot_sends (link, answered_at)",
            "CREATE INDEX robot_sends_request ON robot_sends (request_id)",
            // The primary key is what makes a duplicate posted to two replicas queue once.
            """
            CREATE TABLE dedupe (
                route text NOT NULL,
                key text NOT NULL,
                event_id bigint NOT NULL,
                expires_at double precision NOT NULL,
                PRIMARY KEY (route, key)
            )
            """,
            "CREATE INDEX dedupe_expiry ON dedupe (expires_at)",
        ],
    ]

    static var version: Int { migrations.count }

    /// The advisory lock every migrating process takes: two servers starting together migrate
    /// one after the other, and the second finds the work done.
    static let migrationLock: Int64 = 0x4845_5241_4C44 // "HERALD"

    /// Brings the database to `version` in one transaction, under the migration lock; a newer
    /// one is refused untouched.
    static func migrate(_ session: PostgresSession) async throws(StoreError) {
        let logger = session.logger, store = session.store
        try await session.transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS herald_schema (version integer NOT NULL, herald text NOT NULL)",
                                       logger: logger)
            let row = try await connection.rows("SELECT version, herald FROM herald_schema", logger: logger).first
            let found = try row?["version"].decode(Int.self) ?? 0
            if found > version {
                let by = try row?["herald"].decode(String.self)
                throw StoreError(.newerSchema(found: found, known: version), store: store,
                                 "written by \(by.map { "Herald \($0)" } ?? "a newer Herald") (store schema \(found)); this Herald (\(HeraldVersion.current)) knows schema \(version) at most: use a newer herald, or another --store")
            }
            guard found < version else { return }
            for step in migrations[found...] {
                for statement in step { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
            }
            try await connection.query("DELETE FROM herald_schema", logger: logger)
            try await connection.query("INSERT INTO herald_schema (version, herald) VALUES (\(version), \(HeraldVersion.current))",
                                       logger: logger)
        }
    }
}
