import Crypto
import Foundation
@testable import HeraldCore
import HeraldTemplate
import Testing

/// An event's dedupe key (SPEC §11, "Dedupe").
@Suite struct DedupeKeyTests {
    static let yaml = """
    version: 1
    recipients:
      ops: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-0000000000d1" }
    vars: { env: prod }
    serve:
      routes:
        alerts:
          format: alertmanager
          messages:
            - { to: ops, text: { content: "{{event.status}}" } }
        per-alert:
          format: alertmanager
          dedupe: 0
          messages:
            - { to: ops, text: { content: "{{event.status}}" } }
        release:
          dedupe: 1h
          dedupe_key: "{{env}}/{{event.tag}}@{{today}}"
          messages:
            - { to: ops, text: { content: "{{event.tag}}" } }

    """

    static func job() throws -> Job {
        var log = DiagnosticLog()
        let source = SourceText(path: "job.yaml", directory: FileManager.default.temporaryDirectory, text: yaml)
        let job = JobLoader(environment: [:]).load(source, log: &log)
        #expect(!log.hasErrors, "\(log.sorted(primaryPath: "job.yaml"))")
        return try #require(job)
    }

    static func alert(_ fingerprint: String, _ status: String) -> Value {
        ["status": .string(status), "fingerprint": .string(fingerprint), "labels": [:], "annotations": [:], "startsAt": "2026-12-04T08:01:00Z"]
    }

    static func group(_ status: String, _ alerts: [Value], groupKey: String = "{}:{alertname=\"Disk\"}") -> Value {
        ["version": "4", "groupKey": .string(groupKey), "status": .string(status), "groupLabels": [:], "commonLabels": [:],
         "commonAnnotations": [:], "alerts": .list(alerts)]
    }

    static let now = Date(timeIntervalSince1970: 1_796_371_200)
    static let utc = TimeZone(identifier: "UTC") ?? .current

    func key(_ event: Value, route: String) throws -> String? {
        let job = try Self.job()
        let route = try #require(job.serve?.route(named: route))
        return try DedupeKey.key(for: event, route: route, job: job, now: Self.now, timeZone: Self.utc)
    }

    @Test func theSameGroupTwiceHasTheSameKey() throws {
        let event = Self.group("firing", [Self.alert("a1", "firing"), Self.alert("b2", "firing")])
        let first = try key(event, route: "alerts")
        #expect(first != nil)
        #expect(try key(event, route: "alerts") == first)
        #expect(first?.count == 64)
        #expect(first?.allSatisfy { "0123456789abcdef".contains($0) } == true)
    }

    @Test func theKeyIsTheDesignsHash() throws {
        let event = Self.group("firing", [Self.alert("b2", "firing"), Self.alert("a1", "resolved")], groupKey: "gk")
        let text = "gk\nfiring\na1:resolved\nb2:firing"
        let expected = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(try key(event, route: "alerts") == expected)
    }

    @Test func alertOrderDoesNotMatter() throws {
        let a = Self.group("firing", [Self.alert("a1", "firing"), Self.alert("b2", "firing"), Self.alert("c3", "resolved")])
        let b = Self.group("firing", [Self.alert("c3", "resolved"), Self.alert("a1", "firing"), Self.alert("b2", "firing")])
        #expect(try key(a, route: "alerts") == key(b, route: "alerts"))
    }

    @Test func aStatusChangeIsANewKey() throws {
        let firing = try key(Self.group("firing", [Self.alert("a1", "firing"), Self.alert("b2", "firing")]), route: "alerts")
        let oneResolved = try key(Self.group("firing", [Self.alert("a1", "firing"), Self.alert("b2", "resolved")]), route: "alerts")
        let allResolved = try key(Self.group("resolved", [Self.alert("a1", "resolved"), Self.alert("b2", "resolved")]), route: "alerts")
        let otherGroup = try key(Self.group("firing", [Self.alert("a1", "firing"), Self.alert("b2", "firing")], groupKey: "other"), route: "alerts")
        #expect(Set([firing, oneResolved, allResolved, otherGroup]).count == 4)
        let moreAlerts = try key(Self.group("firing", [Self.alert("a1", "firing"), Self.alert("b2", "firing"), Self.alert("c3", "firing")]), route: "alerts")
        #expect(moreAlerts != firing)
    }

    @Test func aRouteWithoutDedupeHasNoKey() throws {
        #expect(try key(Self.group("firing", [Self.alert("a1", "firing")]), route: "per-alert") == nil)
    }

    @Test func aJSONRouteRendersItsDedupeKeyWithTheJobsVarsAndTheTime() throws {
        #expect(try key(["tag": "v2.4"], route: "release") == "prod/v2.4@2026-12-04")
        #expect(try key(["tag": "v2.4", "by": "ci"], route: "release") == "prod/v2.4@2026-12-04")
        #expect(try key(["tag": "v2.5"], route: "release") == "prod/v2.5@2026-12-04")
    }

    @Test func aDedupeKeyThatCannotRenderIsAnErrorAtTheTemplate() throws {
        do {
            _ = try key(["version": "v2.4"], route: "release")
            Issue.record("rendered a key without event.tag")
        } catch let error as HeraldError {
            #expect(error.description == "job.yaml:18:28: error: unknown variable 'event.tag': 'event' has no key 'tag' (dedupe_key of route 'release')")
        }
    }
}
