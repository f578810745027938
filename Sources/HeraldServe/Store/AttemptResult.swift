import Foundation

/// The outcome of one attempt at a claimed request, recorded by `RequestStore.finish`.
package enum AttemptResult: Sendable, Equatable {
    case delivered(answeredAt: Date)
    /// Final: the request is `failed` and its link goes on with its next request.
    case failed(reason: String, answeredAt: Date)
    /// Back to `queued`, still its link's head, not claimed before `notBefore`. `answeredAt`
    /// nil: the relay never answered (not reached, timed out), so the robot's budget is not charged.
    case retry(reason: String, notBefore: Date, answeredAt: Date?)
}
