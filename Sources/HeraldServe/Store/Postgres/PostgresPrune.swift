import Foundation
import Logging
import PostgresNIO

/// Forgetting what no longer matters, as `SQLitePrune` does, at most once a minute per process
/// from `claim`: delivered requests `keepDelivered` seconds after their answer, events with no
/// request left, dedupe keys past their window, robot sends out of every window (at least 60 s:
/// another process may count in 60 s windows) — an in-flight one counted from its lease's end.
enum PostgresPrune {
    static let interval: Double = 60

    static func prune(now: Date, window: Double, keepDelivered: Double, _ session: PostgresSession) async throws(StoreError) {
        let logger = session.logger
        let at = now.timeIntervalSince1970, sendsBefore = at - max(window, 60)
        try await session.transaction { connection in
            try await connection.query("DELETE FROM requests WHERE state = 'delivered' AND finished_at <= \(at - keepDelivered)",
                                       logger: logger)
            try await connection.query("""
                DELETE FROM events WHERE accepted_at <= \(at - keepDelivered)
                AND NOT EXISTS (SELECT 1 FROM requests WHERE requests.event_id = events.id)
                """, logger: logger)
            try await connection.query("DELETE FROM dedupe WHERE expires_at <= \(at)", logger: logger)
            try await connection.query("""
                DELETE FROM robot_sends WHERE coalesce(answered_at, lease_until) <= \(sendsBefore)
                """, logger: logger)
        }
    }
}
