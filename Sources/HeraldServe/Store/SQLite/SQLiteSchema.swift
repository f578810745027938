import HeraldCore
import SQLiteNIO

/// The store's tables, versioned in `herald_schema` (one row: the version and the Herald that
/// wrote it). `migrations[i]` takes a database from version i to i + 1; a released step is
/// never edited, only followed by a new one.
enum SQLiteSchema {
    static let migrations: [[String]] = [
        // 1: events, their requests, each robot's sends, dedupe keys.
        [
            """
            CREATE TABLE events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                route TEXT NOT NULL,
                accepted_at REAL NOT NULL,
                messages INTEGER NOT NULL,
                requests INTEGER NOT NULL,
                dedupe_key TEXT
            )
            """,
            // id: global acceptance order, never reused (AUTOINCREMENT), so pruning cannot
            // give a new request an old one's number.
            """
            CREATE TABLE requests (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                event_id INTEGER NOT NULL REFERENCES events(id),
                route TEXT NOT NULL,
                link TEXT NOT NULL,
                sk TEXT,
                masked_link TEXT NOT NULL,
                platform TEXT NOT NULL,
                body BLOB,
                message_count INTEGER NOT NULL,
                content_id TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'failed', 'delivered')),
                attempts INTEGER NOT NULL DEFAULT 0,
                first_attempt_at REAL,
                not_before REAL,
                last_error TEXT,
                accepted_at REAL NOT NULL,
                finished_at REAL
            )
            """,
            // claim: each link's lowest queued id, and the links with a request sending.
            "CREATE INDEX requests_claim ON requests (state, link, id)",
            "CREATE INDEX requests_event ON requests (event_id)",
            // answered_at NULL while the send is in flight.
            """
            CREATE TABLE robot_sends (
                id INTEGER PRIMARY KEY,
                link TEXT NOT NULL,
                count INTEGER NOT NULL,
                claimed_at REAL NOT NULL,
                answered_at REAL,
                request_id INTEGER
            )
            """,
            "CREATE INDEX robot_sends_link ON robot_sends (link, answered_at)",
            "CREATE INDEX robot_sends_request ON robot_sends (request_id)",
            // Per route: two routes may see the same key and both mean it.
            """
            CREATE TABLE dedupe (
                route TEXT NOT NULL,
                key TEXT NOT NULL,
                event_id INTEGER NOT NULL,
                expires_at REAL NOT NULL,
                PRIMARY KEY (route, key)
            ) WITHOUT ROWID
            """,
            "CREATE INDEX dedupe_expiry ON dedupe (expires_at)",
        ],
    ]

    static var version: Int { migrations.count }

    /// Brings the database to `version` in one transaction; a newer one is refused untouched.
    static func migrate(_ session: SQLiteSession) async throws(StoreError) {
        try await session.transaction { () async throws(StoreError) in
            try await session.execute("CREATE TABLE IF NOT EXISTS herald_schema (version INTEGER NOT NULL, herald TEXT NOT NULL)")
            let row = try await session.query("SELECT version, herald FROM herald_schema").first
            let found = row?.int("version") ?? 0
            if found > version {
                let by = row?.text("herald").map { "Herald \($0)" } ?? "a newer Herald"
                throw StoreError(.newerSchema(found: found, known: version), store: session.path,
                                 "written by \(by) (store schema \(found)); this Herald (\(HeraldVersion.current)) knows schema \(version) at most: use a newer herald, or another --store")
            }
            guard found < version else { return }
            for step in migrations[found...] {
                for statement in step { try await session.execute(statement) }
            }
            try await session.execute("DELETE FROM herald_schema")
            try await session.execute("INSERT INTO herald_schema (version, herald) VALUES (?, ?)",
                                      [.int(version), .text(HeraldVersion.current)])
        }
    }
}
