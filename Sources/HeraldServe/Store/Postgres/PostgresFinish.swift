import Foundation
import Logging
import PostgresNIO

/// `RequestStore.finish` on PostgreSQL, one transaction: the request's new state — only while
/// this store's claim holds it (a claim taken over after its lease belongs to the new claimer)
/// — and its robot send answered (counted from then) or, never answered, taken back.
enum PostgresFinish {
    /// False when the request is not `sending` under this store's claim (nothing changed).
    static func finish(_ id: Int64, _ result: AttemptResult, claimer: UUID, _ session: PostgresSession) async throws(StoreError) -> Bool {
        let logger = session.logger
        let state: RequestState, reason: String?, notBefore: Double?, finishedAt: Double?, answeredAt: Double?
        switch result {
        case .delivered(let at):
            (state, reason, notBefore, finishedAt, answeredAt) = (.delivered, nil, nil, at.timeIntervalSince1970, at.timeIntervalSince1970)
        case .failed(let why, let at):
            (state, reason, notBefore, finishedAt, answeredAt) = (.failed, why, nil, at.timeIntervalSince1970, at.timeIntervalSince1970)
        case .retry(let why, let after, let at):
            (state, reason, notBefore, finishedAt, answeredAt) = (.queued, why, after.timeIntervalSince1970, nil, at?.timeIntervalSince1970)
        }
        return try await session.transaction { connection in
            let changed = try await connection.rows("""
                UPDATE requests SET state = \(state.rawValue), last_error = \(reason), not_before = \(notBefore),
                finished_at = \(finishedAt), lease_until = NULL, claimed_by = NULL
                WHERE id = \(id) AND state = 'sending' AND claimed_by = \(claimer) RETURNING id
                """, logger: logger)
            guard !changed.isEmpty else { return false }
            if let answeredAt {
                try await connection.query("""
                    UPDATE robot_sends SET answered_at = \(answeredAt) WHERE request_id = \(id) AND answered_at IS NULL
                    """, logger: logger)
            } else {
                try await connection.query("DELETE FROM robot_sends WHERE request_id = \(id) AND answered_at IS NULL", logger: logger)
            }
            return true
        }
    }
}
