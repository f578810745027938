import Foundation
import Testing

/// `--event FILE --route NAME` on send --dry-run, render, plan, preview and check, run through
/// the built herald on the saved payloads of Tests/Fixtures/events.
@Suite struct EventCommandTests {
    static let folder = HeraldProcess.repoRoot.appendingPathComponent("Tests/Fixtures/events")
    static let now = ["--now", "2026-12-04T08:05:00Z"]

    func run(_ args: [String], stdin: [UInt8]? = nil, environment: [String: String] = [:]) throws -> HeraldProcess.Result {
        try HeraldProcess.run(args, in: Self.folder, environment: HeraldProcess.environment(environment), stdin: stdin)
    }

    func expected(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Self.folder.appendingPathComponent("expected/\(name).jsonl")))
    }

    @Test(arguments: [("alertmanager", "firing"), ("alertmanager", "grafana-resolved"), ("per-alert", "firing"), ("release", "release")])
    func theDryRunPrintsTheSavedBodies(_ route: String, _ event: String) throws {
        let result = try run(["send", "--dry-run", "job.yaml", "--event", "\(event).json", "--route", route] + Self.now)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdout == (try expected("\(route)-\(event)")))
    }

    @Test func theSavedBodiesAreWhatTheRouteMakes() throws {
        // The group's team (db) and owner (alice) pick the robot and the mention; per alert, each alert's own team.
        let firing = String(decoding: try expected("alertmanager-firing"), as: UTF8.self)
        #expect(firing.contains("key=00000000-0000-0000-0000-000000000e02"))
        #expect(firing.contains(#""content":"[FIRING] HighLatency (2 alerts)\n- web-01:9100: p99 latency 420 ms\n- web-02:9100: p99 latency 510 ms\n","mentioned_list":["alice.w"]"#))
        let resolved = String(decoding: try expected("alertmanager-grafana-resolved"), as: UTF8.self)
        #expect(resolved.contains(#""mentioned_list":["@all"]"#) && resolved.contains("key=00000000-0000-0000-0000-000000000e01"))
        let perAlert = try expected("per-alert-firing").split(separator: UInt8(ascii: "\n"))
        #expect(perAlert.count == 2)
    }

    @Test func theEventMayComeOnStandardInput() throws {
        let payload = Array(try Data(contentsOf: Self.folder.appendingPathComponent("firing.json")))
        let result = try run(["send", "--dry-run", "job.yaml", "--event", "-", "--route", "alertmanager"] + Self.now, stdin: payload)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try expected("alertmanager-firing")))
    }

    @Test func severalRoutesNeedRouteAndAnUnknownOneIsNamed() throws {
        let none = try run(["send", "--dry-run", "job.yaml", "--event", "firing.json"])
        #expect(none.status == 2)
        #expect(none.stdout.isEmpty)
        #expect(none.stderr == "<command line>:1:1: error: the job has 3 routes (alertmanager, per-alert, release); say which with --route NAME\n")
        let typo = try run(["plan", "job.yaml", "--event", "firing.json", "--route", "alertmanagr"])
        #expect(typo.status == 2)
        #expect(typo.stderr == "<command line>:1:1: error: --route 'alertmanagr' is not a route of this job — did you mean 'alertmanager'?\n")
    }

    @Test func oneRouteNeedsNoRoute() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-event-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("""
        version: 1
        recipients:
          ops: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000e09" }
        serve:
          routes:
            release:
              messages:
                - { to: ops, text: { content: "Released {{event.tag}} by {{event.by | default: 'someone'}}" } }

        """.utf8).write(to: dir.appendingPathComponent("job.yaml"))
        let result = try HeraldProcess.run(["send", "--dry-run", "job.yaml", "--event", "-"], in: dir, stdin: Array(#"{"tag": "v2"}"#.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == #"{"link":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000e09","data":[{"msgtype":"text","text":{"content":"Released v2 by someone"}}]}"# + "\n")
    }

    @Test func aPayloadOfAnotherFormatIsRefusedNamingTheField() throws {
        for command in [["send", "--dry-run"], ["check"], ["render"], ["plan"]] {
            let result = try run(command + ["job.yaml", "--event", "bad-labels.json", "--route", "alertmanager"])
            #expect(result.status == 2, "\(command)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "bad-labels.json:1:1: error: route 'alertmanager' takes alertmanager events: 'alerts[0].labels' must be an object of strings, not an array\n")
        }
    }

    @Test func anEventThatIsNotJSONIsAnErrorAtItsLine() throws {
        let result = try run(["send", "--dry-run", "job.yaml", "--event", "not-json.json", "--route", "release"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("not-json.json:3:2: error: JSON syntax error: "), "\(result.stderr)")
        let missing = try run(["render", "job.yaml", "--event", "nowhere.json", "--route", "release"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "nowhere.json:1:1: error: event file 'nowhere.json' does not exist\n")
    }

    @Test func aServeOnlyJobNeedsAnEventExceptToBeChecked() throws {
        for command in [["send", "--dry-run"], ["render"], ["plan"], ["preview", "-o", "-"]] {
            let result = try run(command + ["job.yaml"])
            #expect(result.status == 2, "\(command)")
            #expect(result.stdout.isEmpty, "\(command)")
            #expect(result.stderr == "job.yaml:19:1: error: this job has no top-level 'messages', only 'serve' routes (alertmanager, per-alert, release): give --event FILE (and --route NAME) to plan one event, or run it with 'herald serve'\n", "\(command)")
        }
        let check = try run(["check", "job.yaml"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdoutText == "job.yaml: ok — 3 routes: alertmanager, per-alert, release\n")
    }

    @Test func aVarReadOnlyByARouteIsNotUnread() throws {
        let read = try run(["check", "job.yaml", "--var", "event=x"])
        #expect(read.status == 0)
        #expect(read.stderr.isEmpty, "\(read.stderr)")
        let unread = try run(["check", "job.yaml", "--var", "evnt=x"])
        #expect(unread.stderr.contains("--var evnt is read by no template of this job, so it changes nothing — did you mean 'event'?"), "\(unread.stderr)")
    }

    @Test func checkPlansTheEventWithTheRoute() throws {
        let result = try run(["check", "job.yaml", "--event", "firing.json", "--route", "per-alert"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText == "job.yaml: ok — route 'per-alert': 2 messages in 2 requests to 2 links\n")
    }

    @Test func checkListsRoutesBesideTheJobsOwnMessages() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-event-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("""
        version: 1
        recipients:
          ops: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000e08" }
        messages:
          - { to: ops, text: { content: "daily" } }
        serve:
          routes:
            a: { messages: [{ to: ops, text: { content: "{{event.x}}" } }] }
            b: { messages: [{ to: ops, text: { content: "{{event.y}}" } }] }

        """.utf8).write(to: dir.appendingPathComponent("job.yaml"))
        let check = try HeraldProcess.run(["check", "job.yaml"], in: dir)
        #expect(check.stdoutText == "job.yaml: ok — 1 message in 1 request to 1 link; 2 routes: a, b\n", "\(check.stderr)")
        // Without --event the job's own messages are planned, as before.
        let send = try HeraldProcess.run(["send", "--dry-run", "job.yaml"], in: dir)
        #expect(send.status == 0)
        #expect(send.stdoutText.contains(#""content":"daily""#))
    }

    @Test func renderPlanAndPreviewTakeTheEvent() throws {
        let args = ["job.yaml", "--event", "firing.json", "--route", "per-alert"] + Self.now
        let render = try run(["render"] + args)
        #expect(render.status == 0, "\(render.stderr)")
        #expect(render.stdoutText.contains("HighLatency on web-01:9100 is firing since 2026-12-04T08:01:00Z"))
        #expect(render.stdoutText.contains("HighLatency on web-02:9100 is firing since 2026-12-04T08:02:00Z"))
        let plan = try run(["plan", "--format", "json"] + args)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdoutText.contains(#""messages":2,"requests":[{"index":1,"link":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…0e02""#), "\(plan.stdoutText)")
        let preview = try run(["preview", "-o", "-"] + args)
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdoutText.contains("web-02:9100"))
    }

    @Test func aRealSendOfAnEventIsRefusedPointingAtTheDryRunAndServe() throws {
        let result = try run(["send", "job.yaml", "--event", "firing.json", "--route", "alertmanager"], environment: ["KDOCS_ACCESS_TOKEN": "t"])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--event goes with --dry-run"))
        #expect(result.stderr.contains("herald serve"))
    }

    @Test func routeWithoutEventAndBothOnStandardInputAreRefused() throws {
        let route = try run(["plan", "job.yaml", "--route", "alertmanager"])
        #expect(route.status != 0)
        #expect(route.stderr.contains("--route goes with --event"))
        let both = try run(["check", "-", "--event", "-"], stdin: [])
        #expect(both.status != 0)
        #expect(both.stderr.contains("cannot both be read from standard input"))
    }

    @Test func theServeTokenIsInNoOutput() throws {
        let env = ["HERALD_T_SERVE_TOKEN": "tok-9f8e7d-secret"]
        for command in [["check", "job.yaml"], ["send", "--dry-run", "job.yaml", "--event", "firing.json", "--route", "alertmanager"],
                        ["render", "job.yaml", "--event", "firing.json", "--route", "alertmanager"],
                        ["plan", "job.yaml", "--event", "firing.json", "--route", "alertmanager"]] {
            let result = try run(command, environment: env)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(!result.stdoutText.contains("tok-9f8e7d") && !result.stderr.contains("tok-9f8e7d"), "\(command)")
        }
        // Unset, a dry run and check need no token and say nothing of it.
        let unset = try run(["check", "job.yaml"])
        #expect(unset.stderr.isEmpty, "\(unset.stderr)")
    }
}
