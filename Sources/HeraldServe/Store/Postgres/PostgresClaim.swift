import Foundation
import Logging
import PostgresNIO

/// `RequestStore.claim` on PostgreSQL, one transaction shared safely by any number of processes:
/// 1. one statement (one snapshot) finds each link's head — its lowest queued id, or a request
///    `sending` whose lease expired (its claimer is presumed dead) — on links with no live claim;
/// 2. `FOR UPDATE SKIP LOCKED` locks the heads still claimable, skipping those another process
///    is claiming right now, so no request is claimed twice;
/// 3. with a budget, `pg_advisory_xact_lock(hashtext(link))` per robot, in one order (no deadlock),
///    then the robots' sends are read: a process that claimed for the same robot before has
///    committed, so its sends are counted, and the 20th message cannot fit twice;
/// 4. the chosen heads become `sending` with a lease, their sends are recorded in flight.
/// The locks go at commit.
enum PostgresClaim {
    static func claim(limit: Int, rateLimit: Int, window: Double, now: Date, lease: Double, claimer: UUID,
                      _ session: PostgresSession) async throws(StoreError) -> (requests: [StoredRequest], nextDue: Date?) {
        guard limit > 0 else { return ([], nil) }
        let logger = session.logger
        let at = now.timeIntervalSince1970
        return try await session.transaction { connection in
            var nextDue: Double?
            func due(_ time: Double) { nextDue = min(nextDue ?? time, time) }
            // Links busy with another process's live claim become claimable when its lease ends
            // (a link busy with this store's own claim is woken by its `finish`).
            let others = try await connection.rows("""
                SELECT min(lease_until) AS lease_until FROM requests
                WHERE state = 'sending' AND lease_until > \(at) AND claimed_by IS DISTINCT FROM \(claimer)
                """, logger: logger)
            if let leaseEnd = try others.first?["lease_until"].decode(Double?.self) { due(leaseEnd) }
            // Each link's head (its first queued or sending request; a live claim makes the link
            // busy), found by walking the links in the (link, id) index one seek at a time:
            // DISTINCT ON read every queued row, so with a backlog each claim cost the whole queue.
            var heads: [ClaimHead] = []
            for row in try await connection.rows("""
                WITH RECURSIVE links(link) AS (
                    (SELECT link FROM requests WHERE state IN ('queued', 'sending') ORDER BY link LIMIT 1)
                    UNION ALL
                    SELECT (SELECT r.link FROM requests r WHERE r.state IN ('queued', 'sending') AND r.link > links.link
                            ORDER BY r.link LIMIT 1)
                    FROM links WHERE links.link IS NOT NULL
                ), busy AS (SELECT DISTINCT link FROM requests WHERE state = 'sending' AND lease_until > \(at))
                SELECT head.id, head.link, head.not_before, head.message_count FROM links
                CROSS JOIN LATERAL (
                    SELECT id, link, state, lease_until, not_before, message_count FROM requests r
                    WHERE r.link = links.link AND r.state IN ('queued', 'sending') ORDER BY r.id LIMIT 1
                ) AS head
                WHERE links.link IS NOT NULL AND (head.state = 'queued' OR head.lease_until <= \(at))
                AND head.link NOT IN (SELECT link FROM busy) ORDER BY head.id
                """, logger: logger) {
                heads.append(ClaimHead(id: try row["id"].decode(Int64.self), link: try row["link"].decode(String.self),
                                  notBefore: try row["not_before"].decode(Double?.self),
                                  messageCount: try row["message_count"].decode(Int.self)))
            }
            var ready: [ClaimHead] = []
            for head in heads {
                if let notBefore = head.notBefore, notBefore > at { due(notBefore) } else { ready.append(head) }
            }
            guard !ready.isEmpty else { return ([], nextDue.map(Date.init(timeIntervalSince1970:))) }
            let locked = Set(try await connection.rows("""
                SELECT id FROM requests WHERE id = ANY(\(ready.map(\.id)))
                AND (state = 'queued' OR (state = 'sending' AND lease_until <= \(at)))
                FOR UPDATE SKIP LOCKED
                """, logger: logger).map { try $0["id"].decode(Int64.self) })
            ready.removeAll { !locked.contains($0.id) }
            var sends: [String: [RobotBudget.Send]] = [:]
            if rateLimit > 0, !ready.isEmpty {
                let links = Array(Set(ready.map(\.link)))
                try await connection.query("""
                    SELECT pg_advisory_xact_lock(h) FROM (
                        SELECT DISTINCT hashtext(l) AS h FROM unnest(\(links)::text[]) AS l ORDER BY 1
                    ) AS robots
                    """, logger: logger)
                // An in-flight send whose lease ended may have reached the robot at any time until then.
                for row in try await connection.rows("""
                    SELECT link, count, CASE WHEN answered_at IS NULL AND lease_until <= \(at) THEN lease_until
                                             ELSE answered_at END AS answered_at
                    FROM robot_sends WHERE link = ANY(\(links)) AND (answered_at IS NULL OR answered_at > \(at - window))
                    """, logger: logger) {
                    sends[try row["link"].decode(String.self), default: []]
                        .append(RobotBudget.Send(count: try row["count"].decode(Int.self),
                                                 answeredAt: try row["answered_at"].decode(Double?.self)))
                }
            }
            let choice = ClaimHead.choose(ready, sends: sends, limit: limit, rateLimit: rateLimit, window: window, now: at)
            let chosen = choice.chosen
            if let time = choice.nextDue { due(time) }
            guard !chosen.isEmpty else { return ([], nextDue.map(Date.init(timeIntervalSince1970:))) }
            let ids = chosen.map(\.id)
            let leaseUntil = at + lease
            // A taken-over request's earlier send is counted from its lease's end, as above.
            try await connection.query("""
                UPDATE robot_sends SET answered_at = lease_until WHERE request_id = ANY(\(ids)) AND answered_at IS NULL
                """, logger: logger)
            let rows = try await connection.rows(PostgresQuery(unsafeSQL: """
                UPDATE requests SET state = 'sending', attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, $1),
                lease_until = $2, claimed_by = $3 WHERE id = ANY($4) RETURNING \(PostgresRequestRow.columns)
                """, binds: binds(at, leaseUntil, claimer, ids)), logger: logger)
            try await connection.query("""
                INSERT INTO robot_sends (link, count, claimed_at, lease_until, request_id)
                SELECT link, message_count, \(at), \(leaseUntil), id FROM requests WHERE id = ANY(\(ids))
                """, logger: logger)
            var requests = try rows.map { row in try PostgresRequestRow.decode(row) }
            requests.sort { $0.id < $1.id }
            return (requests, nextDue.map(Date.init(timeIntervalSince1970:)))
        }
    }

    private static func binds(_ at: Double, _ leaseUntil: Double, _ claimer: UUID, _ ids: [Int64]) -> PostgresBindings {
        var binds = PostgresBindings(capacity: 4)
        binds.append(at)
        binds.append(leaseUntil)
        binds.append(claimer)
        binds.append(ids)
        return binds
    }
}
