/// How a real send behaves (the `herald send` flags).
public struct SendOptions: Sendable {
    /// The relay's access token; sent only in the request URL.
    public var accessToken: String
    /// Requests in flight at once, and connections (`--concurrency`). A link waiting for its
    /// window holds none.
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
    /// The robots' rate window, seconds: `rate_limit` messages per window, and the wait after
    /// a 45009/130101. 60 on WeCom and DingTalk; tests shorten it.
    public var rateWindow: Double
    /// `--proxy` and the proxy environment, resolved.
    public var proxy: ProxySettings
    /// Trusted roots added to the system's (`SSL_CERT_FILE`, `--cacert`).
    public var tls: TLSSettings
    /// The state folder for each robot's budget shared with other herald processes
    /// (`--state-dir`); nil: each run paces alone.
    public var stateDirectory: String?
    /// Send again what an earlier run with the journal left uncertain (`--resend-uncertain`).
    public var resendUncertain = false

    public init(accessToken: String, concurrency: Int = 8, timeout: Double = 30, retries: Int = 3,
                backoffBase: Double = 0.5, backoffCap: Double = 30, retryAfterCap: Double = 120, rateWindow: Double = 60,
                proxy: ProxySettings = .none, tls: TLSSettings = .system, stateDirectory: String? = nil) {
        self.accessToken = accessToken
        self.concurrency = max(1, concurrency)
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.retryAfterCap = retryAfterCap
        self.rateWindow = rateWindow
        self.proxy = proxy
        self.tls = tls
        self.stateDirectory = stateDirectory
    }

    /// `$XDG_STATE_HOME/herald` (when absolute), else `~/.local/state/herald`; nil without either.
    public static func defaultStateDirectory(environment: [String: String]) -> String? {
        SharedBudget.defaultDirectory(environment: environment)
    }
}
