import ArgumentParser
import Foundation
import HeraldCore
import HeraldSend
import HeraldTemplate

@main
struct Herald: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "herald",
        abstract: "Send templated WeCom and DingTalk robot messages through the KDocs relays, in batches.",
        discussion: """
        A YAML job file names the robots (recipients), the message templates and the variables; \
        Herald renders every message, splits one that is over the robot's limit into exact \
        parts, groups them per robot link into requests of up to 20 messages, and sends them \
        at the robots' rate — or, with --dry-run, prints the exact request bodies.

        Start with a dry run (no token, no network):
          herald send --dry-run examples/weekly-report/job.yaml
        One message to robot links, with no job file:
          herald notify --dry-run "$WECOM_HOOK" "Deploy of 2.4 finished"

        Exit codes: 0 all delivered (or dry run done), 1 some requests failed, \
        2 invalid job file or usage (nothing sent), 130 interrupted.
        """,
        version: HeraldVersion.current,
        subcommands: [SendCommand.self, NotifyCommand.self, ServeCommand.self, QueueCommand.self, CheckCommand.self, RenderCommand.self, PlanCommand.self, PreviewCommand.self, InitCommand.self, SchemaCommand.self]
    )

    /// Output that did not reach standard output (a full disk, a closed descriptor) is a failure.
    static func failIfOutputWasLost() {
        guard let reason = standardOutputFailure else { return }
        writeStandardError("herald: error: cannot write standard output: \(reason)\n")
        Foundation.exit(1)
    }

    /// ArgumentParser exits 64 on usage errors; Herald's contract says 2 (docs/sending.md).
    static func main() async {
        // `serve` and `queue` are herald-serve's: handed over before anything else happens.
        if let arguments = ServerCommands.handedOver(CommandLine.arguments) { ServerCommands.run(arguments) }
        // Before any other thread exists: every thread made later has the stop signals blocked.
        SignalThread.start()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            failIfOutputWasLost()
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is CleanExit {
                exit(withError: error)
            }
            if let exit = error as? ExitCode {
                if exit.rawValue == 0 { failIfOutputWasLost() }
                Foundation.exit(exit.rawValue)
            }
            let message = unknownSubcommandMessage() ?? fullMessage(for: error)
            if !message.isEmpty { writeStandardError(message + "\n") }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    /// `herald chek job.yaml`: ArgumentParser says "2 unexpected arguments"; name the command
    /// that was meant instead. Nil when the first argument is an option or a known command.
    static func unknownSubcommandMessage(arguments: [String] = CommandLine.arguments) -> String? {
        guard let first = arguments.dropFirst().first, !first.hasPrefix("-") else { return nil }
        let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        guard !names.contains(first) else { return nil }
        return "Error: unknown command '\(first)'"
            + NameSuggestion.hint(for: first, among: names, otherwise: "; the commands are \(names.dropLast().joined(separator: ", "))")
            + "\nUsage: herald <subcommand>\n  See 'herald --help' for more information."
    }
}
