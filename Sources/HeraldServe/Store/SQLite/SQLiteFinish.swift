import SQLiteNIO

/// Recording one attempt's outcome inside the batch's open transaction: the request's new
/// state, and its robot send answered (counted from then) or, never answered, taken back.
enum SQLiteFinish {
    /// False when the request is not `sending` (nothing changed).
    static func finish(_ id: Int64, _ result: AttemptResult, _ session: SQLiteSession) async throws(StoreError) -> Bool {
        let state: RequestState, reason: String?, notBefore: SQLiteData, finishedAt: SQLiteData, answeredAt: SQLiteData
        switch result {
        case .delivered(let at):
            (state, reason, notBefore, finishedAt, answeredAt) = (.delivered, nil, .null, .time(at), .time(at))
        case .failed(let why, let at):
            (state, reason, notBefore, finishedAt, answeredAt) = (.failed, why, .null, .time(at), .time(at))
        case .retry(let why, let after, let at):
            (state, reason, notBefore, finishedAt, answeredAt) = (.queued, why, .time(after), .null, .time(at))
        }
        let changed = try await session.query("""
            UPDATE requests SET state = ?, last_error = ?, not_before = ?, finished_at = ?
            WHERE id = ? AND state = 'sending' RETURNING id
            """, [.text(state.rawValue), .optionalText(reason), notBefore, finishedAt, .int64(id)])
        guard !changed.isEmpty else { return false }
        if answeredAt.isNull {
            try await session.execute("DELETE FROM robot_sends WHERE request_id = ? AND answered_at IS NULL", [.int64(id)])
        } else {
            try await session.execute("UPDATE robot_sends SET answered_at = ? WHERE request_id = ? AND answered_at IS NULL",
                                      [answeredAt, .int64(id)])
        }
        return true
    }
}
