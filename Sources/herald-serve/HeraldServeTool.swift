import ArgumentParser
import Foundation
import HeraldCore
import HeraldSend

/// `herald serve` and `herald queue`, in a binary of their own: `herald` hands these two
/// commands to it (ServerCommands.swift there), so the batch tool links no HTTP server and
/// no database, and keeps its start-up (docs/performance.md).
@main
struct HeraldServeTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "herald",
        abstract: "Herald's server commands: take events over HTTP and deliver them; inspect the store.",
        version: HeraldVersion.current,
        subcommands: [ServeCommand.self, QueueCommand.self]
    )

    /// ArgumentParser exits 64 on usage errors; Herald's contract says 2.
    static func main() async {
        SignalThread.start()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is CleanExit { exit(withError: error) }
            if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
            let message = fullMessage(for: error)
            if !message.isEmpty { writeStandardError(message + "\n") }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

enum StandardOutput {
    static func write(_ text: String) { writeStandardOutput(Array(text.utf8)) }
}

func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
