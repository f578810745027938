import Foundation
@testable import HeraldServe
import Logging
import NIOPosix
import PostgresNIO

/// The PostgreSQL the tests use: `HERALD_TEST_POSTGRES_URL` (a throwaway cluster from
/// `scripts/postgres-test-cluster.sh start`, as `make test-postgres` and CI run it). Each test
/// gets a database of its own, made from that one's server and dropped after.
enum PostgresTestDatabase {
    static let url: String? = {
        let url = ProcessInfo.processInfo.environment["HERALD_TEST_POSTGRES_URL"] ?? ""
        return url.isEmpty ? nil : url
    }()

    static var isConfigured: Bool { url != nil }

    static let skipped = "PostgreSQL store tests skipped: HERALD_TEST_POSTGRES_URL is not set (run `make test-postgres`, or `eval \"$(scripts/postgres-test-cluster.sh start)\"` before `make test`)"

    struct NotConfigured: Error {}

    /// A new empty database on the test server; its URL.
    static func create() async throws -> String {
        guard let url else { throw NotConfigured() }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await withConnection(url) { try await $0.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger) }
        return replacingDatabase(of: url, with: name)
    }

    /// Drops a database `create` made (connections to it closed first).
    static func drop(_ location: String) async {
        guard let url, let name = try? PostgresLocation.parse(location).database, name.hasPrefix("t_") else { return }
        try? await withConnection(url) { try await $0.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger) }
    }

    static func replacingDatabase(of url: String, with name: String) -> String {
        guard let scheme = url.range(of: "://"), let slash = url[scheme.upperBound...].firstIndex(of: "/") else { return url }
        let rest = url[url.index(after: slash)...]
        let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
        return String(url[...slash]) + name + query
    }

    static let logger = Logger(label: "herald.test.postgres")

    /// A plain connection of the test's own: what another program would see.
    static func withConnection<T: Sendable>(_ url: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let location = try PostgresLocation.parse(url)
        let configuration: PostgresConnection.Configuration
        if let socket = location.socketPath {
            configuration = .init(unixSocketPath: socket, username: location.user, password: location.password, database: location.database)
        } else {
            configuration = .init(host: location.host ?? "localhost", port: location.port, username: location.user,
                                  password: location.password, database: location.database, tls: .disable)
        }
        let connection = try await PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                              configuration: configuration, id: 1, logger: logger).get()
        do {
            let value = try await body(connection)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
