import Foundation
import HeraldCore
import HeraldSend
import HeraldTemplate

/// The job a server serves, with what every request needs from it: its routes, the relay
/// endpoints and the secrets to mask. SIGHUP swaps it whole (`JobSlot`).
package struct ServedJob: Sendable {
    package var job: Job
    package var settings: ServeSettings
    package var secrets: Secrets
    /// The job's `access_token`, else `KDOCS_ACCESS_TOKEN`.
    package var token: String
    package var loadedAt: Date

    /// Loads and checks `options.jobPath` with the secrets required (a real server sends):
    /// diagnostics as a `HeraldError`.
    package static func load(_ options: ServeOptions) async throws(HeraldError) -> ServedJob {
        let planning = PlanningOptions(timeZone: options.timeZone, endpoint: options.endpoint, environment: options.environment,
                                       keepsMessages: false, requiresSecrets: true, requiresServeSecrets: true)
        // The path as given, so diagnostics name the file as the user wrote it.
        let path = options.jobPath
        let job = try await DedicatedThread.run { JobPreparation.load(path: path, options: planning) }.get()
        guard let settings = job.serve else {
            throw HeraldError([Diagnostic(.error, at: SourcePosition(path: job.path, line: 1, column: 1),
                                          "the job has no 'serve:' key; herald serve needs its routes (docs/serving.md)")])
        }
        if let name = settings.unsetSecrets.first {
            throw HeraldError([Diagnostic(.error, at: settings.position ?? SourcePosition(path: job.path, line: 1, column: 1),
                                          "'serve.auth' uses ${\(name)}, which is not set; set it in the environment (a server without its credentials would refuse every caller)")])
        }
        guard !settings.routes.isEmpty else {
            throw HeraldError([Diagnostic(.error, at: settings.position ?? SourcePosition(path: job.path, line: 1, column: 1),
                                          "'serve:' has no routes; add one under serve.routes (docs/serving.md)")])
        }
        guard let token = job.accessToken ?? options.environment["KDOCS_ACCESS_TOKEN"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw HeraldError([Diagnostic(.error, at: SourcePosition(path: job.path, line: 1, column: 1),
                                          "no access token: set KDOCS_ACCESS_TOKEN, or 'access_token: ${KDOCS_ACCESS_TOKEN}' in the job")])
        }
        return ServedJob(job: job, settings: settings, secrets: secrets(of: job, settings: settings, token: token, options: options),
                         token: token, loadedAt: Date())
    }

    /// Every link and sk of the job's recipients, the token, proxy passwords and the server's own credentials.
    static func secrets(of job: Job, settings: ServeSettings, token: String, options: ServeOptions) -> Secrets {
        var extra = options.send.proxy.secrets
        switch settings.auth {
        case .bearer(let token)?: extra.append(token)
        case .basic(_, let password)?: extra.append(password)
        case nil: break
        }
        let links = job.recipientOrder.compactMap { job.recipients[$0] }.map { (link: $0.link, sk: $0.sk) }
        return Secrets(token: token, links: links, extra: extra)
    }

    /// Where each platform's requests go, with the token in the URL.
    package var relayURLs: [Platform: String] {
        var urls: [Platform: String] = [.wecom: HTTPTransport.url(endpoint: job.endpoint, token: token)]
        if let dingtalk = job.relayEndpoint(for: .dingtalk) { urls[.dingtalk] = HTTPTransport.url(endpoint: dingtalk, token: token) }
        return urls
    }
}

/// The job being served; SIGHUP replaces it only with one that loaded cleanly.
package final class JobSlot: Sendable {
    private let current: Locked<ServedJob>
    package init(_ job: ServedJob) { current = Locked(job) }
    package var job: ServedJob { current.withLock { $0 } }
    package func replace(with job: ServedJob) { current.withLock { $0 = job } }
}
