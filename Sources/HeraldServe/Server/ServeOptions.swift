import Foundation
import HeraldCore
import HeraldSend

/// How `herald serve` runs (its flags, SPEC §11 "CLI"); the job file says what it serves.
package struct ServeOptions: Sendable {
    package var jobPath: String
    /// `--listen`; nil: the job's `serve.listen`.
    package var listen: ListenAddress?
    /// Sending: the token, `--concurrency`, `--timeout`, the proxy and TLS settings, the
    /// backoff (its cap is 60 s for serve: a relay outage is waited out, not given up on).
    package var send: SendOptions
    /// `--give-up-after`: how long a request that keeps failing in a way that may pass is retried.
    package var giveUpAfter: Double = 3600
    /// `--drain-timeout`: how long requests in flight may take to finish at SIGTERM.
    package var drainTimeout: Double = 30
    package var timeZone: TimeZone = .current
    /// `--endpoint`: replaces the job's endpoint.
    package var endpoint: String?
    package var environment: [String: String] = [:]
    package var logFormat: LogFormat = .text
    /// How long a connection may stay idle, and how long a request body may take to arrive.
    package var idleTimeout: Double = 30
    package var bodyTimeout: Double = 10

    package init(jobPath: String, send: SendOptions) {
        self.jobPath = jobPath
        self.send = send
    }
}

package enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}
