import Foundation
import HeraldTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `herald serve` as a process over real sockets (SPEC §11): every answer of the table, the
/// exact bodies the offline dry run prints, nothing lost across kill -9 and a relay outage,
/// drain on SIGTERM, reload on SIGHUP, dedupe, a slow client, secrets never shown.
@Suite(.serialized) struct ServeTests {
    static let job = "Tests/Fixtures/serve/job.yaml"
    static let firing = "Tests/Fixtures/serve/alertmanager-firing.json"
    static let secrets = ["TEST-SERVE-TOKEN-0001", "TEST-ACCESS-TOKEN-0001", "SERVE-TEST-OPS-KEY-0001", "SERVE-TEST-DB-KEY-0002", "SERVE-TEST-WEB-KEY-0003"]

    func storePath() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("herald.sqlite").path
    }

    func seq(_ team: String, _ n: Int) -> String { #"{"team":"\#(team)","seq":\#(n)}"# }

    /// The `seq` numbers the relay received for a link, in arrival order.
    static func sequence(_ requests: [LoopbackRelay.RecordedRequest], key: String) -> [Int] {
        requests.filter { $0.link?.contains(key) == true }.flatMap { request in
            request.messages.compactMap { message -> Int? in
                guard let text = (message["text"] as? [String: Any])?["content"] as? String else { return nil }
                return Int(text.split(separator: " ").dropFirst().first ?? "")
            }
        }
    }

    @Test func everyAnswerOfTheTable() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let server = try ServeProcess(job: Self.job, store: try storePath(), endpoint: relay.endpoint)
        let client = server.client

        let accepted = try client.post("/events/seq", json: seq("ops", 1))
        #expect(accepted.status == 202, "\(accepted.text)")
        #expect(accepted.headers["content-type"] == "application/json")
        #expect(accepted.json?["id"] as? Int != nil && accepted.json?["requests"] as? Int == 1 && accepted.json?["messages"] as? Int == 1, "\(accepted.text)")

        let payload = try String(contentsOfFile: HeraldProcess.repoRoot.appendingPathComponent(Self.firing).path, encoding: .utf8)
        let first = try client.post("/events/alertmanager", json: payload)
        #expect(first.status == 202, "\(first.text)")
        // The HA pair's other replica: the same group from another Alertmanager.
        let replica = payload.replacingOccurrences(of: "http://alertmanager-0:9093", with: "http://alertmanager-1:9093")
        let duplicate = try client.post("/events/alertmanager", json: replica)
        #expect(duplicate.status == 200 && duplicate.json?["duplicate"] as? Bool == true, "\(duplicate.text)")
        #expect(duplicate.json?["id"] as? Int == first.json?["id"] as? Int)
        let resolved = try client.post("/events/alertmanager", json: payload.replacingOccurrences(of: "\"firing\"", with: "\"resolved\""))
        #expect(resolved.status == 202, "a status change is a new event: \(resolved.text)")

        let notJSON = try client.post("/events/seq", json: "{nope")
        #expect(notJSON.status == 400 && notJSON.json?["error"] is String, "\(notJSON.text)")
        let notObject = try client.post("/events/seq", json: "[1, 2]")
        #expect(notObject.status == 400, "\(notObject.text)")
        let deep = try client.post("/events/seq", json: String(repeating: "{\"a\":", count: 200) + "1" + String(repeating: "}", count: 200))
        #expect(deep.status == 400 && deep.text.contains("deeper"), "\(deep.text)")

        let anonymous = try client.post("/events/seq", json: seq("ops", 2), token: nil)
        #expect(anonymous.status == 401 && anonymous.headers["www-authenticate"]?.hasPrefix("Bearer") == true, "\(anonymous.text)")
        let wrong = try client.post("/events/seq", json: seq("ops", 2), token: "TEST-SERVE-TOKEN-0002")
        #expect(wrong.status == 401)

        let nowhere = try client.request("GET", "/nowhere")
        #expect(nowhere.status == 404 && nowhere.json?["error"] is String)
        let noRoute = try client.post("/events/nope", json: "{}")
        #expect(noRoute.status == 404 && noRoute.text.contains("/events/seq"), "\(noRoute.text)")
        let get = try client.request("GET", "/events/seq")
        #expect(get.status == 405 && get.headers["allow"] == "POST", "\(get.text)")

        let big = try client.post("/events/seq", json: #"{"team":"ops","seq":3,"pad":""# + String(repeating: "x", count: 70_000) + "\"}")
        #expect(big.status == 413 && big.json?["error"] is String, "\(big.text)")

        let notAlertmanager = try client.post("/events/alertmanager", json: #"{"status":"firing"}"#)
        #expect(notAlertmanager.status == 422 && (notAlertmanager.json?["diagnostics"] as? [String])?.isEmpty == false, "\(notAlertmanager.text)")
        let noRecipient = try client.post("/events/seq", json: seq("nobody", 4))
        #expect(noRecipient.status == 422 && noRecipient.text.contains("nobody"), "\(noRecipient.text)")

        let health = try client.request("GET", "/healthz")
        #expect(health.status == 200)
        let ready = try client.request("GET", "/readyz")
        #expect(ready.status == 200)
        let metricsRefused = try client.request("GET", "/metrics")
        #expect(metricsRefused.status == 401)
        let metrics = try client.request("GET", "/metrics", headers: ["Authorization": "Bearer TEST-SERVE-TOKEN-0001"])
        #expect(metrics.status == 200)
        for name in ["herald_events_total", "herald_requests_total", "herald_queue_requests", "herald_queue_oldest_seconds", "herald_robot_wait_seconds_total"] {
            #expect(metrics.text.contains(name), "\(name) in /metrics")
        }
        #expect(metrics.text.contains(#"route="alertmanager""#) && metrics.text.contains(#"result="duplicate""#))

        #expect(ServeProcess.waitUntil { relay.requests.count == 3 }, "the three accepted events delivered: \(relay.requests.count)")
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
        let everything = server.stderr + metrics.text + relay.requests.map { "\($0.uri)" }.joined()
        for secret in Self.secrets where secret != "TEST-ACCESS-TOKEN-0001" { #expect(!server.stderr.contains(secret), "\(secret) in the log") }
        #expect(!metrics.text.contains("SERVE-TEST"), "no link in the metrics")
        #expect(everything.contains("result=accepted"))
    }

    @Test func theRelayGetsExactlyTheOfflineDryRunsBodies() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let server = try ServeProcess(job: Self.job, store: try storePath(), endpoint: relay.endpoint)
        let payload = try String(contentsOfFile: HeraldProcess.repoRoot.appendingPathComponent(Self.firing).path, encoding: .utf8)
        let answer = try server.client.post("/events/alertmanager", json: payload)
        #expect(answer.status == 202, "\(answer.text)")
        #expect(ServeProcess.waitUntil { relay.requests.count == 1 })
        let dry = try HeraldProcess.run(["send", Self.job, "--dry-run", "--event", Self.firing, "--route", "alertmanager", "--endpoint", relay.endpoint],
                                        environment: HeraldProcess.environment(["HERALD_SERVE_TOKEN": "x"]))
        #expect(dry.status == 0, "\(dry.stderr)")
        let lines = dry.stdout.split(separator: UInt8(ascii: "\n")).map(Array.init)
        #expect(lines == relay.requests.map(\.body), "byte for byte")
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
    }

    /// Every saved payload of examples/alerts: what the relay receives from serve is, byte for
    /// byte, what `herald send --dry-run --event P --route R` prints for it.
    @Test(arguments: [("alertmanager-firing.json", "alertmanager"), ("alertmanager-resolved.json", "alertmanager"),
                      ("alertmanager-300-alerts.json", "alertmanager"), ("grafana-firing.json", "grafana"), ("release.json", "release")])
    func theShippedPayloadsAreServedExactlyAsTheDryRunPrintsThem(payload: String, route: String) async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let job = "examples/alerts/job.yaml"
        let file = "examples/alerts/payloads/\(payload)"
        let dry = try HeraldProcess.run(["send", job, "--dry-run", "--event", file, "--route", route, "--endpoint", relay.endpoint])
        #expect(dry.status == 0, "\(dry.stderr)")
        let expected = dry.stdout.split(separator: UInt8(ascii: "\n")).map(Array.init)
        #expect(!expected.isEmpty)
        let server = try ServeProcess(job: job, store: try storePath(), endpoint: relay.endpoint)
        let body = try String(contentsOfFile: HeraldProcess.repoRoot.appendingPathComponent(file).path, encoding: .utf8)
        let answer = try server.client.post("/events/\(route)", json: body)
        #expect(answer.status == 202 && answer.json?["requests"] as? Int == expected.count, "\(answer.text)")
        // Links are sent side by side, each in its order; a robot takes 20 messages a minute,
        // so a big group's later requests wait their turn: what has arrived by then is compared.
        let budget = 20
        var due = 0, messages = 0
        for line in expected {
            messages += (try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])?.flatMap { $0["data"] as? [Any] }?.count ?? 0
            if messages > budget { break }
            due += 1
        }
        #expect(ServeProcess.waitUntil { relay.requests.count >= due }, "\(server.stderr.suffix(1500))")
        func perLink(_ bodies: [[UInt8]]) -> [String: [String]] {
            Dictionary(grouping: bodies.map { String(decoding: $0, as: UTF8.self) }) { body in
                String(body.split(separator: ",").first ?? "")
            }
        }
        let got = perLink(relay.requests.map(\.body))
        let want = perLink(expected)
        for (link, bodies) in got {
            let wanted = want[link] ?? []
            #expect(bodies.count <= wanted.count && Array(wanted.prefix(bodies.count)) == bodies, "\(payload): the bodies of \(link) differ from the dry run's")
        }
        #expect(got.values.map(\.count).reduce(0, +) >= due)
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
    }

    @Test func killedMidFlightNothingAcceptedIsLostAndOrderPerLinkHolds() async throws {
        let relay = LoopbackRelay(threads: 2) { _, _ in
            .respondAfter(seconds: 0.15, status: 200, headers: [("Content-Type", "application/json")], body: #"{"code":0,"data":{}}"#)
        }
        try await relay.start()
        defer { Task { await relay.stop() } }
        let store = try storePath()
        let teams = ["ops", "db", "web"]
        var server = try ServeProcess(job: Self.job, store: store, endpoint: relay.endpoint, extra: ["--concurrency", "3"])
        var accepted: [String: [Int]] = [:]
        for n in 1...30 {
            let team = teams[n % 3]
            let answer = try server.client.post("/events/seq", json: seq(team, n))
            if answer.status == 202 { accepted[team, default: []].append(n) }
        }
        #expect(accepted.values.map(\.count).reduce(0, +) == 30)
        #expect(ServeProcess.waitUntil { relay.requests.count >= 6 }, "some delivered before the kill")
        server.signal(SIGKILL)
        server.waitForExit()
        let beforeRestart = relay.requests.count
        server = try ServeProcess(job: Self.job, store: store, endpoint: relay.endpoint, extra: ["--concurrency", "3"])
        #expect(ServeProcess.waitUntil(timeout: 60) {
            teams.allSatisfy { Set(Self.sequence(relay.requests, key: "SERVE-TEST-\($0.uppercased())")).isSuperset(of: accepted[$0] ?? []) }
        }, "every accepted event reached the relay")
        let keys = ["ops": "SERVE-TEST-OPS", "db": "SERVE-TEST-DB", "web": "SERVE-TEST-WEB"]
        var twice = 0
        for team in teams {
            let got = Self.sequence(relay.requests, key: keys[team]!)
            // A request in flight at the kill may come again, right after itself: dropping
            // immediate repeats leaves the accepted order exactly.
            var deduped: [Int] = []
            for n in got where deduped.last != n { deduped.append(n) }
            twice += got.count - deduped.count
            #expect(deduped == accepted[team], "\(team): in order of acceptance: \(got)")
        }
        #expect(twice <= 3, "at most the requests in flight at the kill (concurrency 3) sent twice: \(twice)")
        #expect(relay.requests.count > beforeRestart)
        #expect(server.stderr.contains("sent again") || twice == 0)
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
    }

    @Test func aRelayOutageIsWaitedOutAndEverythingDrains() async throws {
        // First 503s, then the relay is gone (connection refused), then it is back.
        let down = TestFlag()
        let relay = LoopbackRelay { _, _ in down.isSet ? .accept : .json(503, #"{"code":503,"msg":"busy"}"#) }
        try await relay.start()
        let port = relay.port
        defer { Task { await relay.stop() } }
        let server = try ServeProcess(job: Self.job, store: try storePath(), endpoint: relay.endpoint)
        for n in 1...6 {
            #expect(try server.client.post("/events/seq", json: seq(["ops", "db"][n % 2], n)).status == 202)
        }
        #expect(ServeProcess.waitUntil { relay.requests.count >= 2 }, "503s seen")
        await relay.closeListener()
        try await Task.sleep(for: .seconds(2))
        down.set()
        try await relay.start(port: port)
        #expect(ServeProcess.waitUntil(timeout: 90) {
            Set(Self.sequence(relay.requests.filter { _ in true }, key: "SERVE-TEST-OPS") + Self.sequence(relay.requests, key: "SERVE-TEST-DB")).count == 6
                && relay.requests.suffix(6).count == 6
        }, "all six delivered after the outage: \(server.stderr.suffix(2000))")
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
    }

    @Test func sigtermDrainsAnswers503AndExitsZero() async throws {
        // The first answer waits until the server says it is stopping: with a fixed hold, a slow
        // machine could finish it and claim the second before the signal arrived.
        let stopping = TestFlag()
        let relay = LoopbackRelay { _, _ in
            .respondWhen(ready: { stopping.isSet }, limit: 60 * HeraldProcess.timeScale, status: 200, body: #"{"code":0,"data":{}}"#)
        }
        try await relay.start()
        defer { Task { await relay.stop() } }
        let store = try storePath()
        let server = try ServeProcess(job: Self.job, store: store, endpoint: relay.endpoint, extra: ["--timeout", "900"])
        #expect(try server.client.post("/events/seq", json: seq("ops", 1)).status == 202)
        #expect(try server.client.post("/events/seq", json: seq("ops", 2)).status == 202)
        #expect(ServeProcess.waitUntil { relay.requests.count == 1 }, "the first in flight")
        server.signal(SIGTERM)
        #expect(ServeProcess.waitUntil(timeout: 5) { server.stderr.contains("stopping") })
        let late = try? server.client.post("/events/seq", json: seq("ops", 3))
        stopping.set()
        if let late { #expect(late.status == 503 && late.headers["retry-after"] != nil, "\(late.text)") }
        #expect(server.waitForExit() == 0, "\(server.stderr)")
        #expect(relay.requests.count == 1, "the one in flight finished; the queued one stays queued")
        let list = try HeraldProcess.run(["queue", "--store", store, "list"])
        #expect(list.status == 0 && list.stdoutText.contains("queued"), "\(list.stdoutText)\(list.stderr)")
        #expect(!list.stdoutText.contains("SERVE-TEST-OPS-KEY-0001"), "links masked in the listing")
    }

    @Test func sighupWithABrokenJobKeepsTheOldOne() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-serve-hup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let jobURL = dir.appendingPathComponent("job.yaml")
        let original = try String(contentsOfFile: HeraldProcess.repoRoot.appendingPathComponent(Self.job).path, encoding: .utf8)
        try original.write(to: jobURL, atomically: true, encoding: .utf8)
        let server = try ServeProcess(job: jobURL.path, store: dir.appendingPathComponent("s.sqlite").path, endpoint: relay.endpoint, in: dir)
        try (original + "\n  oops: [\n").write(to: jobURL, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        #expect(ServeProcess.waitUntil(timeout: 10) { server.stderr.contains("still serving the job loaded before") }, "\(server.stderr)")
        #expect(try server.client.post("/events/seq", json: seq("ops", 1)).status == 202, "the old job serves on")
        try original.replacingOccurrences(of: "    seq:\n", with: "    sequence:\n").write(to: jobURL, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        #expect(ServeProcess.waitUntil(timeout: 10) { server.stderr.contains("reloaded") }, "\(server.stderr)")
        #expect(try server.client.post("/events/sequence", json: seq("ops", 2)).status == 202, "the new job's route")
        #expect(try server.client.post("/events/seq", json: seq("ops", 3)).status == 404, "the old route is gone")
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
    }

    @Test func aSlowClientHoldsNoWorkerAndIsCutOff() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let server = try ServeProcess(job: Self.job, store: try storePath(), endpoint: relay.endpoint, extra: ["--idle-timeout", "1"])
        // 50 connections that send half a request head and then nothing.
        var slow: [Int32] = []
        for _ in 0..<50 {
            let fd = try server.client.connect()
            RawHTTPClient.write(fd, Array("POST /events/seq HTTP/1.1\r\nHost: x\r\nContent-Le".utf8))
            slow.append(fd)
        }
        defer { for fd in slow { close(fd) } }
        let start = Date()
        #expect(try server.client.post("/events/seq", json: seq("ops", 1)).status == 202)
        #expect(Date().timeIntervalSince(start) < 5 * HeraldProcess.timeScale, "answered beside the slow clients")
        // The slow ones are closed by the server after the idle timeout: a read sees the end.
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = recv(slow[0], &buffer, buffer.count, 0)
        #expect(n <= 0 || String(decoding: buffer[0..<n], as: UTF8.self).hasPrefix("HTTP/1.1 4"), "closed (or refused) after the idle timeout")
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
    }

    @Test func aFinalFailureIsKeptTheLinkGoesOnAndQueueRetryAndDropWork() async throws {
        // The first request to ops is refused for good (a final relay code) until retried.
        let retried = TestFlag()
        let relay = LoopbackRelay { request, _ in
            if String(decoding: request.body, as: UTF8.self).contains("seq 1 for ops"), !retried.isSet {
                return .json(200, #"{"code":93000,"msg":"invalid webhook key"}"#)
            }
            return .accept
        }
        try await relay.start()
        defer { Task { await relay.stop() } }
        let store = try storePath()
        let server = try ServeProcess(job: Self.job, store: store, endpoint: relay.endpoint, extra: ["--log-format", "json"])
        for n in 1...3 { #expect(try server.client.post("/events/seq", json: seq("ops", n)).status == 202) }
        #expect(ServeProcess.waitUntil { Self.sequence(relay.requests, key: "SERVE-TEST-OPS").contains(3) }, "the link went on past the failure")
        let failed = try HeraldProcess.run(["queue", "--store", store, "list", "--state", "failed", "--json"])
        #expect(failed.status == 0, "\(failed.stderr)")
        let lines = failed.stdoutText.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 1 && (lines.first?["last_error"] as? String)?.contains("93000") == true, "\(failed.stdoutText)")
        #expect(!failed.stdoutText.contains("SERVE-TEST-OPS-KEY-0001"), "the link is masked")
        let id = try #require(lines.first?["id"] as? Int)
        retried.set()
        let retry = try HeraldProcess.run(["queue", "--store", store, "retry", String(id)])
        #expect(retry.status == 0 && retry.stdoutText.contains("1 request queued again"), "\(retry.stdoutText)\(retry.stderr)")
        #expect(ServeProcess.waitUntil { Self.sequence(relay.requests, key: "SERVE-TEST-OPS").filter { $0 == 1 }.count == 2 }, "sent again after the retry")
        let drop = try HeraldProcess.run(["queue", "--store", store, "drop", "999999"])
        #expect(drop.status == 1 && drop.stdoutText.contains("0 requests dropped"), "\(drop.stdoutText)\(drop.stderr)")
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
        // --log-format json: every line one JSON object, none with a secret.
        let logLines = server.stderr.split(separator: "\n")
        #expect(!logLines.isEmpty)
        for line in logLines {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "a JSON line: \(line)")
            for secret in Self.secrets where secret != "TEST-ACCESS-TOKEN-0001" { #expect(!line.contains(secret)) }
        }
        #expect(server.stderr.contains("93000"))
    }

    @Test func startUpRefusals() throws {
        let noAuth = FileManager.default.temporaryDirectory.appendingPathComponent("herald-serve-noauth-\(UUID().uuidString).yaml")
        let original = try String(contentsOfFile: HeraldProcess.repoRoot.appendingPathComponent(Self.job).path, encoding: .utf8)
        try original.replacingOccurrences(of: "  auth:\n    bearer: ${HERALD_SERVE_TOKEN}\n", with: "").write(to: noAuth, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: noAuth) }
        let wide = try HeraldProcess.run(["serve", noAuth.path, "--listen", "0.0.0.0:0", "--store", try storePath()],
                                         environment: HeraldProcess.environment(["KDOCS_ACCESS_TOKEN": "T"]))
        #expect(wide.status == 2 && wide.stderr.contains("not loopback"), "\(wide.stderr)")
        let noToken = try HeraldProcess.run(["serve", Self.job, "--listen", "127.0.0.1:0", "--store", try storePath()],
                                            environment: HeraldProcess.environment(["KDOCS_ACCESS_TOKEN": "T"]))
        #expect(noToken.status == 2 && noToken.stderr.contains("HERALD_SERVE_TOKEN"), "an unset auth secret: \(noToken.stderr)")
        let badStore = try HeraldProcess.run(["serve", Self.job, "--store", "/proc/herald.sqlite"],
                                             environment: HeraldProcess.environment(["KDOCS_ACCESS_TOKEN": "T", "HERALD_SERVE_TOKEN": "S"]))
        #expect(badStore.status == 2, "\(badStore.stderr)")
        let notAJob = try HeraldProcess.run(["serve", "examples/weekly-report/job.yaml", "--store", try storePath()],
                                            environment: HeraldProcess.environment(["KDOCS_ACCESS_TOKEN": "T"]))
        #expect(notAJob.status == 2 && notAJob.stderr.contains("serve:"), "\(notAJob.stderr)")
    }
}
