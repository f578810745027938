import ArgumentParser
import Foundation
import HeraldCore
import HeraldServe

/// `herald queue`: what a server's store holds, and the hand to retry or drop a request.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "List, retry or drop the requests `herald serve` keeps in its store.",
        discussion: """
        Links are shown masked (the key as ***). A request is queued (waiting its turn or a \
        retry), sending (in flight; after a crash, sent again at the next start) or failed \
        (a final answer, or retried past --give-up-after: kept until retried or dropped).

        Examples:
          herald queue list --state failed
          herald queue retry 41 42        # failed → queued, in their old place in the link's order
          herald queue drop 41            # gone for good
          herald queue --store /var/lib/herald/herald.sqlite list
        """,
        subcommands: [List.self, Retry.self, Drop.self]
    )

    @Option(help: ArgumentHelp("The store: a SQLite file (default: $XDG_STATE_HOME/herald/herald.sqlite), or postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=…] shared by several servers.", valueName: "STORE"))
    var store: String?

    /// Opens the store or exits 2 saying why (a missing file is not created: there is nothing queued).
    func openStore() async throws -> any RequestStore {
        do {
            let location = try StoreLocation.parse(store, environment: ProcessInfo.processInfo.environment)
            let opened = try await location.open(creating: false)
            try await opened.migrate()
            return opened
        } catch {
            writeStandardError("herald: error: \(error.description)\n")
            throw ExitCode(2)
        }
    }

    /// Retry or drop: runs `change` on `ids`, says how many it changed, exit 1 when not all
    /// were (the rest named by `otherwise`), 2 when the store fails.
    func change(_ ids: [Int64], done: String, otherwise: String,
                _ change: (any RequestStore, [Int64]) async throws(StoreError) -> Int) async throws {
        let store = try await openStore()
        defer { Task { await store.close() } }
        let n: Int
        do {
            n = try await change(store, ids)
        } catch {
            writeStandardError("herald: error: \(error.description)\n")
            throw ExitCode(2)
        }
        StandardOutput.write("\(plural(n, "request")) \(done)\(n < ids.count ? " (\(ids.count - n) \(otherwise))" : "")\n")
        if n < ids.count { throw ExitCode(1) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List queued, sending and failed requests (oldest first).")
        @ParentCommand var queue: QueueCommand
        @Option(help: "Only requests in this state: queued, sending or failed.") var state: String?
        @Option(help: "At most this many lines.") var limit = 1000
        @Flag(help: "One JSON object a line instead of the table.") var json = false

        func validate() throws {
            if let state, ![RequestState.queued, .sending, .failed].contains(where: { $0.rawValue == state }) {
                throw ValidationError("--state is queued, sending or failed; got '\(state)'")
            }
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let store = try await queue.openStore()
            defer { Task { await store.close() } }
            let entries: [StoredRequest]
            do {
                entries = try await store.list(state: state.flatMap(RequestState.init(rawValue:)), limit: limit)
            } catch {
                writeStandardError("herald: error: \(error.description)\n")
                throw ExitCode(2)
            }
            StandardOutput.write(QueueListing.text(entries, json: json))
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put failed requests back in the queue, in their place in their link's order.")
        @ParentCommand var queue: QueueCommand
        @Argument(help: "Request ids, as herald queue list shows them.") var ids: [Int64]

        func run() async throws {
            try await queue.change(ids, done: "queued again", otherwise: "not failed or not found") { store, ids async throws(StoreError) in try await store.retry(ids) }
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove requests from the store for good (not one in flight).")
        @ParentCommand var queue: QueueCommand
        @Argument(help: "Request ids, as herald queue list shows them.") var ids: [Int64]

        func run() async throws {
            try await queue.change(ids, done: "dropped", otherwise: "in flight or not found") { store, ids async throws(StoreError) in try await store.drop(ids) }
        }
    }
}
