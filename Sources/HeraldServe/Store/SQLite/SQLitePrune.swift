import Foundation
import SQLiteNIO

/// Forgetting what no longer matters, at most once a minute from `claim` (the delivery loop
/// calls it all the time; `herald queue` never prunes): delivered requests `keepDelivered`
/// seconds after their answer, events with no request left, dedupe keys past their window,
/// and robot sends answered longer than a budget window ago (at least 60 s: another process
/// sharing the store may count in 60 s windows).
enum SQLitePrune {
    static let interval: Double = 60

    static func prune(now: Date, window: Double, keepDelivered: Double, _ session: SQLiteSession) async throws(StoreError) {
        let at = now.timeIntervalSince1970
        try await session.transaction { () async throws(StoreError) in
            try await session.execute("DELETE FROM requests WHERE state = 'delivered' AND finished_at <= ?", [.float(at - keepDelivered)])
            try await session.execute("""
                DELETE FROM events WHERE accepted_at <= ? AND NOT EXISTS (SELECT 1 FROM requests WHERE requests.event_id = events.id)
                """, [.float(at - keepDelivered)])
            try await session.execute("DELETE FROM dedupe WHERE expires_at <= ?", [.float(at)])
            try await session.execute("DELETE FROM robot_sends WHERE answered_at IS NOT NULL AND answered_at <= ?",
                                      [.float(at - max(window, 60))])
        }
    }
}
