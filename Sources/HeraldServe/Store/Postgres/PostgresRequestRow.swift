import Foundation
import HeraldCore
import NIOCore
import PostgresNIO

/// Reading a `requests` row back.
enum PostgresRequestRow {
    static let columns = """
        id, event_id, route, link, sk, masked_link, platform, body, message_count, content_id, state, attempts,
        first_attempt_at, not_before, last_error, accepted_at
        """

    struct Damaged: Error {}

    static func decode(_ row: PostgresRandomAccessRow) throws -> StoredRequest {
        guard let platform = Platform(rawValue: try row["platform"].decode(String.self)),
              let state = RequestState(rawValue: try row["state"].decode(String.self)) else { throw Damaged() }
        func time(_ column: String) throws -> Date? {
            try row[column].decode(Double?.self).map(Date.init(timeIntervalSince1970:))
        }
        let body = try row["body"].decode(ByteBuffer?.self).map { Array($0.readableBytesView) } ?? []
        return StoredRequest(id: try row["id"].decode(Int64.self), eventID: try row["event_id"].decode(Int64.self),
                             route: try row["route"].decode(String.self), link: try row["link"].decode(String.self),
                             sk: try row["sk"].decode(String?.self), maskedLink: try row["masked_link"].decode(String.self),
                             platform: platform, body: body, messageCount: try row["message_count"].decode(Int.self),
                             contentID: try row["content_id"].decode(String.self), state: state,
                             attempts: try row["attempts"].decode(Int.self), firstAttemptAt: try time("first_attempt_at"),
                             notBefore: try time("not_before"), lastError: try row["last_error"].decode(String?.self),
                             acceptedAt: try time("accepted_at") ?? Date(timeIntervalSince1970: 0))
    }
}
