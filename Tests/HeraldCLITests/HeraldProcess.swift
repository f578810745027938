import Foundation

/// Runs the built `herald` binary as a user would, with its own folder, environment and stdin.
struct HeraldProcess {
    struct Result {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `HERALD_BIN`, else the `herald` built beside this test bundle.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["HERALD_BIN"] { return URL(fileURLWithPath: path) }
        return built("herald")
    }

    /// A product of this package built beside this test bundle (`herald`, `EmbeddingExample`).
    static func built(_ product: String) -> URL {
        // The test bundle's own path (Bundle.main is the test runner on every platform).
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var dir = Bundle.main.executableURL?.deletingLastPathComponent() ?? exe.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(product)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repoRoot.appendingPathComponent(".build/debug/\(product)")
    }

    /// A clean environment: no user's token or webhook variables leak into tests.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        let parent = ProcessInfo.processInfo.environment
        var env = ["PATH": parent["PATH"] ?? "/usr/bin:/bin", "TZ": "UTC", "LANG": "C.UTF-8"]
        // `make sanitize` runs a sanitized herald: it must get the same sanitizer settings.
        for key in ["ASAN_OPTIONS", "TSAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"] { env[key] = parent[key] }
        env.merge(extra) { $1 }
        return env
    }

    /// Sanitized builds run several times slower: `make sanitize` sets HERALD_TEST_TIME_SCALE.
    static let timeScale = ProcessInfo.processInfo.environment["HERALD_TEST_TIME_SCALE"].flatMap(Double.init) ?? 1

    static func run(_ arguments: [String], in directory: URL = repoRoot, environment: [String: String] = environment(),
                    stdin: [UInt8]? = nil, timeout: TimeInterval = 20, executable: URL = binary) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        let timeout = timeout * timeScale
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
        try? input.fileHandleForWriting.close()
        // Drain both pipes while the process runs so a large output cannot block it.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw Timeout(arguments: arguments, seconds: timeout)
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: [UInt8](outData), stderr: String(decoding: errData, as: UTF8.self))
    }

    struct Timeout: Error, CustomStringConvertible {
        var arguments: [String]
        var seconds: TimeInterval
        var description: String { "herald \(arguments.joined(separator: " ")) did not finish within \(seconds) s" }
    }
}

/// A fixture folder's `args` (one argument per line) and `env` (NAME=value lines).
struct FixtureFolder {
    let url: URL
    var name: String { url.lastPathComponent }

    func lines(_ file: String) -> [String] {
        guard let text = try? String(contentsOf: url.appendingPathComponent(file), encoding: .utf8) else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    var arguments: [String] { lines("args") }

    var environment: [String: String] {
        var env: [String: String] = [:]
        for line in lines("env") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            env[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return env
    }

    static func all(in relative: String) -> [FixtureFolder] {
        let dir = HeraldProcess.repoRoot.appendingPathComponent(relative)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { FixtureFolder(url: dir.appendingPathComponent($0)) }
            .filter { FileManager.default.fileExists(atPath: $0.url.appendingPathComponent("job.yaml").path) }
    }
}

extension FixtureFolder: CustomTestStringConvertible {
    var testDescription: String { name }
}

/// `UPDATE_GOLDEN=1 make test` rewrites expected files instead of comparing (review the diff!).
let updatingGoldenFiles = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"

import Testing
