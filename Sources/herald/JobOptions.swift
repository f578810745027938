import ArgumentParser
import Foundation
import HeraldCore
import HeraldTemplate

/// What every command takes to turn a job file into a plan.
struct JobOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The job file (YAML); '-' reads it from standard input.", valueName: "JOB"))
    var job: String

    @Option(name: .customLong("var"), help: ArgumentHelp("Set a variable, overriding the job's (repeatable): --var version=2.0; NAME=@FILE binds the file's text as it is, NAME=@@… a value starting with '@'.", valueName: "NAME=VALUE"))
    var vars: [String] = []

    @Option(name: .customLong("vars-file"), help: ArgumentHelp("A YAML or JSON map of variables, overriding the job's (repeatable).", valueName: "FILE"))
    var varsFiles: [String] = []

    @Option(help: ArgumentHelp("The run's time for {{now}} and {{today}}, ISO 8601: 2026-11-25T09:30:00+08:00.", valueName: "ISO8601"))
    var now: String?

    @Option(help: ArgumentHelp("Time zone for {{now}}, {{today}} and the date filter (IANA name, e.g. Asia/Shanghai); default: the system's.", valueName: "TZ"))
    var timezone: String?

    @Option(help: ArgumentHelp("Relay endpoint, replacing the job's 'endpoint'.", valueName: "URL"))
    var endpoint: String?

    @Option(help: ArgumentHelp("Keep only this recipient or group (repeatable).", valueName: "NAME"))
    var only: [String] = []

    @Option(help: ArgumentHelp("A JSON event (a saved Alertmanager or Grafana payload, say), planned with a 'serve' route's messages as 'herald serve' would; '-' reads it from standard input.", valueName: "FILE"))
    var event: String?

    @Option(help: ArgumentHelp("With --event: the route it is posted to (POST /events/NAME); needed when the job has several.", valueName: "NAME"))
    var route: String?

    func validate() throws {
        for assignment in vars where !assignment.contains("=") || assignment.hasPrefix("=") {
            throw ValidationError("--var takes NAME=VALUE, got '\(assignment)'")
        }
        if let now, ISO8601.parse(now) == nil {
            throw ValidationError("--now takes an ISO 8601 time with a zone, like 2026-11-25T09:30:00+08:00 or 2026-11-25T01:30:00Z; got '\(now)'")
        }
        if route != nil, event == nil {
            throw ValidationError("--route goes with --event FILE: the event to plan with that route's messages")
        }
        if event == "-", job == "-" {
            throw ValidationError("the job and --event cannot both be read from standard input; save one to a file")
        }
        if let timezone, TimeZone(identifier: timezone) == nil {
            throw ValidationError("--timezone '\(timezone)' is not a known time zone; use an IANA name like Asia/Shanghai or UTC")
        }
    }

    /// Loads and plans the job; on failure prints the diagnostics and exits 2.
    /// `resumeNow`: the time of an unfinished journaled run, used unless --now is given.
    /// `keepsMessages`: false when only the plan is needed (sending, the exact dry run).
    /// `sending`: a real send, so an unset `${NAME}` in a secret is an error (a dry run shows it as it is).
    /// `needsMessages`: a job with only `serve:` routes and no `--event` has nothing to plan: an error
    /// (false for `check`, which checks the routes' templates at load).
    /// `failed`: given the diagnostics of a job that cannot be prepared (for `--report`).
    func prepare(output: DiagnosticOutput, resumeNow: Date? = nil, keepsMessages: Bool = true, sending: Bool = false,
                 needsMessages: Bool = true, failed: ([Diagnostic]) -> Void = { _ in }) throws -> PreparedJob {
        let options = try planningOptions(output: output, resumeNow: resumeNow, keepsMessages: keepsMessages, sending: sending, failed: failed)
        return try finish(preparation(options.planning), varNames: options.varNames, needsMessages: needsMessages, output: output, failed: failed)
    }

    /// The same for an async command: the preparation runs on a thread of its own, so it does
    /// not hold a cooperative thread (one hop for the whole job).
    func prepareAsync(output: DiagnosticOutput, resumeNow: Date? = nil, keepsMessages: Bool = true, sending: Bool = false,
                      needsMessages: Bool = true, failed: ([Diagnostic]) -> Void = { _ in }) async throws -> PreparedJob {
        let options = try planningOptions(output: output, resumeNow: resumeNow, keepsMessages: keepsMessages, sending: sending, failed: failed)
        let prepare = preparation
        let result = await DedicatedThread.run { prepare(options.planning) }
        return try finish(result, varNames: options.varNames, needsMessages: needsMessages, output: output, failed: failed)
    }

    /// The job's own messages, or with `--event` the route's, planned for that event.
    private var preparation: @Sendable (PlanningOptions) -> Result<PreparedJob, HeraldError> {
        let path = job, event = event, route = route
        return { options in
            guard let event else { return JobPreparation.prepare(path: path, options: options) }
            let job: Job, chosen: EventRoute, payload: Value
            switch JobPreparation.load(path: path, options: options) {
            case .failure(let error): return .failure(error)
            case .success(let loaded): job = loaded
            }
            switch JobPreparation.route(route, in: job) {
            case .failure(let error): return .failure(HeraldError(job.warnings + error.diagnostics))
            case .success(let found): chosen = found
            }
            switch JobPreparation.readEvent(path: event) {
            case .failure(let error): return .failure(HeraldError(job.warnings + error.diagnostics))
            case .success(let value): payload = value
            }
            return JobPreparation.prepare(job: job, event: payload, route: chosen, eventPath: event == "-" ? "<stdin>" : event, options: options)
        }
    }

    /// The route `--event` was planned with (named, or the job's only one).
    func routeName(in job: Job) -> String? { route ?? job.serve?.routes.first?.name }

    /// The flags as planning options, and the `--var` names (for the unread-variable warnings).
    private func planningOptions(output: DiagnosticOutput, resumeNow: Date?, keepsMessages: Bool, sending: Bool,
                                 failed: ([Diagnostic]) -> Void) throws -> (planning: PlanningOptions, varNames: [String]) {
        let environment = ProcessInfo.processInfo.environment
        var overrides = OrderedMap()
        for path in varsFiles {
            switch JobPreparation.loadVarsFile(path, environment: environment) {
            case .success(let vars): overrides = overrides.merging(vars)
            case .failure(let error):
                output.print(error.diagnostics)
                failed(error.diagnostics)
                throw ExitCode(2)
            }
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var varNames: [String] = []
        for assignment in vars {
            switch CommandLineVariable.parse(assignment, workingDirectory: cwd) {
            case .success(let (name, value)):
                overrides[name] = value
                varNames.append(name)
            case .failure(let diagnostic):
                output.print([diagnostic])
                throw ExitCode(2)
            }
        }
        // HERALD_THREADS (benchmarks, bisecting): how many threads render; 1 is the sequential run.
        let threads = environment["HERALD_THREADS"].flatMap(Int.init).flatMap { (1...256).contains($0) ? $0 : nil }
        let options = PlanningOptions(
            now: now.flatMap(ISO8601.parse) ?? resumeNow,
            timeZone: timezone.flatMap(TimeZone.init(identifier:)) ?? .current,
            overrides: overrides, only: only, endpoint: endpoint, environment: environment,
            threads: threads, keepsMessages: keepsMessages, requiresSecrets: sending)
        return (options, varNames)
    }

    private func finish(_ result: Result<PreparedJob, HeraldError>, varNames: [String], needsMessages: Bool, output: DiagnosticOutput,
                        failed: ([Diagnostic]) -> Void) throws -> PreparedJob {
        switch result {
        case .success(var prepared):
            if needsMessages, event == nil, let serve = prepared.job.serve, prepared.job.messages.isEmpty {
                let routes = serve.routeNames.joined(separator: ", ")
                let error = Diagnostic.error(at: serve.position ?? SourcePosition(path: prepared.job.path, line: 1, column: 1),
                                             "this job has no top-level 'messages', only 'serve' routes (\(routes)): give --event FILE (and --route NAME) to plan one event, or run it with 'herald serve'")
                output.print(prepared.warnings + [error])
                failed(prepared.warnings + [error])
                throw ExitCode(2)
            }
            prepared.warnings += UnreadVariables.warnings(for: varNames, in: prepared.job)
            output.print(prepared.warnings)
            return prepared
        case .failure(let error):
            output.print(error.diagnostics)
            failed(error.diagnostics)
            throw ExitCode(2)
        }
    }
}
