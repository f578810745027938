import Foundation
import HeraldCore

/// One event as planned at acceptance, stored whole or not at all by `RequestStore.accept`.
package struct AcceptedEvent: Sendable {
    /// One relay request of the event, exactly as planned (the dry run's body).
    package struct Request: Sendable, Equatable {
        package var link: String
        /// The DingTalk signing secret of the link's recipient, if any: the request is signed when sent.
        package var sk: String?
        package var maskedLink: String
        package var platform: Platform
        package var body: [UInt8]
        package var messageCount: Int
        package var contentID: String

        package init(link: String, sk: String? = nil, maskedLink: String, platform: Platform, body: [UInt8],
                     messageCount: Int, contentID: String) {
            self.link = link
            self.sk = sk
            self.maskedLink = maskedLink
            self.platform = platform
            self.body = body
            self.messageCount = messageCount
            self.contentID = contentID
        }

        /// A request of a `Plan` (HeraldCore), as the event's plan made it.
        package init(_ planned: HeraldCore.PlannedRequest) {
            self.init(link: planned.link, sk: planned.sk, maskedLink: planned.maskedLink, platform: planned.platform,
                      body: planned.body, messageCount: planned.messageCount, contentID: planned.contentID)
        }
    }

    package var route: String
    package var acceptedAt: Date
    /// The event's dedupe key (`DedupeKey.key`); nil when the route does not dedupe.
    package var dedupeKey: String?
    /// Seconds a key is remembered from the first event that had it; 0 = no dedupe.
    package var dedupeWindow: Double
    /// How many messages the event made (the 202 answer's `messages`).
    package var messages: Int
    /// In plan order.
    package var requests: [Request]

    package init(route: String, acceptedAt: Date, dedupeKey: String? = nil, dedupeWindow: Double = 0, messages: Int,
                 requests: [Request]) {
        self.route = route
        self.acceptedAt = acceptedAt
        self.dedupeKey = dedupeKey
        self.dedupeWindow = dedupeWindow
        self.messages = messages
        self.requests = requests
    }

    /// The key to dedupe on, when the route dedupes.
    var activeDedupeKey: String? {
        guard let dedupeKey, dedupeWindow > 0 else { return nil }
        return dedupeKey
    }
}
