import Foundation
import Testing

/// examples/alerts: the serve job, its templates and its saved payloads. The tests that run
/// the job need `--event`/`--route` (and the `serve:` key); until the herald under test has
/// them they are skipped — the payload checks run regardless.
@Suite struct AlertsExampleTests {
    static let job = "examples/alerts/job.yaml"
    static let payloads = HeraldProcess.repoRoot.appendingPathComponent("examples/alerts/payloads")

    /// Whether this herald takes `--event` (eventcore's work), read from its help.
    static let takesEvents: Bool = {
        guard let help = try? HeraldProcess.run(["send", "--help"]) else { return false }
        return help.stdoutText.contains("--event")
    }()

    static func dryRun(route: String, payload: String) throws -> HeraldProcess.Result {
        try HeraldProcess.run(["send", "--dry-run", job, "--route", route, "--event", "examples/alerts/payloads/\(payload)",
                               "--now", "2026-12-04T17:00:00+08:00", "--timezone", "Asia/Shanghai"])
    }

    /// The markdown contents of a dry run's request bodies, in order.
    static func contents(_ result: HeraldProcess.Result) throws -> [String] {
        var contents: [String] = []
        for line in result.stdout.split(separator: 0x0A) {
            let body = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            for message in try #require(body["data"] as? [[String: Any]]) {
                let markdown = try #require(message["markdown"] as? [String: Any])
                contents.append(try #require(markdown["content"] as? String))
            }
        }
        return contents
    }

    @Test func payloadsAreWhatTheyClaim() throws {
        for name in ["alertmanager-firing", "alertmanager-resolved", "alertmanager-300-alerts", "grafana-firing"] {
            let data = try Data(contentsOf: Self.payloads.appendingPathComponent("\(name).json"))
            let event = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name)")
            let alerts = try #require(event["alerts"] as? [[String: Any]], "\(name)")
            #expect(event["version"] as? String == (name.hasPrefix("grafana") ? "1" : "4"), "\(name)")
            #expect(event["status"] as? String == (name.hasSuffix("resolved") ? "resolved" : "firing"), "\(name)")
            #expect(event["groupKey"] is String, "\(name)")
            for alert in alerts {
                #expect(alert["labels"] is [String: String] && alert["fingerprint"] is String && alert["startsAt"] is String, "\(name)")
            }
            // Distinct alerts: a server's dedupe key is built from the fingerprints.
            #expect(Set(alerts.compactMap { $0["fingerprint"] as? String }).count == alerts.count, "\(name)")
        }
        let big = try Data(contentsOf: Self.payloads.appendingPathComponent("alertmanager-300-alerts.json"))
        let alerts = try #require((try JSONSerialization.jsonObject(with: big) as? [String: Any])?["alerts"] as? [Any])
        #expect(alerts.count == 300)
    }

    @Test(.enabled(if: takesEvents, "needs herald send --event/--route"))
    func theJobChecks() throws {
        let result = try HeraldProcess.run(["check", Self.job])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test(.enabled(if: takesEvents, "needs herald send --event/--route"))
    func firingAndResolvedGroupsGetTheirTitles() throws {
        let firing = try Self.dryRun(route: "alertmanager", payload: "alertmanager-firing.json")
        #expect(firing.status == 0, "\(firing.stderr)")
        let firingText = try Self.contents(firing).joined()
        #expect(firingText.hasPrefix("## <font color=\"warning\">🔥 FIRING</font> · 2 × PostgresReplicationLag"))
        #expect(firingText.contains("[Runbook](https://runbooks.example.com/postgres/replication-lag)"))
        #expect(!firingText.contains("0001-01-01"))
        #expect(firingText.hasSuffix("<@lisi>"))   // the group's owner label, from people

        let resolved = try Self.dryRun(route: "alertmanager", payload: "alertmanager-resolved.json")
        #expect(resolved.status == 0, "\(resolved.stderr)")
        let resolvedText = try Self.contents(resolved).joined()
        #expect(resolvedText.hasPrefix("## <font color=\"info\">✅ RESOLVED</font> · 2 × PostgresReplicationLag"))
        #expect(resolvedText.contains("Started 2026-12-04 16:01:12, ended 2026-12-04 16:37:12"))
    }

    @Test(.enabled(if: takesEvents, "needs herald send --event/--route"))
    func aGroupOf300AlertsIsSplitIntoSeveralRequests() throws {
        let result = try Self.dryRun(route: "alertmanager", payload: "alertmanager-300-alerts.json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: 0x0A).count >= 2)
        let parts = try Self.contents(result)
        #expect(parts.count > 20)
        for (i, part) in parts.enumerated() {
            #expect(part.utf8.count <= 4096)
            #expect(part.hasSuffix("(\(i + 1)/\(parts.count))"))
        }
        // Every alert is in some part: none is dropped to fit.
        let text = parts.joined()
        #expect(text.contains("checkout-api-7d9f8c6b5-00000") && text.contains("catalog-api-7d9f8c6b5-0012b"))
    }

    @Test(.enabled(if: takesEvents, "needs herald send --event/--route"))
    func grafanaAndReleaseRoutesRender() throws {
        let grafana = try Self.dryRun(route: "grafana", payload: "grafana-firing.json")
        #expect(grafana.status == 0, "\(grafana.stderr)")
        let grafanaText = try Self.contents(grafana).joined()
        #expect(grafanaText.hasPrefix("## [FIRING:1] High CPU usage Web"))
        #expect(grafanaText.contains("[Silence](https://grafana.example.com/alerting/silence/new?"))

        let release = try Self.dryRun(route: "release", payload: "release.json")
        #expect(release.status == 0, "\(release.stderr)")
        let announcements = try Self.contents(release)
        #expect(announcements.count == 3)   // ops, db and web
        #expect(announcements.allSatisfy { $0.hasPrefix("## 🚀 Checkout 3.4.0 released") })
    }
}
