import Foundation
import HeraldTestSupport
import Testing

/// `herald send` as a process against a loopback relay: interruption, kill -9 and resume.
@Suite(.serialized) struct SendCommandTests {
    static func job(links: Int, messages: Int) -> String {
        var text = "version: 1\nname: e2e\nrate_limit: 0\nmax_batch: 1\naccess_token: ${HERALD_T_TOKEN}\nrecipients:\n"
        for l in 0..<links { text += "  r\(l): { link: \"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=E2E-SECRET-\(1000 + l)\" }\n" }
        text += "messages:\n  - to: [\((0..<links).map { "r\($0)" }.joined(separator: ", "))]\n"
        text += "    for_each: [\((1...messages).map(String.init).joined(separator: ", "))]\n"
        text += "    text: { content: \"message {{row}} to {{recipient.name}} at {{now}}\" }\n"
        return text
    }

    func folder(_ job: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(job.utf8).write(to: dir.appendingPathComponent("job.yaml"))
        return dir
    }

    func start(_ args: [String], in dir: URL) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = HeraldProcess.binary
        process.arguments = args
        process.currentDirectoryURL = dir
        process.environment = HeraldProcess.environment(["HERALD_T_TOKEN": "E2E-TOKEN-SECRET"])
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, err)
    }

    func waitFor(_ condition: () -> Bool, seconds: Double = 20) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { throw HeraldProcess.Timeout(arguments: ["wait"], seconds: seconds) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func killedRunResumesWithTheJournalSendingNothingTwiceButWhatWasInFlight() async throws {
        // Until the kill, requests after the 9th hang: the first run cannot finish first, however
        // slow the machine (a sanitizer build, a busy CI box).
        let killed = Flag()
        let relay = LoopbackRelay { request, _ in
            .respondAfter(seconds: request.order >= 9 && !killed.isSet ? 30 : 0.15, status: 200, headers: [], body: #"{"code":0,"data":{}}"#)
        }
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder(Self.job(links: 3, messages: 12))
        let args = ["send", "job.yaml", "--endpoint", relay.endpoint, "--journal", "run.journal", "--concurrency", "3"]

        let (first, _) = try start(args, in: dir)
        try await waitFor { relay.requests.count >= 9 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        killed.set()
        let beforeKill = relay.requests.count

        let (second, err) = try start(args, in: dir)
        second.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(second.terminationStatus == 0, "\(stderr)")
        #expect(stderr.contains("resuming the unfinished run"))

        let bodies = relay.requests.map(\.body)
        let contents = relay.requests.flatMap(\.messages).compactMap { ($0["text"] as? [String: Any])?["content"] as? String }
        #expect(Set(contents).count == 36, "every message delivered")
        let duplicates = Dictionary(grouping: bodies, by: { $0 }).filter { $0.value.count > 1 }
        #expect(duplicates.count <= 3, "only requests in flight at the kill (one per lane) may repeat")
        #expect(duplicates.values.allSatisfy { $0.count == 2 })
        #expect(relay.requests.count == 36 + duplicates.count)
        #expect(beforeKill < 36)
        #expect(!stderr.contains("E2E-TOKEN-SECRET") && !stderr.contains("E2E-SECRET-1000"))
    }

    @Test func sigintStopsNewRequestsWritesTheReportAndExits130() async throws {
        let relay = LoopbackRelay { _, _ in .respondAfter(seconds: 0.3, status: 200, headers: [], body: #"{"code":0,"data":{}}"#) }
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder(Self.job(links: 1, messages: 10))
        let (process, err) = try start(["send", "job.yaml", "--endpoint", relay.endpoint, "--journal", "run.journal", "--report", "report.json"], in: dir)
        try await waitFor { relay.requests.count >= 2 }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("interrupted"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json"))) as? [String: Any]
        #expect(report?["interrupted"] as? Bool == true)
        let totals = report?["totals"] as? [String: Int]
        #expect(totals?["delivered"] == relay.requests.count, "the in-flight request finished and was recorded")
        #expect((totals?["not_sent"] ?? 0) > 0)
        let journal = try String(contentsOf: dir.appendingPathComponent("run.journal"), encoding: .utf8)
        #expect(journal.components(separatedBy: "\"status\":\"delivered\"").count - 1 == relay.requests.count)
    }

    @Test func aRealSendWithoutATokenIsAUsageError() throws {
        let dir = try folder(Self.job(links: 1, messages: 1).replacingOccurrences(of: "access_token: ${HERALD_T_TOKEN}\n", with: ""))
        let result = try HeraldProcess.run(["send", "job.yaml", "--endpoint", "http://127.0.0.1:9/x"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("no access token"))
    }

    @Test func failuresAreReportedWithCodeMsgAndHintButNoSecrets() async throws {
        let relay = LoopbackRelay { request, _ in
            .json(200, #"{"code":93000,"data":{},"msg":"invalid webhook url \#(request.uri)","hint":"check the key"}"#)
        }
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder(Self.job(links: 1, messages: 2))
        let result = try HeraldProcess.run(["send", "job.yaml", "--endpoint", relay.endpoint, "--report", "r.json"], in: dir,
                                           environment: HeraldProcess.environment(["HERALD_T_TOKEN": "E2E-TOKEN-SECRET"]))
        #expect(result.status == 1)
        #expect(result.stderr.contains("code 93000"))
        #expect(result.stderr.contains("hint: check the key"))
        #expect(result.stderr.contains("0 of 2 requests"))
        let report = try String(contentsOf: dir.appendingPathComponent("r.json"), encoding: .utf8)
        for text in [result.stderr, report] {
            #expect(!text.contains("E2E-TOKEN-SECRET") && !text.contains("E2E-SECRET-1000"))
        }
        #expect(relay.requests.count == 1, "the link's second request was not sent after a final failure")
    }
}

/// A flag set once, read from the relay's threads.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}
