@testable import HeraldServe
import Testing

/// `--store postgres://…`: what it parses to, and that its password is never shown.
@Suite struct PostgresLocationTests {
    @Test func aFullConnectionStringParses() throws {
        let location = try PostgresLocation.parse("postgresql://herald:s%40cret@db.example.com:6432/alerts?sslmode=require&pool_size=4")
        #expect(location.user == "herald" && location.password == "s@cret" && location.host == "db.example.com")
        #expect(location.port == 6432 && location.database == "alerts" && location.sslMode == .require && location.poolSize == 4)
        #expect(location.description == "postgres://herald:***@db.example.com:6432/alerts")
    }

    @Test func defaultsAndUnixSockets() throws {
        let plain = try PostgresLocation.parse("postgres://herald@localhost/herald")
        #expect(plain.port == 5432 && plain.sslMode == .prefer && plain.password == nil
            && plain.poolSize == PostgresLocation.defaultPoolSize)
        #expect(plain.description == "postgres://herald@localhost:5432/herald")
        let socket = try PostgresLocation.parse("postgres://herald@:5433/herald?host=/run/postgresql")
        #expect(socket.socketPath == "/run/postgresql/.s.PGSQL.5433" && socket.host == nil)
        #expect(try PostgresLocation.parse("postgres://u@[::1]:5999/d").host == "::1")
    }

    @Test(arguments: [
        ("postgres://herald:hunter2-secret@db/", "names no database"),
        ("postgres://herald:hunter2-secret@db:99999/x", "port"),
        ("postgres://herald:hunter2-secret@db/x?sslmode=verify-full", "sslmode=verify-full is not known"),
        ("postgres://herald:hunter2-secret@db/x?colour=blue", "?colour= is not a setting"),
        ("postgres://herald:hunter2/secret@db/x", "percent-encode it"),
        ("postgres://herald:hunter2-secret@/x", "names no host"),
    ])
    func badStringsAreRefusedWithoutThePassword(_ text: String, _ says: String) {
        do throws(StoreError) {
            _ = try PostgresLocation.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.kind == .cannotOpen)
            #expect(error.description.contains(says), "\(error.description)")
            #expect(!error.description.contains("hunter2"), "\(error.description)")
            #expect(error.description.contains(":***@"))
        }
    }

    @Test func storeLocationOpensPostgres() throws {
        let location = try StoreLocation.parse("postgres://herald:pw-secret@127.0.0.1/herald", environment: [:])
        guard case .postgres(let postgres) = location else {
            Issue.record("not a PostgreSQL location: \(location)")
            return
        }
        #expect(postgres.description == "postgres://herald:***@127.0.0.1:5432/herald")
    }
}
