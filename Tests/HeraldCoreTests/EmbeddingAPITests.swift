import Foundation
import HeraldCore
import HeraldTemplate
import Testing

/// The embedding API (`Herald`, docs/embedding.md) through its public surface only: a plain
/// `import HeraldCore`, as an embedding program has.
@Suite struct EmbeddingAPITests {
    static let options = PlanningOptions(now: ISO8601.parse("2026-11-25T09:30:00+08:00"),
                                         timeZone: TimeZone(identifier: "Asia/Shanghai") ?? .current, threads: 1)
    static let wecom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-0000000000a1"
    static let dingtalk = "https://oapi.dingtalk.com/robot/send?access_token=00000000000000000000000000000000000000000000000000000000000000d1"

    /// Writes `files` into a fresh folder; returns it.
    static func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-embedding-\(UUID().uuidString)")
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return dir
    }

    static func bodies(_ plan: Plan) -> [String] { plan.requests.map { String(decoding: $0.body, as: UTF8.self) } }

    static let recipients = """
        recipients:
          ops: {link: "\(wecom)"}
          duty: {link: "\(dingtalk)"}
        groups:
          everyone: [ops, duty]
        """
    /// The route of a server job: one message per alert, to everyone.
    static let routeMessages = """
        messages:
          - to: everyone
            for_each: {var: event.alerts}
            as: alert
            markdown:
              content: "**{{event.status}}** {{alert.labels.alertname}} ({{alert.value}}) at {{now}}"
        """
    static let eventJSON = """
        {"status": "firing", "receiver": "ops", "alerts": [
          {"labels": {"alertname": "DiskFull", "host": "db1"}, "value": 0.950},
          {"labels": {"alertname": "HighLoad", "host": "web2"}, "value": 12}]}
        """

    @Test func anEventPlansAsTheJobWhoseVarsHoldIt() async throws {
        // The job file the route is planned as: the route's messages, `event` from a JSON data file.
        let dir = try Self.folder([
            "serve.yaml": "version: 1\nname: alerts\n\(Self.recipients)\nmessages:\n  - to: ops\n    text: {content: batch}\n",
            "offline.yaml": "version: 1\nname: alerts\nvars_files: [{name: event, file: event.json}]\n\(Self.recipients)\n\(Self.routeMessages)\n",
            "event.json": Self.eventJSON,
        ])
        let expected = try await Herald.plan(jobAt: dir.appendingPathComponent("offline.yaml"), options: Self.options)
        let serveJob = try await Herald.load(jobAt: dir.appendingPathComponent("serve.yaml"), options: Self.options)
        let route = try await Herald.load(jobAt: dir.appendingPathComponent("offline.yaml"), options: Self.options).messages
        let event = try Herald.value(json: Self.eventJSON)

        let plan = try await Herald.plan(job: serveJob, event: event, messages: route, options: Self.options)
        #expect(plan.requests.count == 2)
        #expect(Self.bodies(plan) == Self.bodies(expected))
        // `now` is the options' time; numbers as a .json data file gives them.
        #expect(Self.bodies(plan)[0].contains("DiskFull (0.95) at 2026-11-25T09:30:00+08:00"))
        #expect(plan.requests.map(\.platform) == [.wecom, .dingtalk])
    }

    @Test func withoutRouteMessagesTheJobsOwnAreUsedAndEventReplacesAJobVar() async throws {
        let dir = try Self.folder([
            "job.yaml": "version: 1\nname: alerts\nvars: {event: {status: none}}\n\(Self.recipients)\n\(Self.routeMessages)\n",
            "inline.yaml": "version: 1\nname: alerts\nvars: {event: {status: firing, alerts: [{labels: {alertname: Disk}, value: 1}]}}\n\(Self.recipients)\n\(Self.routeMessages)\n",
        ])
        let job = try await Herald.load(jobAt: dir.appendingPathComponent("job.yaml"), options: Self.options)
        let event = try Herald.value(json: #"{"status": "firing", "alerts": [{"labels": {"alertname": "Disk"}, "value": 1}]}"#)
        let plan = try await Herald.plan(job: job, event: event, options: Self.options)
        let expected = try await Herald.plan(jobAt: dir.appendingPathComponent("inline.yaml"), options: Self.options)
        #expect(Self.bodies(plan) == Self.bodies(expected))
        #expect(Self.bodies(plan)[0].contains("**firing** Disk (1)"))
    }

    @Test func anEventThatLacksAVariableIsAnErrorWithItsPosition() async throws {
        let dir = try Self.folder(["job.yaml": "version: 1\nname: alerts\n\(Self.recipients)\n\(Self.routeMessages)\n"])
        let job = try await Herald.load(jobAt: dir.appendingPathComponent("job.yaml"), options: Self.options)
        do {
            _ = try await Herald.plan(job: job, event: try Herald.value(json: #"{"status": "resolved"}"#), options: Self.options)
            Issue.record("planned an event without alerts")
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.description.hasSuffix("job.yaml:10:21: error: unknown for_each variable 'event.alerts': 'event' has no key 'alerts'"),
                    "\(error)")
        }
    }

    @Test func aJobBuiltInCodeHasTheJobFilesBodies() async throws {
        let dir = try Self.folder([
            "job.yaml": """
                version: 1
                name: deploys
                vars: {service: api}
                recipients:
                  ops: {link: "\(Self.wecom)"}
                  duty: {link: "\(Self.dingtalk)"}
                groups: {everyone: [ops, duty]}
                people:
                  alice: {wecom: alice.w, dingtalk: alice.d}
                messages:
                  - to: everyone
                    mention: [alice]
                    text: {content: "{{service}} {{version}} is out"}
                    vars: {version: "2.4"}
                  - to: ops
                    markdown: {content: "# Deploy\\n{{> footer}}"}
                partials:
                  footer: "by {{service}}"
                """,
        ])
        let expected = try await Herald.plan(jobAt: dir.appendingPathComponent("job.yaml"), options: Self.options)

        var job = Job(name: "deploys", vars: ["service": "api"])
        job.add(Recipient(name: "ops", link: Self.wecom))
        job.add(Recipient(name: "duty", link: Self.dingtalk))
        job.addGroup("everyone", members: ["ops", "duty"])
        job.add(Person(name: "alice", wecom: "alice.w", dingtalk: "alice.d"))
        try job.addPartial(named: "footer", template: "by {{service}}")
        job.add(try MessageEntry(content: "{{service}} {{version}} is out", to: ["everyone"], vars: ["version": "2.4"], mention: ["alice"]))
        job.add(try MessageEntry(msgtype: "markdown", content: "# Deploy\n{{> footer}}", to: ["ops"]))
        let plan = try await Herald.plan(job: job, options: Self.options)
        #expect(plan.requests.count == 2)
        #expect(Self.bodies(plan) == Self.bodies(expected))
        #expect(plan.requests.map(\.sourceMessages) == [[1, 2], [1]])
    }

    @Test func aNameThatIsNoRecipientIsRefused() async throws {
        var job = Job(name: "code")
        job.add(Recipient(name: "ops", link: Self.wecom))
        job.add(try MessageEntry(content: "hi", to: ["opps"]))
        do {
            _ = try await Herald.plan(job: job, options: Self.options)
            Issue.record("planned a message to no one")
        } catch {
            #expect(error.description == "<code>:1:1: error: 'to' of message 1 names 'opps', which is not a recipient or group of this job — did you mean 'ops'?")
        }
    }

    @Test func aTemplateThatDoesNotCompileIsAHeraldError() throws {
        #expect(throws: HeraldError.self) { try MessageEntry(content: "{{#open}}never closed", to: ["ops"]) }
        #expect(throws: HeraldError.self) { try Herald.value(json: #"{"status": "#) }
    }

    @Test func aJobFileWithErrorsThrowsAllItsDiagnostics() async throws {
        let dir = try Self.folder(["job.yaml": "version: 1\nname: bad\nrecipients:\n  ops: {link: \"\(Self.wecom)\"}\nmessages:\n  - to: nobody\n    text: {content: hi}\n"])
        do {
            _ = try await Herald.plan(jobAt: dir.appendingPathComponent("job.yaml"), options: Self.options)
            Issue.record("planned a bad job")
        } catch {
            #expect(error.errors.first?.position.line == 6)
            #expect(error.errors.first?.message.contains("'nobody'") == true, "\(error)")
        }
    }

    /// `load` alone throws too: a job whose loading found an error is never handed back with
    /// the error among its warnings.
    @Test func loadingAJobWithAnErrorThrowsIt() async throws {
        let dir = try Self.folder(["job.yaml": "version: 1\nname: bad\nmax_batch: 0\nrecipients:\n  ops: {link: \"\(Self.wecom)\"}\nmessages:\n  - to: ops\n    text: {content: hi}\n"])
        do {
            let job = try await Herald.load(jobAt: dir.appendingPathComponent("job.yaml"), options: Self.options)
            Issue.record("loaded a bad job; its warnings: \(job.warnings)")
        } catch {
            #expect(error.errors.first?.position.line == 3, "\(error)")
        }
    }

    @Test func messagesAreKeptOnlyWhenAskedAndThreadsChangeNothing() async throws {
        var job = Job(name: "code")
        job.add(Recipient(name: "ops", link: Self.wecom))
        for n in 1...40 { job.add(try MessageEntry(content: "message \(n)", to: ["ops"])) }
        var options = Self.options
        let kept = try await Herald.prepare(job: job, options: options)
        options.keepsMessages = false
        options.threads = 3
        let planOnly = try await Herald.prepare(job: job, options: options)
        #expect(kept.messages.count == 40)
        #expect(planOnly.messages.isEmpty)
        #expect(Self.bodies(planOnly.plan) == Self.bodies(kept.plan))
        #expect(kept.plan.requests.count == 2)
    }
}
