import Foundation
@testable import HeraldCore
import HeraldTemplate
import Testing

/// One event planned with a route's messages: the bytes of the job whose messages are the
/// route's and whose vars hold the event (SPEC §11, "Binding"); the payload read as JSON.
@Suite struct EventPreparationTests {
    static let recipients = """
    version: 1
    people:
      alice: { wecom: alice.w }
    recipients:
      ops: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-0000000000e1" }
      db: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-0000000000e2" }
    templates:
      alert: { text: { content: "[{{event.status}}] {{event.groupLabels.alertname}}: {{event.alerts | count}}" } }
      one: { text: { content: "{{alert.labels.instance}} {{alert.status}}" } }

    """
    static let routeMessages = """
      - template: alert
        to: "{{event.commonLabels.team | default: 'ops'}}"
        mention: "{{event.commonLabels.owner | default: '@all'}}"
      - template: one
        for_each: { var: event.alerts }
        as: alert
        to: "{{alert.labels.team | default: 'ops'}}"

    """
    static let options = PlanningOptions(now: ISO8601.parse("2026-12-04T08:05:00Z"), timeZone: TimeZone(identifier: "UTC") ?? .current,
                                         environment: [:], keepsMessages: false)

    func source(_ text: String, path: String = "job.yaml") -> SourceText {
        SourceText(path: path, directory: FileManager.default.temporaryDirectory, text: text)
    }

    func load(_ text: String) throws -> Job {
        var log = DiagnosticLog()
        let job = JobLoader(environment: [:]).load(source(text), log: &log)
        #expect(!log.hasErrors, "\(log.sorted(primaryPath: "job.yaml"))")
        return try #require(job)
    }

    static let event = """
    {"version": "4", "groupKey": "gk", "status": "firing", "receiver": "herald",
     "groupLabels": {"alertname": "Disk"}, "commonLabels": {"alertname": "Disk", "owner": "alice"}, "commonAnnotations": {},
     "alerts": [{"status": "firing", "labels": {"instance": "db-01", "team": "db"}, "annotations": {}, "startsAt": "2026-12-04T08:01:00Z", "fingerprint": "f1"},
                {"status": "resolved", "labels": {"instance": "web-01"}, "annotations": {}, "startsAt": "2026-12-04T07:01:00Z", "fingerprint": "f2"}]}
    """

    @Test func aRoutesBodiesAreTheBatchJobsWithTheEventAsAVar() throws {
        let serveJob = try load(Self.recipients + "serve:\n  routes:\n    alerts:\n      format: alertmanager\n      messages:\n"
                                + Self.routeMessages.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
        let event = try JobPreparation.eventValue(source(Self.event, path: "event.json")).get()
        let route = try JobPreparation.route(nil, in: serveJob).get()
        let planned = try JobPreparation.prepare(job: serveJob, event: event, route: route, eventPath: "event.json", options: Self.options).get()

        let batch = try load(Self.recipients + "vars:\n  event: \(Self.event.replacingOccurrences(of: "\n", with: " "))\nmessages:\n" + Self.routeMessages)
        let expected = try JobPreparation.prepare(job: batch, log: DiagnosticLog(), options: Self.options).get()
        let bodies = planned.plan.requests.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies == expected.plan.requests.map { String(decoding: $0.body, as: UTF8.self) })
        // ops's two messages share a request (up to max_batch a request, as in a batch run).
        #expect(bodies.count == 2)
        #expect(planned.plan.messageCount == 3)
        #expect(bodies.first?.contains(#""content":"[firing] Disk: 2","mentioned_list":["alice.w"]"#) == true, "\(bodies)")
        #expect(planned.plan.requests.map(\.link).map { $0.suffix(2) } == ["e1", "e2"])
    }

    @Test func aPayloadNotOfTheRoutesFormatIsRefusedNamingTheField() throws {
        let job = try load(Self.recipients + "serve:\n  routes:\n    alerts:\n      format: alertmanager\n      messages:\n        - { template: alert, to: ops }\n")
        let route = try JobPreparation.route("alerts", in: job).get()
        let result = JobPreparation.prepare(job: job, event: ["status": "firing"], route: route, eventPath: "e.json", options: Self.options)
        guard case .failure(let error) = result else { Issue.record("planned a payload without alerts"); return }
        #expect(error.diagnostics.first?.description == "e.json:1:1: error: route 'alerts' takes alertmanager events: 'version' is missing (\"4\" or \"1\": Alertmanager sends \"4\", Grafana \"1\")")
    }

    @Test func routesByName() throws {
        let job = try load(Self.recipients + """
        serve:
          routes:
            a: { messages: [{ to: ops, text: { content: x } }] }
            b: { messages: [{ to: ops, text: { content: y } }] }

        """)
        #expect(try JobPreparation.route("b", in: job).get().name == "b")
        #expect(throws: HeraldError.self) { try JobPreparation.route(nil, in: job).get() }
        if case .failure(let e) = JobPreparation.route(nil, in: job) {
            #expect(e.description == "<command line>:1:1: error: the job has 2 routes (a, b); say which with --route NAME")
        }
        if case .failure(let e) = JobPreparation.route("c", in: job) {
            #expect(e.description == "<command line>:1:1: error: --route 'c' is not a route of this job — did you mean 'a'?")
        }
        if case .failure(let e) = JobPreparation.route("release", in: job) {
            #expect(e.description == "<command line>:1:1: error: --route 'release' is not a route of this job; its routes are a, b")
        }
        let plain = try load(Self.recipients + "messages:\n  - { to: ops, text: { content: x } }\n")
        if case .failure(let e) = JobPreparation.route(nil, in: plain) {
            #expect(e.description.contains("has no 'serve: routes:'"))
        } else {
            Issue.record("a job without serve gave a route")
        }
    }

    @Test func anEventMustBeAJSONObject() throws {
        func problem(_ text: String) -> String? {
            if case .failure(let e) = JobPreparation.eventValue(source(text, path: "e.json")) { return e.diagnostics.first?.description }
            return nil
        }
        #expect(problem("") == "e.json:1:1: error: the event is empty; it must be a JSON object")
        #expect(problem("\n  [1, 2]") == "e.json:2:3: error: the event must be a JSON object ({…}), but it starts with '['")
        #expect(problem("tag: v1") == "e.json:1:1: error: the event must be a JSON object ({…}), but it starts with 't'")
        #expect(problem("{\"a\": 1,\n \"b\" 2}")?.hasPrefix("e.json:2:") == true)
        #expect(problem("{\"a\": 1,\n \"b\" 2}")?.contains("JSON syntax error") == true)
        #expect(problem(#"{"n": 12345678901234567890123, "s": "x"}"#) == nil)
        let value = try JobPreparation.eventValue(source(#"{"b": 1, "a": [true, null, 1.5]}"#)).get()
        #expect(value == ["b": 1, "a": [true, nil, 1.5]])
        #expect(value.mapValue?.keys == ["b", "a"])
        #expect(try JobPreparation.eventValue(bytes: Array(#"{"b": 1}"#.utf8), path: "body").get() == ["b": 1])
        if case .failure(let e) = JobPreparation.eventValue(bytes: [0x7B, 0xFF, 0x7D], path: "body") {
            #expect(e.description.hasPrefix("body:1:2: error:"), "\(e.description)")
        } else {
            Issue.record("took a body that is not UTF-8")
        }
    }
}
