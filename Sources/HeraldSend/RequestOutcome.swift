/// What happened to one planned request.
public struct RequestOutcome: Sendable {
    public enum Status: String, Sendable {
        case delivered
        case failed
        case notSent = "not_sent"
        /// Delivered by an earlier run recorded in the journal.
        case skipped
    }

    public var index: Int
    public var link: String
    public var messages: Int
    public var contentID: String
    public var status: Status
    public var attempts: Int = 0
    public var httpStatus: Int?
    public var code: Int?
    public var msg: String?
    public var hint: String?
    /// Why it failed or was not sent (secrets scrubbed).
    public var error: String?
    public var duration: Double = 0
    /// Time spent waiting for pacing and backoff.
    public var waited: Double = 0
}
