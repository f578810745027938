import Foundation
import HeraldCore
import SQLiteNIO

/// Reading a `requests` row back.
enum SQLiteRequestRow {
    static let columns = """
        id, event_id, route, link, sk, masked_link, platform, body, message_count, content_id, state, attempts,
        first_attempt_at, not_before, last_error, accepted_at
        """

    static func decode(_ row: SQLiteRow, path: String) throws(StoreError) -> StoredRequest {
        guard let id = row.int64("id"), let eventID = row.int64("event_id"), let route = row.text("route"),
              let link = row.text("link"), let masked = row.text("masked_link"),
              let platform = row.text("platform").flatMap(Platform.init(rawValue:)),
              let count = row.int("message_count"), let contentID = row.text("content_id"),
              let state = row.text("state").flatMap(RequestState.init(rawValue:)),
              let attempts = row.int("attempts"), let acceptedAt = row.time("accepted_at")
        else {
            throw StoreError(.notADatabase, store: path, "the database is damaged (a request row Herald cannot read)")
        }
        return StoredRequest(id: id, eventID: eventID, route: route, link: link, sk: row.text("sk"), maskedLink: masked,
                             platform: platform, body: row.bytes("body"), messageCount: count, contentID: contentID,
                             state: state, attempts: attempts, firstAttemptAt: row.time("first_attempt_at"),
                             notBefore: row.time("not_before"), lastError: row.text("last_error"), acceptedAt: acceptedAt)
    }

    /// `?, ?, …` for `count` binds.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
