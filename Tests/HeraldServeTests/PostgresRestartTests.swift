import Foundation
@testable import HeraldServe
import HeraldTemplate
import Testing

/// PostgreSQL going away and coming back under a running store. On a cluster of its own (the
/// same script, another folder), so stopping it does not disturb the other tests' server.
@Suite(.enabled(if: PostgresTestDatabase.isConfigured)) struct PostgresRestartTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/postgres-test-cluster.sh").path

    /// Runs the cluster script; its standard output. Waits without holding a thread of the
    /// test pool (the server it starts must be able to answer the other tests meanwhile).
    @discardableResult
    func cluster(_ command: String, _ folder: String) async throws -> String {
        let outputFile = folder + "." + command + ".out"
        FileManager.default.createFile(atPath: outputFile, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outputFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.script, command]
        process.environment = ProcessInfo.processInfo.environment.merging(["HERALD_PG_CLUSTER_DIR": folder]) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try #require(status == 0, "postgres-test-cluster.sh \(command) failed")
        return (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
    }

    @Test func callsFailWhileTheServerIsDownAndWorkOnceItIsBack() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-pg-restart-\(UUID().uuidString)").path
        let exports = try await cluster("start", folder)
        do {
            try await restartUnderAStore(exports: exports, folder: folder)
        } catch {
            _ = try? await cluster("stop", folder)
            throw error
        }
        _ = try? await cluster("stop", folder)
    }

    func restartUnderAStore(exports: String, folder: String) async throws {
        let url = try #require(exports.split(separator: "\n").first { $0.hasPrefix("export HERALD_TEST_POSTGRES_URL=") }?
            .split(separator: "=", maxSplits: 1).last.map(String.init))
        // The deadline bounds a hang, nothing more (a stopped server refuses at once); on a
        // loaded machine (CI runs every suite at once) a fresh cluster's first answers took over 3 s.
        let store = PostgresStore(location: try PostgresLocation.parse(url), timeout: 20)
        try await store.migrate()
        let rings = Locked(0)
        await store.watchForWork { rings.withLock { $0 += 1 } }
        _ = try await store.accept(Sample.event([Sample.request("a", 1)]))

        try await cluster("pause", folder)
        do throws(StoreError) {
            _ = try await store.accept(Sample.event([Sample.request("a", 2)]))
            Issue.record("accepted with the server stopped")
        } catch {
            #expect(error.kind == .unavailable)
        }
        #expect(await !store.ping(), "/readyz fails")
        await #expect(throws: StoreError.self) { try await store.claim(limit: 5, rateLimit: 0, window: 60, now: Date()) }

        try await cluster("resume", folder)
        var accepted: AcceptResult?
        for _ in 0..<120 where accepted == nil {
            accepted = try? await store.accept(Sample.event([Sample.request("a", 3)]))
            if accepted == nil { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(accepted?.eventID != nil, "works again once the server is back")
        #expect(try await store.list(state: nil, limit: 10).map { Sample.number($0) } == [1, 3], "nothing committed was lost")
        #expect(await store.ping())
        // LISTEN again after the reconnect: it rings once on its return, then on each accept.
        let before = rings.withLock { $0 }
        for n in 0..<120 where rings.withLock({ $0 }) == before {
            _ = try await store.accept(Sample.event([Sample.request("b", 10 + n)]))
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(rings.withLock { $0 } > before, "the doorbell rings again after the restart")
        await store.close()
    }
}
