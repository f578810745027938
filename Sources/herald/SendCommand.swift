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
        environment variable, never from the command line.

        Per robot link, requests go strictly in order and are paced by the job's rate_limit; \
        links are sent to concurrently. Transport errors, timeouts, HTTP 429 and 5xx are \
        retried with backoff (honouring Retry-After). With --journal, a re-run sends only what \
        was not delivered. Progress goes to stderr on a terminal; a summary line always.

        Examples:
          herald send --dry-run examples/weekly-report/job.yaml
          herald send --dry-run --format curl examples/news/job.yaml
          KDOCS_ACCESS_TOKEN=… herald send job.yaml --journal job.journal --report report.json
        """
    )

    @OptionGroup var options: JobOptions

    @Flag(help: "Print the request bodies instead of sending (no token or network needed).")
    var dryRun = false

    @Option(help: "With --dry-run: jsonl (the exact bytes, one request per line), pretty, or curl.")
    var format: DryRunFormat = .jsonl

    @Flag(help: "With --dry-run: mask each link's key= and the sk in the output.")
    var redact = false

    @Option(help: "Links sent to at once.") var concurrency = 8
    @Option(help: ArgumentHelp("Record outcomes here; a re-run skips what was delivered.", valueName: "FILE")) var journal: String?
    @Option(help: ArgumentHelp("Write a JSON report of every request's outcome.", valueName: "FILE")) var report: String?
    @Option(help: "Connect and read timeout per attempt, in seconds.") var timeout: Double = 30
    @Option(help: "Retries after the first attempt of a request.") var retries = 3
    @Flag(help: "No progress line (the summary is still printed).") var quiet = false

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
        let prepared = try options.prepare(output: output, resumeNow: journalFile?.resumeNow, keepsMessages: false)
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

        let progress = Progress(live: !quiet && isatty(STDERR_FILENO) == 1)
        let runner = Runner(options: SendOptions(accessToken: token, concurrency: concurrency, timeout: timeout, retries: retries),
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
