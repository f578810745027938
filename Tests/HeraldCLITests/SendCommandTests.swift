import Foundation
import HeraldTestSupport
import Testing

/// `herald send` as a process against a loopback relay: interruption, kill -9 and resume.
@Suite(.serialized) struct SendCommandTests {
    static func job(links: Int, messages: Int, rateLimit: Int = 0) -> String {
        var text = "version: 1\nname: e2e\nrate_limit: \(rateLimit)\nmax_batch: 1\naccess_token: ${HERALD_T_TOKEN}\nrecipients:\n"
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
        let killed = TestFlag()
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

        // The resume sends nothing that may have arrived: what was in flight at the kill is
        // uncertain, and each of those links waits (order) until told to send it again.
        let (second, err) = try start(args, in: dir)
        second.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(second.terminationStatus == 1, "\(stderr)")
        #expect(stderr.contains("continuing the run recorded in run.journal"))
        #expect(stderr.contains("--resend-uncertain"), "\(stderr)")
        let afterResume = relay.requests.map(\.body)
        #expect(Set(afterResume).count == afterResume.count, "no request arrived twice without --resend-uncertain")

        let (third, err3) = try start(args + ["--resend-uncertain"], in: dir)
        third.waitUntilExit()
        let stderr3 = String(decoding: err3.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(third.terminationStatus == 0, "\(stderr3)")

        let bodies = relay.requests.map(\.body)
        let contents = relay.requests.flatMap(\.messages).compactMap { ($0["text"] as? [String: Any])?["content"] as? String }
        #expect(Set(contents).count == 36, "every message delivered")
        let duplicates = Dictionary(grouping: bodies, by: { $0 }).filter { $0.value.count > 1 }
        #expect(duplicates.count <= 3, "only requests in flight at the kill (one per lane) may repeat, and only when asked")
        #expect(duplicates.values.allSatisfy { $0.count == 2 })
        #expect(relay.requests.count == 36 + duplicates.count)
        #expect(beforeKill < 36)
        #expect(!(stderr + stderr3).contains("E2E-TOKEN-SECRET") && !(stderr + stderr3).contains("E2E-SECRET-1000"))
    }

    @Test func sigintStopsNewRequestsWritesTheReportAndExits130() async throws {
        // From the second request on, answers wait until the signal is sent: a fixed hold let a
        // sanitized build on a loaded machine finish all ten before the signal came.
        let signalled = TestFlag()
        let relay = LoopbackRelay { request, _ in
            request.order >= 1
                ? .respondWhen(ready: { signalled.isSet }, limit: 120 * HeraldProcess.timeScale, status: 200, body: #"{"code":0,"data":{}}"#)
                : .respondAfter(seconds: 0.1, status: 200, headers: [], body: #"{"code":0,"data":{}}"#)
        }
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder(Self.job(links: 1, messages: 10))
        // A long --timeout: the held request must not time out (uncertain) before the signal.
        let (process, err) = try start(["send", "job.yaml", "--endpoint", relay.endpoint, "--journal", "run.journal", "--report", "report.json",
                                        "--timeout", "900"], in: dir)
        try await waitFor { relay.requests.count >= 2 }
        kill(process.processIdentifier, SIGINT)
        signalled.set()
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

    // MARK: - Proxies, TLS, the shared budget

    func run(_ args: [String], in dir: URL, env: [String: String] = [:]) throws -> HeraldProcess.Result {
        try HeraldProcess.run(["send", "job.yaml"] + args, in: dir,
                              environment: HeraldProcess.environment(["HERALD_T_TOKEN": "E2E-TOKEN-SECRET"].merging(env) { $1 }))
    }

    @Test func helpTeachesProxyTLSAndStateFlags() throws {
        let help = try HeraldProcess.run(["send", "--help"]).stdoutText
        for text in ["--proxy <URL>", "--cacert <FILE>", "--state-dir <DIR>", "HTTPS_PROXY", "NO_PROXY", "SSL_CERT_FILE",
                     "herald send job.yaml --proxy http://", "--cacert /etc/ssl/", "--state-dir /var/lib/herald"] {
            #expect(help.contains(text), "\(text)")
        }
    }

    @Test func aBadProxyOrCAFileIsAUsageErrorAndNothingIsSent() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder(Self.job(links: 1, messages: 2))
        let cases: [([String], [String: String], String)] = [
            (["--proxy", "socks5://me:PROXY-PW@proxy:1080"], [:], "--proxy: 'socks5://me:…@proxy:1080' is not a usable proxy"),
            ([], ["HTTPS_PROXY": "http://me:PROXY-PW@proxy:99999"], "HTTPS_PROXY: 'http://me:…@proxy:99999' is not a usable proxy"),
            (["--cacert", "no-such.pem"], [:], "--cacert no-such.pem: cannot read it (No such file or directory)"),
            ([], ["SSL_CERT_FILE": "job.yaml"], "SSL_CERT_FILE job.yaml: holds no PEM certificate"),
        ]
        for (args, env, message) in cases {
            let result = try run(["--endpoint", relay.endpoint] + args, in: dir, env: env)
            #expect(result.status == 2, "\(args) \(env)")
            #expect(result.stderr.contains("herald: error: " + message) && result.stderr.contains("nothing was sent"), "\(result.stderr)")
            #expect(!result.stderr.contains("PROXY-PW"))
        }
        #expect(relay.requests.isEmpty)
    }

    @Test func anUntrustedRelayCertificateIsFinalAndExplainedThenCacertFixesIt() async throws {
        let relay = LoopbackRelay(tls: .relay)
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder(Self.job(links: 1, messages: 2))
        try Data(TestCertificates.caPEM.utf8).write(to: dir.appendingPathComponent("company-ca.pem"))
        let untrusted = try run(["--endpoint", relay.endpoint, "--report", "r.json"], in: dir)
        #expect(untrusted.status == 1)
        #expect(untrusted.stderr.contains("request 1 to r0 (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…1000) failed after 1 attempt: TLS: the certificate of 127.0.0.1 is not trusted (CERTIFICATE_VERIFY_FAILED); for a company CA set SSL_CERT_FILE or --cacert"), "\(untrusted.stderr)")
        for text in [untrusted.stderr, try String(contentsOf: dir.appendingPathComponent("r.json"), encoding: .utf8)] {
            #expect(!text.contains(".build") && !text.contains("checkouts") && !text.contains("handshake.cc"))
        }
        #expect(relay.requests.isEmpty)
        #expect(try run(["--endpoint", relay.endpoint, "--cacert", "company-ca.pem"], in: dir).status == 0)
        #expect(try run(["--endpoint", relay.endpoint], in: dir, env: ["SSL_CERT_FILE": dir.appendingPathComponent("company-ca.pem").path]).status == 0)
        #expect(relay.requests.count == 4)
    }

    @Test func theProxyComesFromTheEnvironmentOrFlagAndItsPasswordIsNeverShown() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        let proxy = LoopbackProxy(policy: .credentials(user: "ops", password: "PROXY-PW"))
        try await proxy.start()
        defer { Task { await relay.stop(); await proxy.stop() } }
        let dir = try folder(Self.job(links: 2, messages: 1))
        let ok = try run(["--endpoint", relay.endpoint], in: dir, env: ["http_proxy": proxy.url(user: "ops", password: "PROXY-PW")])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(proxy.connects.count >= 1 && proxy.connects.allSatisfy(\.opened))
        #expect(relay.requests.count == 2)
        // A wrong password: the proxy refuses; the message names the proxy, not the password.
        let refused = try run(["--endpoint", relay.endpoint, "--retries", "0", "--report", "r.json",
                               "--proxy", proxy.url(user: "ops", password: "WRONG-PW")], in: dir, env: ["http_proxy": "http://127.0.0.1:1"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the proxy 127.0.0.1:\(proxy.port) asks for credentials (407)"), "\(refused.stderr)")
        let report = try String(contentsOf: dir.appendingPathComponent("r.json"), encoding: .utf8)
        for text in [ok.stderr, refused.stderr, report] { #expect(!text.contains("PROXY-PW") && !text.contains("WRONG-PW")) }
        // NO_PROXY sends it direct.
        let direct = try run(["--endpoint", relay.endpoint, "--proxy", proxy.url()], in: dir, env: ["NO_PROXY": "127.0.0.1"])
        #expect(direct.status == 0)
        #expect(relay.requests.count == 4)
    }

    @Test func runsShareARobotsBudgetThroughAStateFileWithoutSecrets() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder(Self.job(links: 1, messages: 3, rateLimit: 20))
        let state = dir.appendingPathComponent("state")
        let first = try run(["--endpoint", relay.endpoint, "--state-dir", state.path], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: state.path)
        #expect(files.count == 1)
        let file = state.appendingPathComponent(files[0])
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("\"link_sha256\""))
        for secret in ["E2E-SECRET", "E2E-TOKEN", "qyapi"] { #expect(!text.contains(secret)) }
        // $XDG_STATE_HOME/herald by default; a damaged file is a warning, and everything is sent.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("xdg/herald"), withIntermediateDirectories: true)
        try Data("not json".utf8).write(to: dir.appendingPathComponent("xdg/herald/" + files[0]))
        let second = try run(["--endpoint", relay.endpoint, "--report", "r.json", "--now", "2026-01-01T00:00:00Z"], in: dir,
                             env: ["XDG_STATE_HOME": dir.appendingPathComponent("xdg").path])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("herald: warning: the shared budget file"), "\(second.stderr)")
        #expect(relay.requests.count == 6)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("r.json"))) as? [String: Any]
        let waits = (report?["requests"] as? [[String: Any]])?.compactMap { $0["waits"] as? [String: Int] }
        #expect(waits?.count == 3, "every request reports its waits")
        // Without HOME, XDG_STATE_HOME or --state-dir, a paced run says it paces alone.
        let alone = try run(["--endpoint", relay.endpoint, "--now", "2026-01-02T00:00:00Z"], in: dir)
        #expect(alone.status == 0)
        #expect(alone.stderr.contains("no state folder"))
    }
}
