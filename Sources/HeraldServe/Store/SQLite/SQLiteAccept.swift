import SQLiteNIO

/// Storing one event inside the batch's open transaction: the dedupe check, the event, its
/// requests (in plan order, so their ids are acceptance order), the key.
enum SQLiteAccept {
    /// Rows per INSERT: 11 binds each, far under SQLite's 32,766.
    static let rowsPerInsert = 200

    static func accept(_ event: AcceptedEvent, _ session: SQLiteSession) async throws(StoreError) -> AcceptResult {
        let at = event.acceptedAt.timeIntervalSince1970
        let key = event.activeDedupeKey
        if let key {
            let seen = try await session.query("SELECT event_id, expires_at FROM dedupe WHERE route = ? AND key = ?",
                                               [.text(event.route), .text(key)]).first
            if let seen, let first = seen.int64("event_id"), let expires = seen.double("expires_at"), expires > at {
                return .duplicate(firstID: first)
            }
        }
        let inserted = try await session.query(
            "INSERT INTO events (route, accepted_at, messages, requests, dedupe_key) VALUES (?, ?, ?, ?, ?) RETURNING id",
            [.text(event.route), .float(at), .int(event.messages), .int(event.requests.count), .optionalText(key)])
        guard let eventID = inserted.first?.int64("id") else {
            throw StoreError(.unavailable, store: session.path, "the new event got no id")
        }
        var start = 0
        while start < event.requests.count {
            let chunk = event.requests[start..<min(start + rowsPerInsert, event.requests.count)]
            var binds: [SQLiteData] = []
            binds.reserveCapacity(chunk.count * 10)
            for request in chunk {
                binds += [.int64(eventID), .text(event.route), .text(request.link), .optionalText(request.sk),
                          .text(request.maskedLink), .text(request.platform.rawValue), .bytes(request.body),
                          .int(request.messageCount), .text(request.contentID), .float(at)]
            }
            let rows = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)", count: chunk.count).joined(separator: ", ")
            try await session.execute("""
                INSERT INTO requests (event_id, route, link, sk, masked_link, platform, body, message_count, content_id, state, accepted_at)
                VALUES \(rows)
                """, binds)
            start += chunk.count
        }
        if let key {
            try await session.execute("""
                INSERT INTO dedupe (route, key, event_id, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (route, key) DO UPDATE SET event_id = excluded.event_id, expires_at = excluded.expires_at
                """, [.text(event.route), .text(key), .int64(eventID), .float(at + event.dedupeWindow)])
        }
        return .accepted(eventID: eventID, requests: event.requests.count)
    }
}
