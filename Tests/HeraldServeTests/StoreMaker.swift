import Foundation
import HeraldCore
@testable import HeraldServe
import PostgresNIO
import SQLiteNIO
import Testing

/// Makes the stores the conformance suite runs against: each kind of store brings one, and
/// every test in `StoreConformanceTests` runs once per maker (the PostgreSQL store adds its own).
struct StoreMaker: Sendable, CustomTestStringConvertible {
    var name: String
    /// A new, empty place for a store (a file path, a database URL).
    var newLocation: @Sendable () async throws -> String
    /// Opens a store on `location` (not yet migrated).
    var open: @Sendable (_ location: String) async throws -> any RequestStore
    /// Sets the schema version recorded at `location`, as a newer Herald would have left it.
    var stampSchema: @Sendable (_ location: String, _ version: Int) async throws -> Void
    /// Makes storing a request whose link is `link` fail inside the store (a trigger).
    var poisonLink: @Sendable (_ location: String, _ link: String) async throws -> Void
    /// How the store's errors name `location` (a PostgreSQL URL without its password or settings).
    var shownAs: @Sendable (_ location: String) -> String = { $0 }
    /// Removes what `newLocation` made, once the test is done with it.
    var dispose: @Sendable (_ location: String) async -> Void = { _ in }
    /// The schema version this build writes.
    var schemaVersion: Int = SQLiteSchema.version

    var testDescription: String { name }

    /// SQLite always; PostgreSQL when `HERALD_TEST_POSTGRES_URL` names a test server (else
    /// `PostgresSkipNoticeTests` says, in one line, that those runs were skipped).
    static let all: [StoreMaker] = PostgresTestDatabase.isConfigured ? [.sqlite, .postgres] : [.sqlite]

    /// Claims hold 120 s: `requeueInFlight` (which takes only ended leases) sees the claims a
    /// test made 1000 s in the past as ended, and none made at `now`.
    static let postgres = StoreMaker(
        name: "PostgreSQL",
        newLocation: { try await PostgresTestDatabase.create() },
        open: { PostgresStore(location: try PostgresLocation.parse($0), lease: 120) },
        stampSchema: { url, version in
            try await PostgresTestDatabase.withConnection(url) {
                _ = try await $0.query("UPDATE herald_schema SET version = \(version)", logger: PostgresTestDatabase.logger)
            }
        },
        poisonLink: { url, link in
            try await PostgresTestDatabase.withConnection(url) {
                try await $0.query(PostgresQuery(unsafeSQL: """
                    CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN IF NEW.link = '\(link)' THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$
                    """), logger: PostgresTestDatabase.logger)
                try await $0.query("CREATE TRIGGER poison BEFORE INSERT ON requests FOR EACH ROW EXECUTE FUNCTION poison()",
                                   logger: PostgresTestDatabase.logger)
            }
        },
        shownAs: { (try? PostgresLocation.parse($0).description) ?? $0 },
        dispose: { await PostgresTestDatabase.drop($0) },
        schemaVersion: PostgresSchema.version)

    static let sqlite = StoreMaker(
        name: "SQLite",
        newLocation: { temporaryStorePath() },
        open: { try await SQLiteStore.open(path: $0) },
        stampSchema: { path, version in
            try await withRawSQLite(path) { _ = try await $0.query("UPDATE herald_schema SET version = ?", [.integer(SQLiteInt64(version))]) }
        },
        poisonLink: { path, link in
            try await withRawSQLite(path) {
                _ = try await $0.query("""
                    CREATE TRIGGER poison BEFORE INSERT ON requests WHEN NEW.link = '\(link)'
                    BEGIN SELECT RAISE(ABORT, 'poisoned'); END
                    """)
            }
        })

    /// A fresh, migrated store and its location.
    func fresh() async throws -> (store: any RequestStore, location: String) {
        let location = try await newLocation()
        let store = try await open(location)
        try await store.migrate()
        return (store, location)
    }
}

/// A new path in a new private folder under the temporary folder.
func temporaryStorePath(_ name: String = "herald.sqlite") -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-store-\(UUID().uuidString)")
    return folder.appendingPathComponent(name).path
}

/// A connection of the test's own to a store's file: what another program would see.
func withRawSQLite<T: Sendable>(_ path: String, _ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
    let connection = try await SQLiteConnection.open(storage: .file(path: path))
    do {
        _ = try await connection.query("PRAGMA busy_timeout = 5000")
        let value = try await body(connection)
        try await connection.close()
        return value
    } catch {
        try? await connection.close()
        throw error
    }
}

/// Runs `body` with a fresh store, closing it afterwards whatever happens.
func withStore(_ maker: StoreMaker, _ body: (any RequestStore, String) async throws -> Void) async throws {
    let (store, location) = try await maker.fresh()
    do {
        try await body(store, location)
        await store.close()
        await maker.dispose(location)
    } catch {
        await store.close()
        await maker.dispose(location)
        throw error
    }
}

/// Events and requests made up for the tests: link `L` gets body `{"n":N}`.
enum Sample {
    /// Whole seconds: a store keeps seconds since 1970 and `Date` seconds since 2001, and only
    /// whole numbers go from one to the other and back exactly (`== now + 30` must hold).
    static let base = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))

    static func link(_ name: String) -> String { "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=\(name)-secret" }

    static func request(_ linkName: String, _ n: Int, messages: Int = 1) -> AcceptedEvent.Request {
        let link = link(linkName)
        let body = Array(#"{"link":"\#(link)","data":[{"n":\#(n)}]}"#.utf8)
        return AcceptedEvent.Request(link: link, maskedLink: "https://qyapi.weixin.qq.com/…key=***", platform: .wecom,
                                     body: body, messageCount: messages, contentID: "content-\(linkName)-\(n)")
    }

    static func event(_ requests: [AcceptedEvent.Request], route: String = "alerts", at: Date = base,
                      key: String? = nil, window: Double = 0) -> AcceptedEvent {
        AcceptedEvent(route: route, acceptedAt: at, dedupeKey: key, dedupeWindow: window,
                      messages: requests.reduce(0) { $0 + $1.messageCount }, requests: requests)
    }

    /// The `n` of a body made by `request`.
    static func number(_ request: StoredRequest) -> Int? {
        let text = String(decoding: request.body, as: UTF8.self)
        guard let range = text.range(of: #"{"n":"#) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}

extension AcceptResult {
    var eventID: Int64? {
        if case .accepted(let id, _) = self { return id }
        return nil
    }
}

/// The same time to within a microsecond: a store keeps times as seconds (a double, or
/// PostgreSQL's microseconds), not Foundation's exact value.
func same(_ stored: Date?, _ expected: Date) -> Bool {
    guard let stored else { return false }
    return abs(stored.timeIntervalSince(expected)) < 0.000_01
}
