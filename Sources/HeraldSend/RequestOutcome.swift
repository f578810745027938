/// What happened to one planned request.
public struct RequestOutcome: Sendable {
    public enum Status: String, Sendable {
        case delivered
        case failed
        case notSent = "not_sent"
        /// Sent, but whether the relay delivered it is unknown: its answer was lost (a timeout
        /// after the request went out, a cut answer) or an earlier run was killed while it was in
        /// flight. Never retried on its own: a resume sends it only with `--resend-uncertain`.
        case uncertain
        /// Delivered by an earlier run recorded in the journal.
        case skipped
    }

    public var index: Int
    public var link: String
    /// The job's names for the robot (the recipients with this link), for people reading the report.
    public var recipients: [String] = []
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
    /// Time spent waiting before its attempts, in seconds: the sum of `waits`.
    public var waited: Double = 0
    /// That time by reason.
    public var waits: [WaitReason: Double] = [:]

    public init(index: Int, link: String, messages: Int, contentID: String, status: Status, error: String? = nil) {
        self.index = index
        self.link = link
        self.messages = messages
        self.contentID = contentID
        self.status = status
        self.error = error
    }

    mutating func addWait(_ seconds: Double, _ reason: WaitReason) {
        guard seconds > 0 else { return }
        waits[reason, default: 0] += seconds
        waited += seconds
    }
}

/// Why a request waited before an attempt (the report's `waits`, the progress line).
public enum WaitReason: String, Sendable, CaseIterable, Comparable {
    /// Its own link's window: `rate_limit` messages per 60 s, counted from each answer.
    case pacing
    /// Other herald processes on this machine sent to the same robot (the state file).
    case sharedBudget = "shared budget"
    /// The server asked for it (HTTP 429 or 5xx with `Retry-After`).
    case retryAfter = "Retry-After"
    /// WeCom's "api freq out of limit": the robot's window is full.
    case weComRateLimit = "45009"
    /// DingTalk's "send too fast".
    case dingTalkRateLimit = "130101"
    /// Exponential backoff with jitter after a transport error, 5xx or 429 without `Retry-After`.
    case backoff
    /// Every `--concurrency` slot was busy.
    case concurrency

    public static func < (a: WaitReason, b: WaitReason) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
