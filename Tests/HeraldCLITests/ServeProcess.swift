import Foundation
import HeraldTemplate
#if canImport(Glibc)
import Glibc
#endif

/// `herald serve` as a child process on a port the system picks: started, posted to, signalled
/// or killed with SIGKILL, and its log read back.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    private let log = Locked<[UInt8]>([])
    private(set) var port = 0

    struct StartFailure: Error, CustomStringConvertible { var description: String }

    /// Starts `herald serve JOB --listen 127.0.0.1:0 --store STORE --endpoint ENDPOINT …` and
    /// waits until it listens.
    init(job: String, store: String, endpoint: String, extra: [String] = [], in directory: URL = HeraldProcess.repoRoot,
         environment: [String: String] = [:]) throws {
        process.executableURL = HeraldProcess.binary
        process.arguments = ["serve", job, "--listen", "127.0.0.1:0", "--store", store, "--endpoint", endpoint] + extra
        process.currentDirectoryURL = directory
        process.environment = HeraldProcess.environment(["KDOCS_ACCESS_TOKEN": "TEST-ACCESS-TOKEN-0001",
                                                        "HERALD_SERVE_TOKEN": "TEST-SERVE-TOKEN-0001"].merging(environment) { $1 })
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        let log = self.log
        err.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if !chunk.isEmpty { log.withLock { $0 += chunk } }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(30 * HeraldProcess.timeScale)
        while Date() < deadline {
            if let port = Self.listeningPort(in: stderr) {
                self.port = port
                return
            }
            if !process.isRunning { break }
            usleep(20_000)
        }
        let text = stderr
        if process.isRunning { process.terminate() }
        throw StartFailure(description: "herald serve did not start listening:\n\(text)")
    }

    var stderr: String { String(decoding: log.withLock { $0 }, as: UTF8.self) }
    var client: RawHTTPClient { RawHTTPClient(port: port) }

    static func listeningPort(in text: String) -> Int? {
        guard let range = text.range(of: "listening on http://127.0.0.1:") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits for the process to end; its exit status, or nil when it did not end in time.
    @discardableResult
    func waitForExit(timeout: Double = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout * HeraldProcess.timeScale)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Until `condition` holds (checked every 20 ms) or the time is up.
    static func waitUntil(timeout: Double = 30, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout * HeraldProcess.timeScale)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
