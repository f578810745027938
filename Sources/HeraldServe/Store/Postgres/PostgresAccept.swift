import Logging
import NIOCore
import PostgresNIO

/// `RequestStore.accept` on PostgreSQL, one transaction: the dedupe key first (its primary key
/// makes a second replica posting the same key wait for the first's commit, then see it), the
/// event, its requests in plan order, and `NOTIFY herald_work`, which PostgreSQL delivers at
/// commit to every listening process.
enum PostgresAccept {
    /// Rows per INSERT: 10 binds each, far under the protocol's 65,535.
    static let rowsPerInsert = 500

    static func accept(_ event: AcceptedEvent, _ session: PostgresSession) async throws(StoreError) -> AcceptResult {
        let logger = session.logger
        return try await session.transaction { connection in
            let at = event.acceptedAt.timeIntervalSince1970
            let eventID: Int64
            if let key = event.activeDedupeKey {
                // Takes the key for a new event unless a live one holds it (then nothing is returned).
                let taken = try await connection.rows("""
                    INSERT INTO dedupe (route, key, event_id, expires_at)
                    VALUES (\(event.route), \(key), nextval('events_id_seq'), \(at + event.dedupeWindow))
                    ON CONFLICT (route, key) DO UPDATE SET event_id = excluded.event_id, expires_at = excluded.expires_at
                    WHERE dedupe.expires_at <= \(at)
                    RETURNING event_id
                    """, logger: logger)
                guard let row = taken.first else {
                    let first = try await connection.rows("SELECT event_id FROM dedupe WHERE route = \(event.route) AND key = \(key)",
                                                          logger: logger)
                    return .duplicate(firstID: try first.first?["event_id"].decode(Int64.self) ?? 0)
                }
                eventID = try row["event_id"].decode(Int64.self)
                try await connection.query("""
                    INSERT INTO events (id, route, accepted_at, messages, requests, dedupe_key)
                    VALUES (\(eventID), \(event.route), \(at), \(event.messages), \(event.requests.count), \(key))
                    """, logger: logger)
            } else {
                let inserted = try await connection.rows("""
                    INSERT INTO events (route, accepted_at, messages, requests)
                    VALUES (\(event.route), \(at), \(event.messages), \(event.requests.count)) RETURNING id
                    """, logger: logger)
                eventID = try inserted.first?["id"].decode(Int64.self) ?? 0
            }
            var start = 0
            while start < event.requests.count {
                let chunk = event.requests[start..<min(start + rowsPerInsert, event.requests.count)]
                try await connection.query(insertRequests(chunk, eventID: eventID, route: event.route, at: at), logger: logger)
                start += chunk.count
            }
            if !event.requests.isEmpty { try await connection.query("NOTIFY herald_work", logger: logger) }
            return .accepted(eventID: eventID, requests: event.requests.count)
        }
    }

    private static func insertRequests(_ requests: ArraySlice<AcceptedEvent.Request>, eventID: Int64, route: String,
                                       at: Double) -> PostgresQuery {
        var binds = PostgresBindings(capacity: requests.count * 10)
        var rows: [String] = []
        rows.reserveCapacity(requests.count)
        for request in requests {
            let n = binds.count
            rows.append("(" + (1...10).map { "$\(n + $0)" }.joined(separator: ", ") + ", 'queued')")
            binds.append(eventID)
            binds.append(route)
            binds.append(request.link)
            binds.append(request.sk)
            binds.append(request.maskedLink)
            binds.append(request.platform.rawValue)
            binds.append(ByteBuffer(bytes: request.body))
            binds.append(request.messageCount)
            binds.append(request.contentID)
            binds.append(at)
        }
        return PostgresQuery(unsafeSQL: """
            INSERT INTO requests (event_id, route, link, sk, masked_link, platform, body, message_count, content_id, accepted_at, state)
            VALUES \(rows.joined(separator: ", "))
            """, binds: binds)
    }
}
