import ArgumentParser
import Foundation
import HeraldCore
import HeraldTemplate
import HeraldSend

/// The flags of a real send and the send itself, shared by every command that sends a plan
/// (`send`, `notify`): settings and files checked, journal opened, the plan made, sent,
/// outcomes printed, the report written.
struct SendingOptions: ParsableArguments {
    @Option(help: "Requests in flight at once (and connections), 1 to 256; links waiting for their window hold none.") var concurrency = 8
    @Option(help: ArgumentHelp("Record outcomes here; a re-run skips what was delivered.", valueName: "FILE")) var journal: String?
    @Option(help: ArgumentHelp("Write a JSON report of every request's outcome.", valueName: "FILE")) var report: String?
    @Option(help: "The most one attempt may take, connecting to the whole answer, in seconds (up to 3600). An answer later than this leaves the request uncertain: never retried.") var timeout: Double = 30
    @Option(help: "Retries after the first attempt of a request, 0 to 100.") var retries = 3
    @Flag(help: "Send again what an earlier run with this --journal sent without learning the outcome (uncertain); by default they are not sent twice.")
    var resendUncertain = false
    @Flag(help: "No progress line (the summary is still printed).") var quiet = false
    @Option(help: ArgumentHelp("HTTP CONNECT proxy, http://host:port; wins over HTTPS_PROXY and the like ('' for none). Keep a password out of the process list: put it in HTTPS_PROXY or --proxy-credentials-file.", valueName: "URL"))
    var proxy: String?
    @Option(help: ArgumentHelp("A file whose first line is the proxy's user:password (for a proxy URL without credentials).", valueName: "FILE"))
    var proxyCredentialsFile: String?
    @Option(help: ArgumentHelp("Also trust the CA certificates in this PEM file (a company CA).", valueName: "FILE")) var cacert: String?
    @Option(help: ArgumentHelp("Where robots' budgets shared by herald runs are kept (default: $XDG_STATE_HOME/herald or ~/.local/state/herald).", valueName: "DIR"))
    var stateDir: String?

    func validate() throws {
        if !(1...256).contains(concurrency) { throw ValidationError("--concurrency must be from 1 to 256, got \(concurrency)") }
        if !(timeout > 0 && timeout <= 3600) { throw ValidationError("--timeout must be more than 0 and at most 3600 seconds, got \(timeout)") }
        if !(0...100).contains(retries) { throw ValidationError("--retries must be from 0 to 100, got \(retries)") }
    }

    /// The checks that need the dry-run flag too (each command's `validate` calls it).
    func validate(dryRun: Bool) throws {
        if dryRun, resendUncertain { throw ValidationError("--resend-uncertain goes with a real send (and --journal)") }
        if resendUncertain, journal == nil { throw ValidationError("--resend-uncertain goes with --journal: it is the journal that knows what was uncertain") }
    }

    /// What the send needs to know of the command that plans.
    struct Planning {
        /// The job as the report names it (the job file's path as given).
        var job: String
        /// `--now` as given, and the zone times are shown in.
        var now: String?
        var timeZone: TimeZone
        /// Makes the plan, given the time of the run a journal recorded (nil for none); on
        /// failure prints the diagnostics, hands them to `failed` (for the report) and throws.
        var prepare: (_ recordedNow: Date?, _ failed: ([Diagnostic]) -> Void) async throws -> PreparedJob
    }

    /// Sends the plan; exits 2 before sending anything when a setting, a file or the token is wrong.
    func send(output: DiagnosticOutput, _ planning: Planning) async throws {
        // Settings that could make every request fail, and the files the run writes, are
        // checked before anything is planned or sent.
        let environment = ProcessInfo.processInfo.environment
        let proxySettings: ProxySettings
        let tlsSettings: TLSSettings
        do {
            proxySettings = try ProxySettings.resolve(flag: proxy, environment: environment, credentialsFile: proxyCredentialsFile)
            tlsSettings = try TLSSettings.load(cacert: cacert, environment: environment)
        } catch let error as ProxySettings.InvalidProxy {
            output.note("error: \(error.description); nothing was sent")
            throw ExitCode(2)
        } catch let error as TLSSettings.InvalidFile {
            output.note("error: \(error.description); nothing was sent")
            throw ExitCode(2)
        }
        let stateDirectory = stateDir ?? SendOptions.defaultStateDirectory(environment: environment)
        var reportFile: ReportFile?
        if let report {
            do {
                reportFile = try ReportFile.prepare(path: report, journal: journal)
            } catch {
                output.note("error: \(error.description); nothing was sent")
                throw ExitCode(2)
            }
        }

        var journalFile: Journal?
        /// Exit 2 from here on: the report says why, and a journal this run created goes away.
        func refuse(_ diagnostics: [String]) {
            journalFile?.removeIfUnused()
            do {
                try reportFile?.write(RunResult.refusedReportJSON(job: planning.job, diagnostics: diagnostics))
            } catch {
                output.note("warning: \(error.description)")
            }
        }
        func refuse(note: String) throws -> Never {
            output.note(note)
            refuse(["herald: " + note])
            throw ExitCode(2)
        }
        if let journal {
            do {
                journalFile = try Journal.open(path: journal)
            } catch {
                try refuse(note: "error: \(error.description); nothing was sent")
            }
            for warning in journalFile?.warnings ?? [] { output.note("warning: \(warning)") }
            if let recorded = journalFile?.recordedNow {
                let zone = planning.timeZone
                if let given = planning.now.flatMap(ISO8601.parse), abs(given.timeIntervalSince(recorded)) >= 0.001 {
                    try refuse(note: "error: --now \(planning.now ?? "") differs from the run recorded in journal \(journal) (now = \(ISO8601.format(recorded, in: zone))); a journal is one run: leave out --now to continue it, or give a new journal for a new run; nothing was sent")
                }
                if planning.now == nil {
                    output.note("continuing the run recorded in \(journal) (now = \(ISO8601.format(recorded, in: zone)))")
                }
            }
        }
        let prepared: PreparedJob
        do {
            prepared = try await planning.prepare(journalFile?.recordedNow) { refuse($0.map(\.description)) }
        } catch {
            journalFile?.removeIfUnused()
            throw error
        }
        guard let token = prepared.accessToken else {
            try refuse(note: "error: no access token: set KDOCS_ACCESS_TOKEN, or 'access_token: ${KDOCS_ACCESS_TOKEN}' in the job; nothing was sent")
        }
        do {
            try journalFile?.beginRun(job: prepared.plan.jobName, now: prepared.plan.now)
        } catch {
            try refuse(note: "error: \(error.description); nothing was sent")
        }

        let progress = Progress(live: !quiet && standardErrorIsATerminal)
        if stateDirectory == nil, prepared.plan.rateLimit > 0 {
            progress.warn("no state folder (neither XDG_STATE_HOME nor HOME is set, and no --state-dir): this run paces each robot alone")
        }
        var sendOptions = SendOptions(accessToken: token, concurrency: concurrency, timeout: timeout, retries: retries,
                                      proxy: proxySettings, tls: tlsSettings, stateDirectory: stateDirectory)
        sendOptions.resendUncertain = resendUncertain
        let runner = Runner(options: sendOptions, journal: journalFile, progress: progress)
        let plan = prepared.plan
        // First signal (SIGINT, SIGTERM or SIGHUP): stop starting requests; in-flight ones get
        // up to a timeout's grace, then are cancelled (and reported uncertain if they were sent).
        // The trap is set before the run starts, so no request goes out without it.
        let grace = timeout * 2 + 1
        let running = Locked<Task<RunResult, Never>?>(nil)
        let trap = SignalTrap(stopping: {
            runner.interrupt()
            Task {
                try? await Task.sleep(for: .seconds(grace))
                running.withLock { $0 }?.cancel()
            }
        })
        let task = Task { await runner.run(plan) }
        running.withLock { $0 = task }
        var result = await task.value
        trap.cancel()
        // Named only where a person reads them (failure lines, the report): a hash per link otherwise wasted.
        if reportFile != nil || result.outcomes.contains(where: { $0.status == .failed || $0.status == .uncertain }) {
            result.nameRecipients(Dictionary(grouping: prepared.job.recipients.values, by: \.link).mapValues { $0.map(\.name).sorted() },
                                  links: plan.requests.map(\.link))
        }

        for outcome in result.outcomes where outcome.status == .failed || (outcome.status == .uncertain && outcome.attempts > 0) {
            let what = outcome.status == .failed ? "failed" : "is uncertain"
            let robot = outcome.recipients.isEmpty ? outcome.link : "\(outcome.recipients.joined(separator: ", ")) (\(outcome.link))"
            var line = "request \(outcome.index + 1) to \(robot) \(what) after \(outcome.attempts) attempt\(outcome.attempts == 1 ? "" : "s")"
            if let status = outcome.httpStatus { line += ": HTTP \(status)" }
            if let code = outcome.code { line += ", code \(code)" }
            if let msg = outcome.msg, !msg.isEmpty { line += ", msg: \(msg)" }
            if let hint = outcome.hint, !hint.isEmpty { line += ", hint: \(hint)" }
            if let error = outcome.error { line += outcome.httpStatus == nil ? ": \(error)" : " (\(error))" }
            output.note(line)
        }
        let earlier = result.outcomes.filter { $0.status == .uncertain && $0.attempts == 0 }.count
        if earlier > 0 {
            output.note("\(earlier) request\(earlier == 1 ? " was" : "s were") sent by an earlier run whose outcome is unknown; not sent again (check the chat, then re-run with --resend-uncertain to send \(earlier == 1 ? "it" : "them") anyway)")
        }
        if let reportFile {
            do {
                try reportFile.write(result.reportJSON)
            } catch {
                output.note("error: \(error.description)")
                writeStandardError((result.summary + "\n"))
                throw ExitCode(result.exitCode == 0 ? 1 : result.exitCode)
            }
        }
        writeStandardError((result.summary + "\n"))
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}
