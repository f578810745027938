import ArgumentParser
import HeraldCore

/// `--dry-run` and how it prints, shared by every command that can send (`send`, `notify`).
struct DryRunOptions: ParsableArguments {
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

    /// Whether the plan must keep its messages for this output (see `PlanningOptions.keepsMessages`).
    var needsMessages: Bool { format.needsMessages(redact: redact) }

    /// Prints the plan as chosen, to standard output.
    func write(_ prepared: PreparedJob) {
        var stdout = BufferedStandardOutput()
        format.write(for: prepared, redact: redact) { stdout.append($0) }
        stdout.flush()
    }
}

extension DryRunFormat: ExpressibleByArgument {}
