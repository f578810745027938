import Foundation
@testable import HeraldServe
import SQLiteNIO
import Testing

/// What only the SQLite store has: its file, its modes, WAL, other connections.
@Suite struct SQLiteStoreTests {
    typealias S = Sample

    private func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }

    @Test func aNewStoreIsPrivateToTheUser() async throws {
        let path = temporaryStorePath("state/herald/herald.sqlite")
        let store = try await SQLiteStore.open(path: path)
        try await store.migrate()
        _ = try await store.accept(S.event([S.request("a", 1)]))
        let herald = URL(fileURLWithPath: path).deletingLastPathComponent()
        let folderModes = [try mode(herald.path), try mode(herald.deletingLastPathComponent().path)]
        #expect(folderModes == [0o700, 0o700])
        #expect(try mode(path) == 0o600)
        #expect(try mode(path + "-wal") == 0o600, "SQLite gives its WAL file the database's mode")
        await store.close()
    }

    @Test func itRunsInWALModeWithDurableCommits() async throws {
        let (store, path) = try await StoreMaker.sqlite.fresh()
        _ = try await store.accept(S.event([S.request("a", 1)]))
        let mode = try await withRawSQLite(path) { try await $0.query("PRAGMA journal_mode").first?.column("journal_mode")?.string }
        #expect(mode == "wal")
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        let sqlite = try #require(store as? SQLiteStore)
        // synchronous is per connection: ask the store's own.
        let synchronous = try await sqlite.pragma("synchronous")
        #expect(synchronous == 2, "FULL: every commit fsynced")
        await store.close()
    }

    /// `herald queue list` while `serve` runs: another connection on the same file sees every
    /// committed event and can change the queue while the first keeps writing.
    @Test func aSecondConnectionSeesCommittedData() async throws {
        let (store, path) = try await StoreMaker.sqlite.fresh()
        let other = try await SQLiteStore.open(path: path)
        try await other.migrate()
        let id = try #require(try await store.accept(S.event([S.request("a", 1), S.request("b", 2)])).eventID)
        let seen = try await other.list(state: nil, limit: 10)
        #expect(seen.map(\.eventID) == [id, id])
        #expect(try await other.drop([seen[1].id]) == 1)
        #expect(try await store.list(state: nil, limit: 10).map { S.number($0) } == [1])
        // Both write at once: the busy timeout makes each wait for the other's transaction.
        // (Twelve, not forty: under ThreadSanitizer on a loaded machine forty kept one side
        // waiting past the 5 s busy timeout.)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<12 {
                group.addTask { _ = try await (n % 2 == 0 ? store : other).accept(S.event([S.request("c", n)])) }
            }
            try await group.waitForAll()
        }
        #expect(try await other.list(state: nil, limit: 100).count == 13)
        await other.close()
        await store.close()
    }

    @Test func aFileThatIsNotADatabaseIsAClearError() async throws {
        let path = temporaryStorePath()
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        try Data(String(repeating: "these are not the tables you are looking for\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        do throws(StoreError) {
            let store = try await SQLiteStore.open(path: path)
            defer { Task { await store.close() } }
            try await store.migrate()
            Issue.record("a text file was opened as a store")
        } catch {
            #expect(error.kind == .notADatabase)
            #expect(error.description == "\(path): not a SQLite database (is --store the right file?)")
        }
    }

    @Test func aFolderIsNotAStore() async throws {
        let path = temporaryStorePath()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        do throws(StoreError) {
            _ = try await SQLiteStore.open(path: path)
            Issue.record("a folder was opened as a store")
        } catch {
            #expect(error.kind == .cannotOpen && error.description == "\(path): is a folder, not a database file")
        }
    }

    @Test func aFolderThatCannotBeMadeIsAClearError() async throws {
        let blocker = temporaryStorePath("file")
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: blocker).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let path = blocker + "/herald.sqlite"
        do throws(StoreError) {
            _ = try await SQLiteStore.open(path: path)
            Issue.record("a store was opened under a file")
        } catch {
            #expect(error.kind == .cannotOpen && error.description.hasPrefix(path + ": cannot create its folder"))
        }
    }

    @Test func theDefaultPathFollowsXDG() {
        #expect(StorePath.defaultPath(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/home/u"]) == "/x/state/herald/herald.sqlite")
        #expect(StorePath.defaultPath(environment: ["XDG_STATE_HOME": "relative", "HOME": "/home/u"]) == "/home/u/.local/state/herald/herald.sqlite")
        #expect(StorePath.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.local/state/herald/herald.sqlite")
        #expect(StorePath.defaultPath(environment: [:]) == nil)
        #expect(SQLiteStore.defaultPath(environment: ["XDG_STATE_HOME": "/s"]) == "/s/herald/herald.sqlite")
    }

    /// Delivered requests are kept `keepDelivered` seconds after their answer, then pruned by a
    /// claim, with their event; expired dedupe keys go too, so the key is new again.
    @Test func claimPrunesWhatIsNoLongerNeeded() async throws {
        let path = temporaryStorePath()
        let store = try await SQLiteStore.open(path: path, keepDelivered: 100)
        try await store.migrate()
        let t = S.base
        _ = try await store.accept(S.event([S.request("a", 1)], at: t, key: "k", window: 50))
        let claimed = try await store.claim(limit: 5, rateLimit: 20, window: 60, now: t).requests
        try await store.finish(claimed[0].id, .delivered(answeredAt: t + 1))
        func count(_ table: String) async throws -> Int? {
            try await withRawSQLite(path) { try await $0.query("SELECT count(*) AS n FROM \(table)").first?.column("n")?.integer.map { Int($0) } }
        }
        _ = try await store.claim(limit: 5, rateLimit: 20, window: 60, now: t + 30)
        var counts = [try await count("requests"), try await count("dedupe"), try await count("robot_sends")]
        #expect(counts == [1, 1, 1], "nothing is due yet, and a claim prunes at most once a minute")
        _ = try await store.claim(limit: 5, rateLimit: 20, window: 60, now: t + 102)
        counts = [try await count("requests"), try await count("events"), try await count("dedupe"), try await count("robot_sends")]
        #expect(counts == [0, 0, 0, 0])
        await store.close()
    }
}
