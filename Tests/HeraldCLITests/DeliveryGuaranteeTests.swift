import Foundation
import HeraldTestSupport
import Testing

/// What `herald send` promises as a process: signals stop it cleanly, the files it writes are
/// checked before anything is sent, a journal is one run, a full disk stops the run, and bad
/// option values or closed outputs never crash it.
@Suite(.serialized) struct DeliveryGuaranteeTests {
    let token = ["HERALD_T_TOKEN": "E2E-TOKEN-SECRET"]

    func folder(_ job: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-guarantee-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(job.utf8).write(to: dir.appendingPathComponent("job.yaml"))
        return dir
    }

    func run(_ args: [String], in dir: URL, timeout: Double = 20) throws -> HeraldProcess.Result {
        try HeraldProcess.run(args, in: dir, environment: HeraldProcess.environment(token), timeout: timeout)
    }

    func records(_ url: URL) throws -> [[String: Any]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            .map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "a whole record: \($0)") }
    }

    @Test(arguments: [SIGHUP, SIGTERM, SIGINT])
    func everyStopSignalFinishesWhatIsInFlightJournalsItAndExits130(signal: Int32) async throws {
        // From the third request on, answers wait until the signal is sent: the run cannot
        // finish first, however slowly the machine runs this test (a fixed 3 s hold was not
        // enough for a sanitized build on a loaded machine: the run finished unsignalled).
        let signalled = TestFlag()
        let relay = LoopbackRelay { request, _ in
            request.order >= 2
                ? .respondWhen(ready: { signalled.isSet }, limit: 120 * HeraldProcess.timeScale, status: 200, body: #"{"code":0,"data":{}}"#)
                : .respondAfter(seconds: 0.1, status: 200, headers: [], body: #"{"code":0,"data":{}}"#)
        }
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder(SendCommandTests.job(links: 1, messages: 10))
        let process = Process()
        process.executableURL = HeraldProcess.binary
        // A long --timeout: on a loaded machine this test's task may run late (other tests block
        // the cooperative threads waiting for their processes), and the held request must not
        // time out before the signal comes (it would be uncertain, not delivered).
        process.arguments = ["send", "job.yaml", "--endpoint", relay.endpoint, "--journal", "run.journal", "--timeout", "900"]
        process.currentDirectoryURL = dir
        process.environment = HeraldProcess.environment(token)
        process.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        process.standardError = err
        try process.run()
        // Sanitized builds are slow: the wait scales, and the signal goes only once the third
        // request is in flight (so the run cannot have finished).
        let deadline = Date().addingTimeInterval(20 * HeraldProcess.timeScale)
        while relay.requests.count < 3, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(relay.requests.count >= 3, "the third request in flight before the signal")
        signalled.set()
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit && process.terminationStatus == 130,
                "signal \(signal): \(process.terminationReason == .exit ? "exit" : "killed") \(process.terminationStatus); relay saw \(relay.requests.count); stderr: \(stderr)")
        let journal = try records(dir.appendingPathComponent("run.journal"))
        let sending = journal.filter { $0["type"] as? String == "sending" }.compactMap { $0["id"] as? String }
        let delivered = journal.filter { $0["status"] as? String == "delivered" }.compactMap { $0["id"] as? String }
        #expect(relay.requests.count == delivered.count, "the request in flight finished and was journalled")
        #expect(Set(sending) == Set(delivered), "nothing left uncertain")
    }

    @Test(arguments: [
        (["--concurrency", "0"], "from 1 to 256"), (["--concurrency", "100000"], "from 1 to 256"),
        (["--concurrency", "99999999999999999999"], "concurrency"), (["--timeout", "0"], "at most 3600"),
        (["--timeout", "1e300"], "at most 3600"), (["--timeout", "inf"], "at most 3600"), (["--timeout", "nan"], "at most 3600"),
        (["--timeout=-1"], "at most 3600"), (["--retries=-1"], "from 0 to 100"), (["--retries", "1000000000"], "from 0 to 100"),
    ])
    func aNumericOptionOutOfRangeIsExit2WithTheRange(args: [String], says: String) throws {
        let dir = try folder(SendCommandTests.job(links: 1, messages: 1))
        let result = try run(["send", "job.yaml", "--endpoint", "http://127.0.0.1:9/x/wecom"] + args, in: dir)
        #expect(result.status == 2, "\(args): \(result.stderr)")
        #expect(result.stderr.contains(says), "\(args): \(result.stderr)")
    }

    @Test func theJournalAndTheReportAreCheckedBeforeAnythingIsSent() async throws {
        try await withStarted(LoopbackRelay()) { relay in
            let dir = try folder(SendCommandTests.job(links: 1, messages: 2))
            #expect(mkfifo(dir.appendingPathComponent("fifo").path, 0o600) == 0)
            let cases: [([String], String)] = [
                (["--journal", "same.json", "--report", "same.json"], "name the same file"),
                (["--journal", "a.journal", "--report", "./a.journal"], "name the same file"),
                (["--report", "missing/folder/report.json"], "cannot write report"),
                (["--report", "."], "is a folder"),
                (["--report", "/dev/null"], "is a device"),
                (["--journal", "/dev/zero"], "is a device"),
                (["--journal", "fifo"], "is a FIFO"),
                (["--journal", "."], "is a folder"),
            ]
            for (args, says) in cases {
                let result = try run(["send", "job.yaml", "--endpoint", relay.endpoint] + args, in: dir)
                #expect(result.status == 2, "\(args): \(result.stderr)")
                #expect(result.stderr.contains(says) && result.stderr.contains("nothing was sent"), "\(args): \(result.stderr)")
            }
            #expect(relay.requests.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("missing").path))
        }
    }

    @Test func aRefusedRunWritesItsReportWithTheDiagnosticsAndLeavesNoJournal() throws {
        let dir = try folder(SendCommandTests.job(links: 1, messages: 2) + "unknown_key: 1\n")
        let result = try run(["send", "job.yaml", "--endpoint", "http://127.0.0.1:9/x/wecom", "--journal", "run.journal",
                              "--report", "report.json"], in: dir)
        #expect(result.status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("run.journal").path), "no empty journal left behind")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json"))) as? [String: Any])
        #expect(report["exit_code"] as? Int == 2)
        let diagnostics = report["diagnostics"] as? [String] ?? []
        #expect(diagnostics.contains { $0.contains("job.yaml:") && $0.contains("unknown_key") }, "\(diagnostics)")
        #expect((report["requests"] as? [Any])?.isEmpty == true)

        // The same without a token: the report says why.
        let noToken = try HeraldProcess.run(["send", "job.yaml", "--endpoint", "http://127.0.0.1:9/x/wecom", "--report", "r2.json"],
                                            in: try folder(SendCommandTests.job(links: 1, messages: 1)))
        #expect(noToken.status == 2)
    }

    @Test func aJournalIsOneRunItsFirstNowStandsAndADifferentNowIsRefused() async throws {
        try await withStarted(LoopbackRelay()) { relay in
            let dir = try folder(SendCommandTests.job(links: 2, messages: 3))
            let first = try run(["send", "job.yaml", "--endpoint", relay.endpoint, "--journal", "week.journal",
                                 "--now", "2026-11-25T09:30:00+08:00"], in: dir)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(relay.requests.count == 6)
            // Later (today, a week on), without --now: the journal's now renders the same bytes, so nothing is sent.
            let again = try run(["send", "job.yaml", "--endpoint", relay.endpoint, "--journal", "week.journal"], in: dir)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(relay.requests.count == 6, "nothing sent twice")
            #expect(again.stderr.contains("6 skipped"), "\(again.stderr)")
            let other = try run(["send", "job.yaml", "--endpoint", relay.endpoint, "--journal", "week.journal",
                                 "--now", "2026-11-26T09:30:00+08:00"], in: dir)
            #expect(other.status == 2)
            #expect(other.stderr.contains("week.journal") && other.stderr.contains("2026-11-25T01:30:00"), "\(other.stderr)")
            #expect(relay.requests.count == 6)
        }
    }

    /// A tmpfs of our own needs root and unshare(1): CI has both; elsewhere the test says it is skipped.
    static let canMountTmpfs = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")

    @Test(.enabled(if: canMountTmpfs, "needs root and unshare(1) to mount a 64 KiB tmpfs"))
    func aFullDiskStopsTheRunAndTheResumeSendsNothingTwice() async throws {
        try await withStarted(LoopbackRelay()) { relay in
            let dir = try folder(SendCommandTests.job(links: 1, messages: 60))
            let herald = HeraldProcess.binary.path
            // A 64 KiB tmpfs, nearly filled: the journal gets room for a few records only.
            let script = """
            set -e
            mount -t tmpfs -o size=64k tmpfs "$1/disk"
            dd if=/dev/zero of="$1/disk/fill" bs=1024 count=60 2>/dev/null || true
            set +e
            "\(herald)" send job.yaml --endpoint "\(relay.endpoint)" --journal "$1/disk/run.journal" --concurrency 1
            code=$?
            cp "$1/disk/run.journal" "$1/copied.journal"
            exit $code
            """
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("disk"), withIntermediateDirectories: true)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            process.arguments = ["-m", "/bin/sh", "-c", script, "sh", dir.path]
            process.currentDirectoryURL = dir
            process.environment = HeraldProcess.environment(token)
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if stderr.contains("mount:") || stderr.contains("unshare:") {
                print("DeliveryGuaranteeTests: skipped the full-disk test: cannot mount a tmpfs here (\(stderr.prefix(200)))")
                return
            }
            #expect(process.terminationStatus == 1, "\(stderr)")
            #expect(stderr.contains("cannot write journal") && stderr.contains("run.journal"), "\(stderr)")
            let sent = relay.requests.count
            #expect(sent < 60, "the run stopped")
            let journal = try records(dir.appendingPathComponent("copied.journal"))
            let sending = journal.filter { $0["type"] as? String == "sending" }.count
            #expect(sending == sent, "every request the relay got was journalled as in flight before it went")

            // Space is back: the resume sends each message once.
            let resume = try run(["send", "job.yaml", "--endpoint", relay.endpoint, "--journal", "copied.journal", "--concurrency", "1",
                                  "--resend-uncertain"], in: dir, timeout: 60)
            #expect(resume.status == 0, "\(resume.stderr)")
            let contents = relay.requests.flatMap(\.messages).compactMap { ($0["text"] as? [String: Any])?["content"] as? String }
            #expect(Set(contents).count == 60, "every message delivered")
            #expect(contents.count <= 61, "at most the one request whose outcome was lost came twice, and only when asked")
        }
    }

    @Test func failureLinesAndTheReportNameTheRecipient() async throws {
        try await withStarted(LoopbackRelay { _, _ in .json(200, #"{"code":0,"code":0}"#) }) { relay in
            let dir = try folder(SendCommandTests.job(links: 1, messages: 1))
            let result = try run(["send", "job.yaml", "--endpoint", relay.endpoint, "--report", "report.json"], in: dir)
            #expect(result.status == 1)
            #expect(result.stderr.contains("request 1 to r0 (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…1000) failed"), "\(result.stderr)")
            #expect(result.stderr.contains("'code' twice"), "the reason is on stderr, not only in the report: \(result.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json"))) as? [String: Any])
            let first = (report["requests"] as? [[String: Any]])?.first
            #expect(first?["recipients"] as? [String] == ["r0"])
        }
    }

    @Test func aFullOrClosedStandardOutputIsAnErrorAndAClosedStandardErrorNeverACrash() throws {
        let job = HeraldProcess.repoRoot.appendingPathComponent("examples/weekly-report/job.yaml").path
        let herald = HeraldProcess.binary.path
        func shell(_ command: String) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            process.environment = HeraldProcess.environment()
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationReason == .exit, "\(command): killed by a signal")
            return (process.terminationStatus, text)
        }
        let full = try shell("'\(herald)' send --dry-run '\(job)' > /dev/full")
        #expect(full.0 == 1 && full.1.contains("cannot write standard output"), "\(full)")
        let closed = try shell("'\(herald)' send --dry-run '\(job)' >&-")
        #expect(closed.0 == 1, "\(closed)")
        let noStderr = try shell("'\(herald)' check /nonexistent/job.yaml 2>&-; echo \"exit $?\" >&2")
        #expect(noStderr.1.contains("exit 2"), "\(noStderr)")
        let help = try shell("'\(herald)' --help >&- 2>&-; echo \"exit $?\" >&2")
        #expect(help.1.contains("exit 0"), "\(help)")
    }
}
