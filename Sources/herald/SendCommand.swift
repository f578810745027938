import ArgumentParser
import Foundation
import HeraldCore
import HeraldTemplate
import HeraldSend

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a job's messages — or, with --dry-run, print the exact request bodies.",
        discussion: """
        The access token comes from the job's 'access_token' or the KDOCS_ACCESS_TOKEN \
        environment variable, never from the command line. A dry run needs no secret: an \
        unset ${NAME} in access_token, an sk or a link is shown as it is (with a warning for \
        an sk or link); a real send refuses it, naming the variable, before sending anything.

        Per robot link, requests go strictly in order and are paced by the job's rate_limit \
        (each request counts from its answer); links are sent to concurrently, with at most \
        --concurrency requests in flight (a link waiting for its window holds none). Transport \
        errors, timeouts, HTTP 429 and 5xx are retried with backoff (honouring Retry-After); \
        an untrusted certificate is not. With --journal, a re-run sends only what was not \
        delivered. Progress goes to stderr on a terminal; a summary line always; --report says \
        how long each request waited and why (pacing, shared budget, Retry-After, 45009, …).

        Several herald runs on one machine share each robot's budget through a small state file \
        per robot (a hash of its link and recent send times) in --state-dir, by default \
        $XDG_STATE_HOME/herald or ~/.local/state/herald.

        Proxies: https_proxy/HTTPS_PROXY, http_proxy (lowercase only), all_proxy/ALL_PROXY and \
        no_proxy/NO_PROXY are read as curl reads them; --proxy wins over them, and --proxy '' \
        turns them off. HTTP CONNECT proxies, with basic auth from the URL (never printed). \
        TLS trusts the system's roots plus SSL_CERT_FILE and --cacert (PEM), for a company CA \
        or a proxy that inspects TLS.

        Examples:
          herald send --dry-run examples/weekly-report/job.yaml
          herald send --dry-run --format curl examples/news/job.yaml
        With KDOCS_ACCESS_TOKEN set:
          herald send job.yaml --journal job.journal --report report.json
          herald send job.yaml --proxy http://alice:secret@proxy.corp:3128
          NO_PROXY=.corp.example herald send job.yaml --cacert /etc/ssl/corp-root.pem
          herald send job.yaml --state-dir /var/lib/herald --concurrency 16
        """
    )

    @OptionGroup var options: JobOptions

    @Flag(help: "Print the request bodies instead of sending (no token or network needed).")
    var dryRun = false

    @Option(help: "With --dry-run: jsonl (the exact bytes, one request per line), pretty, or curl.")
    var format: DryRunFormat = .jsonl

    @Flag(help: "With --dry-run: mask each link's key= and the sk in the output.")
    var redact = false

    @Option(help: "Requests in flight at once (and connections); links waiting for their window hold none.") var concurrency = 8
    @Option(help: ArgumentHelp("Record outcomes here; a re-run skips what was delivered.", valueName: "FILE")) var journal: String?
    @Option(help: ArgumentHelp("Write a JSON report of every request's outcome.", valueName: "FILE")) var report: String?
    @Option(help: "Connect and read timeout per attempt, in seconds.") var timeout: Double = 30
    @Option(help: "Retries after the first attempt of a request.") var retries = 3
    @Flag(help: "No progress line (the summary is still printed).") var quiet = false
    @Option(help: ArgumentHelp("HTTP CONNECT proxy, http://[user:password@]host:port; wins over HTTPS_PROXY and the like ('' for none).", valueName: "URL"))
    var proxy: String?
    @Option(help: ArgumentHelp("Also trust the CA certificates in this PEM file (a company CA).", valueName: "FILE")) var cacert: String?
    @Option(help: ArgumentHelp("Where robots' budgets shared by herald runs are kept (default: $XDG_STATE_HOME/herald or ~/.local/state/herald).", valueName: "DIR"))
    var stateDir: String?

    func validate() throws {
        if !dryRun, format != .jsonl { throw ValidationError("--format goes with --dry-run") }
        if !dryRun, redact { throw ValidationError("--redact goes with --dry-run") }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if !(timeout > 0) { throw ValidationError("--timeout must be more than 0 seconds") }
        if retries < 0 { throw ValidationError("--retries must be 0 or more") }
    }

    func run() async throws {
        let output = DiagnosticOutput()
        if dryRun {
            let prepared = try options.prepare(output: output, keepsMessages: format.needsMessages(redact: redact))
            var stdout = BufferedStandardOutput()
            format.write(for: prepared, redact: redact) { stdout.append($0) }
            stdout.flush()
            return
        }

        // Settings that could make every request fail are checked before anything is sent.
        let environment = ProcessInfo.processInfo.environment
        let proxySettings: ProxySettings
        let tlsSettings: TLSSettings
        do {
            proxySettings = try ProxySettings.resolve(flag: proxy, environment: environment)
            tlsSettings = try TLSSettings.load(cacert: cacert, environment: environment)
        } catch let error as ProxySettings.InvalidProxy {
            output.note("error: \(error.description); nothing was sent")
            throw ExitCode(2)
        } catch let error as TLSSettings.InvalidFile {
            output.note("error: \(error.description); nothing was sent")
            throw ExitCode(2)
        }
        let stateDirectory = stateDir ?? SendOptions.defaultStateDirectory(environment: environment)

        var journalFile: Journal?
        if let journal {
            do {
                journalFile = try Journal.open(path: journal)
            } catch {
                output.note("error: \(error.description)")
                throw ExitCode(2)
            }
            for warning in journalFile?.warnings ?? [] { output.note("warning: \(warning)") }
            if let resume = journalFile?.resumeNow, options.now == nil {
                output.note("resuming the unfinished run recorded in \(journal) (now = \(ISO8601.format(resume, in: .current)))")
            }
        }
        let prepared = try options.prepare(output: output, resumeNow: journalFile?.resumeNow, keepsMessages: false, sending: true)
        guard let token = prepared.accessToken else {
            output.note("error: no access token: set KDOCS_ACCESS_TOKEN, or 'access_token: ${KDOCS_ACCESS_TOKEN}' in the job; nothing was sent")
            throw ExitCode(2)
        }
        do {
            try journalFile?.beginRun(job: prepared.plan.jobName, now: prepared.plan.now)
        } catch {
            output.note("error: \(error.description)")
            throw ExitCode(2)
        }

        let progress = Progress(live: !quiet && standardErrorIsATerminal)
        if stateDirectory == nil, prepared.plan.rateLimit > 0 {
            progress.warn("no state folder (neither XDG_STATE_HOME nor HOME is set, and no --state-dir): this run paces each robot alone")
        }
        let runner = Runner(options: SendOptions(accessToken: token, concurrency: concurrency, timeout: timeout, retries: retries,
                                                 proxy: proxySettings, tls: tlsSettings, stateDirectory: stateDirectory),
                            journal: journalFile, progress: progress)
        let plan = prepared.plan
        let task = Task { await runner.run(plan) }
        // First signal: stop starting requests; in-flight ones get up to a timeout's grace.
        let grace = timeout * 2 + 1
        let trap = SignalTrap {
            runner.interrupt()
            Task {
                try? await Task.sleep(for: .seconds(grace))
                task.cancel()
            }
        }
        let result = await task.value
        trap.cancel()

        for outcome in result.outcomes where outcome.status == .failed {
            var line = "herald: request \(outcome.index + 1) to \(outcome.link) failed after \(outcome.attempts) attempt\(outcome.attempts == 1 ? "" : "s")"
            if let status = outcome.httpStatus { line += ": HTTP \(status)" }
            if let code = outcome.code { line += ", code \(code)" }
            if let msg = outcome.msg, !msg.isEmpty { line += ", msg: \(msg)" }
            if let hint = outcome.hint, !hint.isEmpty { line += ", hint: \(hint)" }
            if outcome.httpStatus == nil, let error = outcome.error { line += ": \(error)" }
            output.note(String(line.dropFirst("herald: ".count)))
        }
        if let report {
            do {
                try Data(result.reportJSON.utf8).write(to: URL(fileURLWithPath: report))
            } catch {
                output.note("warning: cannot write report \(report): \(error.localizedDescription)")
            }
        }
        FileHandle.standardError.write(Data((result.summary + "\n").utf8))
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}

extension DryRunFormat: ExpressibleByArgument {}
