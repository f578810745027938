import ArgumentParser
import Foundation
import HeraldCore

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a job's messages — or, with --dry-run, print the exact request bodies.",
        discussion: """
        The access token comes from the job's 'access_token' or the KDOCS_ACCESS_TOKEN \
        environment variable, never from the command line.

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

    func validate() throws {
        if !dryRun, format != .jsonl { throw ValidationError("--format goes with --dry-run") }
        if !dryRun, redact { throw ValidationError("--redact goes with --dry-run") }
    }

    func run() async throws {
        let output = DiagnosticOutput()
        let prepared = try options.prepare(output: output)
        if dryRun {
            StandardOutput.write(format.output(for: prepared, redact: redact))
            return
        }
        output.note("sending is not available in this build; use --dry-run")
        throw ExitCode(2)
    }
}

extension DryRunFormat: ExpressibleByArgument {}
