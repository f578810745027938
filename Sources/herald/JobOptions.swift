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

    func validate() throws {
        for assignment in vars where !assignment.contains("=") || assignment.hasPrefix("=") {
            throw ValidationError("--var takes NAME=VALUE, got '\(assignment)'")
        }
        if let now, ISO8601.parse(now) == nil {
            throw ValidationError("--now takes an ISO 8601 time with a zone, like 2026-11-25T09:30:00+08:00 or 2026-11-25T01:30:00Z; got '\(now)'")
        }
        if let timezone, TimeZone(identifier: timezone) == nil {
            throw ValidationError("--timezone '\(timezone)' is not a known time zone; use an IANA name like Asia/Shanghai or UTC")
        }
    }

    /// Loads and plans the job; on failure prints the diagnostics and exits 2.
    /// `resumeNow`: the time of an unfinished journaled run, used unless --now is given.
    /// `keepsMessages`: false when only the plan is needed (sending, the exact dry run).
    /// `sending`: a real send, so an unset `${NAME}` in a secret is an error (a dry run shows it as it is).
    /// `failed`: given the diagnostics of a job that cannot be prepared (for `--report`).
    func prepare(output: DiagnosticOutput, resumeNow: Date? = nil, keepsMessages: Bool = true, sending: Bool = false,
                 failed: ([Diagnostic]) -> Void = { _ in }) throws -> PreparedJob {
        let options = try planningOptions(output: output, resumeNow: resumeNow, keepsMessages: keepsMessages, sending: sending, failed: failed)
        return try finish(JobPreparation.prepare(path: job, options: options.planning), varNames: options.varNames, output: output, failed: failed)
    }

    /// The same for an async command: the preparation runs on a thread of its own, so it does
    /// not hold a cooperative thread (one hop for the whole job).
    func prepareAsync(output: DiagnosticOutput, resumeNow: Date? = nil, keepsMessages: Bool = true, sending: Bool = false,
                      failed: ([Diagnostic]) -> Void = { _ in }) async throws -> PreparedJob {
        let options = try planningOptions(output: output, resumeNow: resumeNow, keepsMessages: keepsMessages, sending: sending, failed: failed)
        let path = job
        let result = await DedicatedThread.run { JobPreparation.prepare(path: path, options: options.planning) }
        return try finish(result, varNames: options.varNames, output: output, failed: failed)
    }

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

    private func finish(_ result: Result<PreparedJob, HeraldError>, varNames: [String], output: DiagnosticOutput,
                        failed: ([Diagnostic]) -> Void) throws -> PreparedJob {
        switch result {
        case .success(var prepared):
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
