/// How a real send behaves (the `herald send` flags).
public struct SendOptions: Sendable {
    /// The relay's access token; sent only in the request URL.
    public var accessToken: String
    /// Links sent to at once (`--concurrency`).
    public var concurrency: Int
    /// Connect and read timeout per attempt, seconds (`--timeout`).
    public var timeout: Double
    /// Retries after the first attempt (`--retries`): 3 means at most 4 attempts.
    public var retries: Int
    /// Full-jitter exponential backoff: a random wait in [0, min(cap, base·2^(attempt−1))).
    public var backoffBase: Double
    public var backoffCap: Double
    /// The longest `Retry-After` honoured, seconds.
    public var retryAfterCap: Double
    /// WeCom's rate window: after a 45009 ("api freq out of limit") Herald waits this long.
    public var rateWindow: Double

    public init(accessToken: String, concurrency: Int = 8, timeout: Double = 30, retries: Int = 3,
                backoffBase: Double = 0.5, backoffCap: Double = 30, retryAfterCap: Double = 120, rateWindow: Double = 60) {
        self.accessToken = accessToken
        self.concurrency = max(1, concurrency)
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.retryAfterCap = retryAfterCap
        self.rateWindow = rateWindow
    }
}
