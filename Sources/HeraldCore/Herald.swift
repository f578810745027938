import Foundation
import HeraldTemplate

/// The embedding API (docs/embedding.md): load a job file or build a `Job` in code, and plan
/// it — the exact request bodies `herald send --dry-run` prints. Everything throws one
/// `HeraldError` carrying the diagnostics. Preparation is synchronous work (files, the
/// rendering threads); these calls run it on a thread of their own, so an async caller's
/// cooperative thread is never held by it.
public enum Herald {
    /// The variable a per-event plan binds the event to (SPEC §11, "Binding").
    public static let eventVariable = "event"

    /// Reads and checks the job file at `url`; `options` give the environment (`${NAME}`),
    /// whether secrets must be set, and the `endpoint` override. Its warnings are in `Job.warnings`.
    public static func load(jobAt url: URL, options: PlanningOptions = PlanningOptions()) async throws(HeraldError) -> Job {
        try await DedicatedThread.run { JobPreparation.load(path: url.path, options: options) }.get()
    }

    /// Loads the job file at `url` and plans it.
    public static func plan(jobAt url: URL, options: PlanningOptions = PlanningOptions()) async throws(HeraldError) -> Plan {
        try await prepare(jobAt: url, options: options).plan
    }

    /// Loads the job file at `url` and prepares it: the plan, the warnings, and the rendered
    /// messages when `options.keepsMessages`.
    public static func prepare(jobAt url: URL, options: PlanningOptions = PlanningOptions()) async throws(HeraldError) -> PreparedJob {
        try await DedicatedThread.run { JobPreparation.prepare(path: url.path, options: options) }.get()
    }

    /// Plans a job loaded or built in code (`options.endpoint` does not apply: the job carries its endpoint).
    public static func plan(job: Job, options: PlanningOptions = PlanningOptions()) async throws(HeraldError) -> Plan {
        try await prepare(job: job, options: options).plan
    }

    /// Prepares a job loaded or built in code; its `warnings` are reported again in the result's.
    public static func prepare(job: Job, options: PlanningOptions = PlanningOptions()) async throws(HeraldError) -> PreparedJob {
        try await DedicatedThread.run {
            var log = DiagnosticLog()
            log.append(contentsOf: job.warnings)
            return JobPreparation.prepare(job: job, log: log, options: options)
        }.get()
    }

    /// Plans one event (what `herald serve` stores for a payload): `messages` — a route's, or nil
    /// for the job's own — expanded, rendered, fitted and planned exactly as a job whose
    /// `messages` they are and whose `vars` hold `event` as the variable `event` (it replaces a
    /// job var of that name). `options.now` is the moment the event was accepted.
    public static func plan(job: Job, event: Value, messages: [MessageEntry]? = nil,
                            options: PlanningOptions = PlanningOptions()) async throws(HeraldError) -> Plan {
        try await prepare(job: job, event: event, messages: messages, options: options).plan
    }

    /// `plan(job:event:messages:options:)`, with the messages when `options.keepsMessages`.
    public static func prepare(job: Job, event: Value, messages: [MessageEntry]? = nil,
                               options: PlanningOptions = PlanningOptions()) async throws(HeraldError) -> PreparedJob {
        try await prepare(job: job.binding(event: event, messages: messages), options: options)
    }

    /// A JSON text (an event's payload, say) as a value: object keys in order, numbers as a JSON
    /// data file's (docs/job-file.md). `path` names it in diagnostics.
    public static func value(json: String, path: String = "<event>") throws(HeraldError) -> Value {
        try JobPreparation.jsonValue(json, path: path).get()
    }
}

extension Job {
    /// The job an event is planned as: the route's messages (or its own) and `event` among its vars.
    package func binding(event: Value, messages: [MessageEntry]?) -> Job {
        var job = self
        if let messages { job.messages = messages }
        job.vars[Herald.eventVariable] = event
        return job
    }
}
