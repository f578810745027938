import SQLiteNIO

/// Storing a batch of events inside the group commit's open transaction, in a handful of
/// statements whatever the batch's size (each statement is a hop to SQLite's thread): the
/// batch's dedupe keys read at once, each event checked in arrival order against them and
/// against the events before it in the batch, then every new event, request and key written
/// by multi-row INSERTs with ids given here. The write lock is held (`BEGIN IMMEDIATE`), so
/// nobody else takes ids meanwhile; the ids follow AUTOINCREMENT's rule (above the largest
/// ever used), and a request's id is its place in acceptance order.
enum SQLiteAccept {
    private struct Seen {
        var eventID: Int64
        var expiresAt: Double
        /// Written by this batch: its row is upserted.
        var isNew: Bool
    }

    private struct DedupeKey: Hashable {
        var route: String
        var key: String
    }

    /// Bound values per statement, under SQLite's 32,766.
    static let bindsPerStatement = 30_000

    static func accept(_ events: [AcceptedEvent], _ session: SQLiteSession) async throws(StoreError) -> [AcceptResult] {
        guard !events.isEmpty else { return [] }
        var seen = try await storedKeys(of: events, session)
        let bases = try await session.query("""
            SELECT max(coalesce((SELECT max(id) FROM events), 0), coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)) AS event,
                   max(coalesce((SELECT max(id) FROM requests), 0), coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'requests'), 0)) AS request
            """).first
        guard var nextEvent = bases?.int64("event"), var nextRequest = bases?.int64("request") else {
            throw StoreError(.unavailable, store: session.path, "cannot read the next ids")
        }
        var results: [AcceptResult] = []
        var eventRows: [SQLiteData] = [], requestRows: [SQLiteData] = []
        for event in events {
            let at = event.acceptedAt.timeIntervalSince1970
            let key = event.activeDedupeKey.map { DedupeKey(route: event.route, key: $0) }
            if let key, let first = seen[key], first.expiresAt > at {
                results.append(.duplicate(firstID: first.eventID))
                continue
            }
            nextEvent += 1
            eventRows += [.int64(nextEvent), .text(event.route), .float(at), .int(event.messages), .int(event.requests.count),
                          .optionalText(key?.key)]
            for request in event.requests {
                nextRequest += 1
                requestRows += [.int64(nextRequest), .int64(nextEvent), .text(event.route), .text(request.link),
                                .optionalText(request.sk), .text(request.maskedLink), .text(request.platform.rawValue),
                                .bytes(request.body), .int(request.messageCount), .text(request.contentID), .float(at)]
            }
            if let key { seen[key] = Seen(eventID: nextEvent, expiresAt: at + event.dedupeWindow, isNew: true) }
            results.append(.accepted(eventID: nextEvent, requests: event.requests.count))
        }
        try await insert("INSERT INTO events (id, route, accepted_at, messages, requests, dedupe_key) VALUES", row: "(?, ?, ?, ?, ?, ?)",
                         columns: 6, eventRows, session)
        try await insert("""
            INSERT INTO requests (id, event_id, route, link, sk, masked_link, platform, body, message_count, content_id, accepted_at, state) VALUES
            """, row: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')", columns: 11, requestRows, session)
        var keyRows: [SQLiteData] = []
        for (key, first) in seen where first.isNew {
            keyRows += [.text(key.route), .text(key.key), .int64(first.eventID), .float(first.expiresAt)]
        }
        try await insert("INSERT INTO dedupe (route, key, event_id, expires_at) VALUES", row: "(?, ?, ?, ?)", columns: 4, keyRows, session,
                         suffix: " ON CONFLICT (route, key) DO UPDATE SET event_id = excluded.event_id, expires_at = excluded.expires_at")
        return results
    }

    /// The dedupe rows already stored for the batch's keys.
    private static func storedKeys(of events: [AcceptedEvent], _ session: SQLiteSession) async throws(StoreError) -> [DedupeKey: Seen] {
        var keys: [DedupeKey] = []
        var unique = Set<DedupeKey>()
        for event in events {
            guard let key = event.activeDedupeKey.map({ DedupeKey(route: event.route, key: $0) }), unique.insert(key).inserted else { continue }
            keys.append(key)
        }
        var seen: [DedupeKey: Seen] = [:]
        var start = 0
        while start < keys.count {
            let chunk = keys[start..<min(start + bindsPerStatement / 2, keys.count)]
            let rows = try await session.query("""
                SELECT route, key, event_id, expires_at FROM dedupe WHERE (route, key) IN (VALUES \(Array(repeating: "(?, ?)", count: chunk.count).joined(separator: ", ")))
                """, chunk.flatMap { [SQLiteData.text($0.route), .text($0.key)] })
            for row in rows {
                guard let route = row.text("route"), let key = row.text("key"), let id = row.int64("event_id"),
                      let expires = row.double("expires_at") else { continue }
                seen[DedupeKey(route: route, key: key)] = Seen(eventID: id, expiresAt: expires, isNew: false)
            }
            start += chunk.count
        }
        return seen
    }

    /// A multi-row INSERT of `binds` (`columns` a row), in as few statements as the bind limit allows.
    private static func insert(_ head: String, row: String, columns: Int, _ binds: [SQLiteData], _ session: SQLiteSession,
                               suffix: String = "") async throws(StoreError) {
        let rowsPerStatement = bindsPerStatement / columns
        var start = 0
        while start < binds.count {
            let end = min(start + rowsPerStatement * columns, binds.count)
            let rows = (end - start) / columns
            try await session.execute(head + " " + Array(repeating: row, count: rows).joined(separator: ", ") + suffix,
                                      Array(binds[start..<end]))
            start = end
        }
    }
}
