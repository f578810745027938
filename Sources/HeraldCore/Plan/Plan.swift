import Foundation

/// The ordered list of relay requests a job turns into. Dry run, `plan`, `render`
/// and the runner all read the same Plan, so what is printed is what is sent.
public struct Plan: Sendable {
    public var jobName: String
    /// The WeCom relay endpoint, without the query string.
    public var endpoint: String
    /// The DingTalk relay endpoint; nil when it cannot be derived (then the plan has no DingTalk requests).
    public var dingtalkEndpoint: String?
    /// The run's time (`{{now}}`), kept so a resumed run renders the same bytes.
    public var now: Date
    /// Most messages per link per 60 s; 0 means no pacing.
    public var rateLimit: Int
    public var requests: [PlannedRequest]

    public init(jobName: String, endpoint: String, dingtalkEndpoint: String? = nil, now: Date, rateLimit: Int, requests: [PlannedRequest]) {
        self.jobName = jobName
        self.endpoint = endpoint
        self.dingtalkEndpoint = dingtalkEndpoint
        self.now = now
        self.rateLimit = rateLimit
        self.requests = requests
    }

    /// Requests grouped per link, links in first-appearance order, requests in plan order.
    public var lanes: [[PlannedRequest]] { LinkGroups(requests, link: \.link).groups }

    public var messageCount: Int { requests.reduce(0) { $0 + $1.messageCount } }

    /// Where a request goes: its platform's relay endpoint.
    public func endpoint(for request: PlannedRequest) -> String {
        switch request.platform {
        case .wecom: return endpoint
        case .dingtalk: return dingtalkEndpoint ?? endpoint
        }
    }
}

/// One POST to the relay: `{"link":…,"sk":…,"data":[…]}`.
public struct PlannedRequest: Sendable, Hashable {
    /// 0-based position in the plan.
    public var index: Int
    public var link: String
    public var sk: String?
    /// How many WeCom messages are in `data`.
    public var messageCount: Int
    /// The exact request body (what `--dry-run` prints).
    public var body: [UInt8]
    /// Lowercase hex SHA-256 of the link's UTF-8, one NUL byte, then the body (the journal's key).
    /// Computed on demand: a dry run never needs it (docs/performance.md).
    public var contentID: String { RequestEncoder.contentID(link: link, body: body) }
    /// 1-based entries of `messages:` that produced this request's messages, in order.
    public var sourceMessages: [Int]
    /// The robot's platform: which relay endpoint the request goes to.
    public var platform: Platform
    /// The parts of split messages this request carries, in order (empty when none is split).
    public var parts: [PartReference] = []

    public init(index: Int, link: String, sk: String?, messageCount: Int, body: [UInt8], sourceMessages: [Int], platform: Platform = .wecom) {
        self.platform = platform
        self.index = index
        self.link = link
        self.sk = sk
        self.messageCount = messageCount
        self.body = body
        self.sourceMessages = sourceMessages
    }

    /// The link as it may be shown outside the dry-run body.
    public var maskedLink: String { LinkMask.mask(link) }
}

/// Part `part` of `count` of message entry `message` (a split message's part in a request).
public struct PartReference: Sendable, Hashable {
    public var message: Int
    public var part: Int
    public var count: Int
}
