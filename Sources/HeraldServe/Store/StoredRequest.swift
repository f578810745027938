import Foundation
import HeraldCore

/// A request as the store holds it: what `claim` hands a sender and `list` shows.
package struct StoredRequest: Sendable, Equatable {
    /// Global acceptance order: across events, a link's requests are sent in this order.
    package var id: Int64
    package var eventID: Int64
    package var route: String
    package var link: String
    package var sk: String?
    package var maskedLink: String
    package var platform: Platform
    package var body: [UInt8]
    package var messageCount: Int
    package var contentID: String
    package var state: RequestState
    /// Attempts claimed so far, the one in progress included.
    package var attempts: Int
    /// When it was first claimed since accepted (or since `retry`): where `--give-up-after` counts from.
    package var firstAttemptAt: Date?
    /// Not claimed before this (a retry's backoff).
    package var notBefore: Date?
    /// The last attempt's reason for a retry or a failure.
    package var lastError: String?
    package var acceptedAt: Date
}
