import Foundation
import HeraldCore

/// One attempt of one request: the POST through the transport seam and what its answer means,
/// with every relay text scrubbed. `herald send`'s runner and `herald serve`'s delivery loop
/// both send through it, so an answer means the same thing to both (docs/sending.md).
package struct RelayAttempt: Sendable {
    package var verdict: Verdict
    package var httpStatus: Int?
    package var code: Int?
    package var msg: String?
    package var hint: String?

    package static func perform(body: [UInt8], platform: Platform, transport: any RelayTransport,
                                secrets: Secrets, options: SendOptions) async -> RelayAttempt {
        do {
            let response = try await transport.post(body: body, platform: platform)
            let (verdict, relay) = ResponseClassifier.classify(status: response.status, body: response.body, retryAfter: response.retryAfter,
                                                               now: Date(), options: options, location: response.location)
            return RelayAttempt(verdict: verdict.scrubbed(secrets), httpStatus: relay.status, code: relay.code,
                                msg: relay.msg.map(secrets.scrub), hint: relay.hint.map(secrets.scrub))
        } catch {
            let reason = secrets.scrub(error.description)
            let verdict: Verdict = error.isUncertain ? .uncertain(reason: reason)
                : error.isFinal ? .final(reason: reason) : .retry(after: nil, reason: reason, wait: .backoff)
            return RelayAttempt(verdict: verdict)
        }
    }

    /// The wait before retry number `attempt` (1 = the first retry) when the relay asked for
    /// none: capped exponential backoff with full jitter.
    package static func backoff(attempt: Int, base: Double, cap: Double, random: Double) -> Double {
        random * min(cap, base * pow(2, Double(max(0, attempt - 1))))
    }
}
