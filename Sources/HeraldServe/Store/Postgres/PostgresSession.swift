import Foundation
import Logging
import PostgresNIO
import HeraldTemplate
import Synchronization

/// The store's way to the database: a `PostgresClient` (postgres-nio's pool) whose `run()` the
/// session's own task keeps running from `open` to `close`. Every operation has a deadline
/// (`timeout`): a server that went away makes it throw `.unavailable` rather than wait, and
/// the pool connects again on the next call once the server is back.
final class PostgresSession: Sendable {
    let location: PostgresLocation
    let client: PostgresClient
    /// Seconds an operation may take, the wait for a connection included.
    let timeout: Double
    let logger: Logger
    private let runner: Locked<Task<Void, Never>?>
    private let closed = Atomic(false)

    /// The address as errors show it (no password).
    var store: String { location.description }

    init(location: PostgresLocation, timeout: Double, logger: Logger = Logger(label: "herald.store")) {
        self.location = location
        self.timeout = timeout
        self.logger = logger
        client = PostgresClient(configuration: Self.configuration(location, timeout: timeout))
        let client = client
        runner = Locked(Task { await client.run() })
    }

    private static func configuration(_ location: PostgresLocation, timeout: Double) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socket = location.socketPath {
            configuration = .init(unixSocketPath: socket, username: location.user, password: location.password,
                                  database: location.database)
        } else {
            let tls: PostgresClient.Configuration.TLS
            switch location.sslMode {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(.makeClientConfiguration())
            case .require: tls = .require(.makeClientConfiguration())
            }
            configuration = .init(host: location.host ?? "localhost", port: location.port, username: location.user,
                                  password: location.password, database: location.database, tls: tls)
        }
        configuration.options.maximumConnections = location.poolSize
        configuration.options.connectTimeout = .milliseconds(Int64(min(timeout, 10) * 1000))
        // The server ends a statement that runs too long itself, so a lock waited on forever
        // cannot hold a pooled connection after the client's deadline gave up on it.
        configuration.options.additionalStartupParameters = [
            ("statement_timeout", "\(Int(timeout * 1000))"),
            ("application_name", "herald"),
        ]
        return configuration
    }

    /// `body` on a pooled connection, within the deadline.
    func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        guard !closed.load(ordering: .relaxed) else { throw StoreError(.closed, store: store, "the store is closed") }
        let client = client
        do {
            return try await PostgresDeadline.run(seconds: timeout) {
                try await client.withConnection { connection in try await body(connection) }
            }
        } catch {
            throw storeError(error)
        }
    }

    /// `body` inside BEGIN … COMMIT on one connection (ROLLBACK when it throws), within the deadline.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        let logger = logger
        return try await run { connection in
            try await connection.query("BEGIN", logger: logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Stops the pool and waits for its connections to close; later calls throw `.closed`.
    func close() async {
        guard closed.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        let task = runner.withLock { task in defer { task = nil }; return task }
        task?.cancel()
        await task?.value
    }

    var isClosed: Bool { closed.load(ordering: .relaxed) }

    /// What a failure becomes: a `StoreError` as it was thrown by the body, else `.unavailable`
    /// with the server's message or what happened to the connection — and never the password.
    func storeError(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if error is PostgresRequestRow.Damaged || error is PostgresDecodingError {
            return StoreError(.notADatabase, store: store, "the database holds a row this Herald cannot read (damaged, or not Herald's tables)")
        }
        if isClosed { return StoreError(.closed, store: store, "the store is closed") }
        let message: String
        switch error {
        case is PostgresDeadline.Expired:
            message = "the database did not answer within \(timeout.formatted(.number)) s (is PostgreSQL running and reachable?)"
        case let error as PSQLError:
            message = Self.describe(error)
        case is CancellationError:
            message = "the operation was cancelled"
        default:
            message = "the database cannot be used (\(type(of: error)))"
        }
        return StoreError(.unavailable, store: store, scrub(message))
    }

    private static func describe(_ error: PSQLError) -> String {
        if let server = error.serverInfo, let text = server[.message] {
            let state = server[.sqlState].map { " [SQLSTATE \($0)]" } ?? ""
            return "PostgreSQL: \(text)\(state)"
        }
        switch error.code {
        case .connectionError:
            let why = error.underlying.map { " (\($0))" } ?? ""
            return "cannot connect to the database\(why)"
        case .serverClosedConnection, .uncleanShutdown:
            return "the database closed the connection (restarting?)"
        case .sslUnsupported:
            return "the server does not offer TLS, which sslmode=require needs (use sslmode=prefer or disable)"
        case .authMechanismRequiresPassword:
            return "the server asks for a password and the connection string has none (postgres://USER:PASSWORD@HOST/DB)"
        case .poolClosed:
            return "the store is closed"
        default:
            return "the database cannot be used (\(error.code))"
        }
    }

    /// Belt and braces: whatever a message quotes, the password is not in it.
    private func scrub(_ message: String) -> String {
        guard let password = location.password, !password.isEmpty else { return message }
        return message.replacingOccurrences(of: password, with: "***")
    }
}

extension PostgresConnection {
    /// All rows of `query`, each readable by column name.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await self.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }
}
