import Foundation
@testable import HeraldServe
import Testing

/// Nothing answered 202 is ever lost: a child process accepts events as fast as it can and
/// prints each id once `accept` returned; it is killed with SIGKILL mid-stream, and every id it
/// printed must be in the reopened store with all three of its requests.
@Suite struct StoreCrashTests {
    @Test func everyAcceptedEventSurvivesKillNine() async throws {
        let path = temporaryStorePath()
        let child = Process()
        child.executableURL = builtProduct("herald-store-crash")
        child.arguments = [path]
        let out = Pipe()
        child.standardOutput = out
        child.standardError = FileHandle.nullDevice
        try child.run()
        // A child that hangs without printing would block the reads below: kill it in time.
        let pid = child.processIdentifier
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60 * timeScale))
            kill(pid, SIGKILL)
        }
        defer { watchdog.cancel() }
        let reader = out.fileHandleForReading
        var printed = Data()
        // Read until enough ids came out (or the child gave up), seeing the store from this
        // process meanwhile, as `herald queue list` would while `serve` runs.
        var sawFromOutside = false
        while printed.filter({ $0 == UInt8(ascii: "\n") }).count < 300, child.isRunning {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            printed.append(chunk)
            if !sawFromOutside, printed.count > 100 {
                let reader = try await SQLiteStore.open(path: path)
                sawFromOutside = !(try await reader.list(state: .queued, limit: 5).isEmpty)
                await reader.close()
            }
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        printed.append(reader.readDataToEndOfFile())
        #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL)
        #expect(sawFromOutside, "another connection read the store while the child wrote")

        // A line cut short by the kill was never whole: only whole lines count as printed.
        var text = String(decoding: printed, as: UTF8.self)
        if let lastNewline = text.lastIndex(of: "\n") { text = String(text[...lastNewline]) } else { text = "" }
        let ids = text.split(separator: "\n").compactMap { Int64($0) }
        #expect(ids.count >= 300)

        let store = try await SQLiteStore.open(path: path)
        try await store.migrate()
        let stored = try await store.list(state: nil, limit: 1_000_000)
        await store.close()
        let perEvent = Dictionary(grouping: stored, by: \.eventID)
        let missing = ids.filter { perEvent[$0]?.count != 3 }
        #expect(missing.isEmpty, "accepted but not all stored after kill -9: \(missing.prefix(10))")
        // Whatever is stored is whole: no event has only some of its requests.
        #expect(perEvent.values.allSatisfy { $0.count == 3 })
    }
}

/// Sanitized builds run several times slower: `make sanitize` sets HERALD_TEST_TIME_SCALE.
let timeScale = ProcessInfo.processInfo.environment["HERALD_TEST_TIME_SCALE"].flatMap(Double.init) ?? 1

/// A product of this package built beside this test bundle.
func builtProduct(_ product: String) -> URL {
    let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
    var dir = Bundle.main.executableURL?.deletingLastPathComponent() ?? exe.deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent(product)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/\(product)")
}
