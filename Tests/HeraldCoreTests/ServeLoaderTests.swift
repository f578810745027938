import Foundation
@testable import HeraldCore
import HeraldTemplate
import Testing

/// The `serve:` key as the loader reads it (docs/job-file.md, "serve"); its errors are in the
/// error corpus (110-126), exact words included.
@Suite struct ServeLoaderTests {
    static let head = """
    version: 1
    recipients:
      ops: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-0000000000c1" }
      db: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-0000000000c2" }

    """

    /// The job, or the first error.
    func load(_ yaml: String, environment: [String: String] = [:], requiresServeSecrets: Bool = false) -> Result<Job, FirstError> {
        var log = DiagnosticLog()
        let source = SourceText(path: "job.yaml", directory: FileManager.default.temporaryDirectory, text: Self.head + yaml)
        let job = JobLoader(environment: environment, requiresServeSecrets: requiresServeSecrets).load(source, log: &log)
        if let error = log.sorted(primaryPath: "job.yaml").first(where: { $0.severity == .error }) { return .failure(FirstError(text: error.description)) }
        guard let job else { return .failure(FirstError(text: "no job")) }
        return .success(job)
    }

    func serve(_ yaml: String, environment: [String: String] = [:]) throws -> ServeSettings {
        switch load(yaml, environment: environment) {
        case .failure(let error): Issue.record("\(error.text)"); throw error
        case .success(let job): return try #require(job.serve)
        }
    }

    static let route = """
      routes:
        release:
          messages:
            - { to: ops, text: { content: "Released {{event.tag}}" } }
    """

    @Test func defaults() throws {
        let settings = try serve("serve:\n" + Self.route)
        #expect(settings.listen == ListenAddress(host: "127.0.0.1", port: 9095))
        #expect(settings.listen.isLoopback)
        #expect(settings.auth == nil)
        #expect(settings.maxBody == 1_048_576)
        #expect(settings.routeNames == ["release"])
        let route = try #require(settings.route(named: "release"))
        #expect(route.format == .json)
        #expect(route.dedupe == 0)
        #expect(route.dedupeKey == nil)
        #expect(route.messages.count == 1)
        #expect(settings.position == SourcePosition(path: "job.yaml", line: 5, column: 1))
        #expect(settings.route(named: "nope") == nil)
    }

    @Test func aJobWithoutServeHasNone() throws {
        let job = try load("messages:\n  - { to: ops, text: { content: hi } }\n").get()
        #expect(job.serve == nil)
    }

    @Test func listenAddresses() throws {
        for (text, host, port, loopback) in [("127.0.0.1:9095", "127.0.0.1", 9095, true), ("0.0.0.0:80", "0.0.0.0", 80, false),
                                             ("\"[::1]:9095\"", "::1", 9095, true), ("\"[::]:9095\"", "::", 9095, false),
                                             ("localhost:0", "localhost", 0, true), ("10.1.2.3:65535", "10.1.2.3", 65535, false),
                                             ("127.8.9.10:1", "127.8.9.10", 1, true)] {
            let settings = try serve("serve:\n  listen: \(text)\n" + Self.route)
            #expect(settings.listen == ListenAddress(host: host, port: port), "\(text)")
            #expect(settings.listen.isLoopback == loopback, "\(text)")
        }
    }

    @Test func authBearerAndBasicExpandTheEnvironment() throws {
        let env = ["HERALD_T_TOKEN": "s3cret", "HERALD_T_PASS": "pw"]
        let bearer = try serve("serve:\n  auth: { bearer: \"${HERALD_T_TOKEN}\" }\n" + Self.route, environment: env)
        #expect(bearer.auth == .bearer(token: "s3cret"))
        #expect(bearer.unsetSecrets.isEmpty)
        let basic = try serve("serve:\n  auth:\n    basic: { username: am, password: \"${HERALD_T_PASS}\" }\n" + Self.route, environment: env)
        #expect(basic.auth == .basic(username: "am", password: "pw"))
    }

    @Test func anUnsetSecretIsKeptForADryRunAndRefusedForARealServe() throws {
        let yaml = "serve:\n  auth: { bearer: \"${HERALD_T_UNSET}\" }\n" + Self.route
        let settings = try serve(yaml)
        #expect(settings.auth == .bearer(token: "${HERALD_T_UNSET}"))
        #expect(settings.unsetSecrets == ["HERALD_T_UNSET"])
        #expect(load(yaml, requiresServeSecrets: true).failureText
                == "job.yaml:6:19: error: 'serve.auth.bearer': environment variable 'HERALD_T_UNSET' is not set; 'herald serve' needs it — set it (check and dry runs work without it)")
    }

    @Test func aRealBatchSendDoesNotNeedTheServersSecret() throws {
        var log = DiagnosticLog()
        let yaml = Self.head + "messages:\n  - { to: ops, text: { content: hi } }\nserve:\n  auth: { bearer: \"${HERALD_T_UNSET}\" }\n" + Self.route
        let job = JobLoader(environment: [:], requiresSecrets: true).load(SourceText(path: "job.yaml", directory: FileManager.default.temporaryDirectory, text: yaml), log: &log)
        #expect(!log.hasErrors)
        #expect(job?.serve?.unsetSecrets == ["HERALD_T_UNSET"])
    }

    @Test func maxBodyUnits() throws {
        for (text, bytes) in [("1MiB", 1_048_576), ("512KiB", 524_288), ("2048B", 2048), ("4096", 4096), ("64MiB", 67_108_864)] {
            #expect(try serve("serve:\n  max_body: \(text)\n" + Self.route).maxBody == bytes, "\(text)")
        }
        #expect(load("serve:\n  max_body: 65MiB\n" + Self.route).failureText == "job.yaml:6:13: error: 'serve.max_body' must be between 1B and 64MiB, got '65MiB'")
        #expect(load("serve:\n  max_body: 0\n" + Self.route).failureText?.contains("must be between 1B and 64MiB") == true)
        #expect(load("serve:\n  max_body: 1.5MiB\n" + Self.route).failureText?.contains("must be a whole number of B, KiB or MiB") == true)
    }

    @Test func routeFormatsAndDedupe() throws {
        let settings = try serve("""
        serve:
          routes:
            alertmanager:
              format: alertmanager
              messages:
                - to: "{{event.commonLabels.team | default: 'ops'}}"
                  mention: "{{event.commonLabels.owner | default: '@all'}}"
                  text: { content: "{{event.status}}" }
            per-alert:
              format: alertmanager
              dedupe: 0
              messages:
                - for_each: { var: event.alerts }
                  to: ops
                  text: { content: "{{row.status}}" }
            release_1:
              dedupe: 1h30m
              dedupe_key: "{{event.tag}}"
              messages:
                - { to: [ops, db], text: { content: "{{event.tag}}" } }
        """)
        #expect(settings.routeNames == ["alertmanager", "per-alert", "release_1"])
        let routes = settings.routes
        #expect(routes.map(\.format) == [.alertmanager, .alertmanager, .json])
        #expect(routes.map(\.dedupe) == [600, 0, 5400])
        #expect(routes.map { $0.dedupeKey != nil } == [false, false, true])
        #expect(routes[0].messages.first?.mention?.count == 1)
        #expect(routes[2].messages.first?.index == 1)
        #expect(routes[0].position == SourcePosition(path: "job.yaml", line: 7, column: 5))
    }

    @Test func routeMessagesUseTheJobsTemplatesAndAreCheckedAtLoad() throws {
        let job = try load("""
        templates:
          alert: { text: { content: "{{event.status}}" } }
        serve:
          routes:
            alerts:
              format: alertmanager
              messages:
                - { template: alert, to: ops }
        """).get()
        #expect(job.messages.isEmpty)
        #expect(job.serve?.routes.first?.messages.first?.template.name == "alert")
        #expect(load("serve:\n  routes:\n    r:\n      messages:\n        - { to: nobody, text: { content: hi } }\n").failureText
                == "job.yaml:9:17: error: unknown recipient or group 'nobody'")
        #expect(load("serve:\n  routes:\n    r:\n      dedupe: 1m\n      dedupe_key: \"{{event.id\"\n      messages:\n        - { to: ops, text: { content: hi } }\n").failureText?
                    .hasPrefix("job.yaml:9:") == true)
    }

    @Test func aServeOnlyJobNeedsRoutesAndTopLevelMessagesStayRequiredWithoutServe() throws {
        #expect(load("serve:\n  listen: 127.0.0.1:9095\n").failureText == "job.yaml:5:1: error: 'serve' is missing required key 'routes'")
        #expect(load("serve:\n  routes: {}\n").failureText == "job.yaml:6:11: error: 'serve.routes' is empty; name at least one route (POST /events/NAME)")
        #expect(load("").failureText?.contains("missing required key 'messages'") == true)
        #expect(load("serve:\n  routes:\n    r:\n      messages: []\n").failureText == "job.yaml:8:17: error: 'messages' of route 'r' is empty; add at least one message")
    }

    @Test func dedupeKeyWithoutDedupeIsAWarning() throws {
        var log = DiagnosticLog()
        let yaml = Self.head + "serve:\n  routes:\n    r:\n      dedupe: 0\n      dedupe_key: \"{{event.id}}\"\n      messages:\n        - { to: ops, text: { content: hi } }\n"
        _ = JobLoader(environment: [:]).load(SourceText(path: "job.yaml", directory: FileManager.default.temporaryDirectory, text: yaml), log: &log)
        #expect(!log.hasErrors)
        #expect(log.sorted(primaryPath: "job.yaml").map(\.description)
                == ["job.yaml:9:19: warning: 'dedupe_key' of route 'r' has no effect with 'dedupe: 0'; give a window like 'dedupe: 10m'"])
    }
}

struct FirstError: Error { let text: String }

extension Result where Failure == FirstError {
    var failureText: String? {
        if case .failure(let error) = self { return error.text }
        return nil
    }
}
