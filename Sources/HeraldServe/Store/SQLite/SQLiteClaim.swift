import Foundation
import SQLiteNIO

/// `RequestStore.claim` on SQLite: one `BEGIN IMMEDIATE` transaction reads each link's head,
/// the links busy sending and the robots' recent sends, then marks the chosen heads `sending`
/// and records their sends as in flight. The write lock held from the start means a second
/// process (a `herald send --store`) cannot claim the same head between the read and the write.
enum SQLiteClaim {
    static let maxLimit = 5000

    static func claim(limit: Int, rateLimit: Int, window: Double, now: Date,
                      _ session: SQLiteSession) async throws(StoreError) -> (requests: [StoredRequest], nextDue: Date?) {
        guard limit > 0 else { return ([], nil) }
        // A claim's statements bind a few values per request: keep them under SQLite's limit.
        let limit = min(limit, maxLimit)
        let at = now.timeIntervalSince1970
        return try await session.transaction { () async throws(StoreError) in
            let busy = Set(try await session.query("SELECT DISTINCT link FROM requests WHERE state = 'sending'")
                .compactMap { $0.text("link") })
            // Each link's head, found by walking the links in the (state, link, id) index one
            // seek at a time: a GROUP BY over the queued rows read every one of them, so with a
            // backlog each claim cost as much as the whole queue.
            let heads = try await session.query("""
                WITH RECURSIVE links(link) AS (
                    SELECT (SELECT link FROM requests WHERE state = 'queued' ORDER BY link LIMIT 1)
                    UNION ALL
                    SELECT (SELECT link FROM requests WHERE state = 'queued' AND link > links.link ORDER BY link LIMIT 1)
                    FROM links WHERE links.link IS NOT NULL
                )
                SELECT r.id, r.link, r.not_before, r.message_count FROM links
                JOIN requests r ON r.id = (SELECT id FROM requests WHERE state = 'queued' AND link = links.link ORDER BY id LIMIT 1)
                WHERE links.link IS NOT NULL ORDER BY r.id
                """).compactMap { row -> ClaimHead? in
                    guard let id = row.int64("id"), let link = row.text("link"), let count = row.int("message_count") else { return nil }
                    return ClaimHead(id: id, link: link, notBefore: row.double("not_before"), messageCount: count)
                }
            var sends: [String: [RobotBudget.Send]] = [:]
            if rateLimit > 0 {
                for row in try await session.query(
                    "SELECT link, count, answered_at FROM robot_sends WHERE answered_at IS NULL OR answered_at > ?",
                    [.float(at - window)]) {
                    guard let link = row.text("link"), let count = row.int("count") else { continue }
                    sends[link, default: []].append(RobotBudget.Send(count: count, answeredAt: row.double("answered_at")))
                }
            }
            let (chosen, nextDue) = ClaimHead.choose(heads.filter { !busy.contains($0.link) }, sends: sends, limit: limit,
                                                     rateLimit: rateLimit, window: window, now: at)
            // `now` itself when something is ready now: a caller may compare it with its own clock.
            let dueDate = nextDue.map { $0 <= at ? now : Date(timeIntervalSince1970: $0) }
            guard !chosen.isEmpty else { return ([], dueDate) }
            let ids = chosen.map { SQLiteData.int64($0.id) }
            let rows = try await session.query("""
                UPDATE requests SET state = 'sending', attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, ?)
                WHERE id IN (\(SQLiteRequestRow.placeholders(ids.count))) RETURNING \(SQLiteRequestRow.columns)
                """, [.float(at)] + ids)
            var binds: [SQLiteData] = []
            for head in chosen { binds += [.text(head.link), .int(head.messageCount), .float(at), .int64(head.id)] }
            try await session.execute("INSERT INTO robot_sends (link, count, claimed_at, request_id) VALUES "
                + Array(repeating: "(?, ?, ?, ?)", count: chosen.count).joined(separator: ", "), binds)
            var requests: [StoredRequest] = []
            for row in rows { requests.append(try SQLiteRequestRow.decode(row, path: session.path)) }
            requests.sort { $0.id < $1.id }
            return (requests, dueDate)
        }
    }
}
