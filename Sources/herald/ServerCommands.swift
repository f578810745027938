import ArgumentParser
import Foundation
import HeraldCore

/// `herald serve …` and `herald queue …` run `herald-serve` (installed beside `herald`) with
/// the same arguments: the server, its HTTP stack and its database live in that binary, so
/// the batch commands start as fast as before (docs/performance.md). These two entries are
/// what `herald --help` lists; `Herald.main` hands the command over before parsing.
enum ServerCommands {
    static let names = ["serve", "queue"]

    /// The arguments to hand over (without the program name), or nil when they are herald's own.
    static func handedOver(_ arguments: [String]) -> [String]? {
        let rest = Array(arguments.dropFirst())
        guard let first = rest.first else { return nil }
        if names.contains(first) { return rest }
        // `herald help serve` is `herald serve --help` there.
        if first == "help", rest.count >= 2, names.contains(rest[1]) { return [rest[1], "--help"] + rest.dropFirst(2) }
        return nil
    }

    /// Replaces this process with `herald-serve` (same pid: signals reach the server); exits 2
    /// when it is not installed.
    static func run(_ arguments: [String]) -> Never {
        let path = siblingPath("herald-serve")
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(path, argv)
        let reason = String(cString: strerror(errno))
        writeStandardError("herald: error: '\(arguments.first ?? "serve")' is run by herald-serve, which should be beside herald at \(path) (\(reason)); `make install` installs both\n")
        exit(2)
    }

    /// `name` in the folder of the running executable (symlinks resolved).
    static func siblingPath(_ name: String) -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent(name).path
    }
}

/// The entries `herald --help` lists; never run (`Herald.main` hands these commands over).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Take events over HTTP (Alertmanager, Grafana, CI hooks), store them durably and deliver them (herald serve --help).")
    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []
    func run() throws { ServerCommands.run(["serve"] + arguments) }
}

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "List, retry or drop the requests herald serve keeps in its store (herald queue --help).")
    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []
    func run() throws { ServerCommands.run(["queue"] + arguments) }
}
