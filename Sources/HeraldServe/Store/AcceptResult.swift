/// What `RequestStore.accept` did with an event.
package enum AcceptResult: Sendable, Equatable {
    /// Stored durably with its `requests` requests (the 202 answer).
    case accepted(eventID: Int64, requests: Int)
    /// The same dedupe key was seen within the window: nothing was stored (the 200 answer).
    case duplicate(firstID: Int64)
}
