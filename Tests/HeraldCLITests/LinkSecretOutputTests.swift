import Foundation
import HeraldTestSupport
import Testing

/// A robot link's secrets never show outside the dry-run body, whatever the link looks like:
/// the malformed links users paste are load errors that print the link masked, and a link that
/// passes (a gateway) is masked in the plan, render, preview, redacted curl and the report.
@Suite(.serialized) struct LinkSecretOutputTests {
    static let key = "11111111-aaaa-bbbb-cccc-000000000001"
    static let wecom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"

    /// As written inside a YAML double-quoted string.
    static let malformed: [String] = [
        "\(wecom)？key=\(key)",                                   // a full-width question mark
        "\(wecom)?key=\(key) ",                                   // a trailing space inside the quotes
        " \(wecom)?key=\(key)",                                   // a leading space
        key,                                                      // the key pasted alone
        "\(wecom)?key=11111111-aaaa-\\nbbbb-cccc-000000000001",   // a line feed
        "\(wecom)?key=\(key)\\r",                                 // a carriage return
        "\(wecom)?key=\(key)\\0",                                 // a NUL
        "\(wecom)? key=\(key)",                                   // a space inside
        "\(wecom)?a=1＆key=\(key)",                               // a full-width ampersand
        "\(wecom) key=\(key)",                                    // a space instead of '?'
    ]

    func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-links-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    static func job(link: String) -> String {
        """
        version: 1
        access_token: ${HERALD_T_TOKEN}
        recipients:
          ops: { link: "\(link)" }
        messages:
          - to: ops
            text: { content: "hello" }

        """
    }

    /// The key's middle: present in any unmasked form of the link, whatever was cut around it.
    static func leaks(_ text: String) -> Bool {
        text.contains("bbbb-cccc") || text.contains("aaaa-bbbb") || text.contains("0000000000")
    }

    @Test(arguments: malformed)
    func aMalformedLinkIsRefusedAndNeverShown(_ link: String) async throws {
        let relay = LoopbackRelay { _, _ in .json(200, #"{"code":0,"data":{}}"#) }
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder(["job.yaml": Self.job(link: link)])
        let env = HeraldProcess.environment(["HERALD_T_TOKEN": "LINK-TEST-TOKEN"])
        let commands: [[String]] = [
            ["check", "job.yaml"], ["plan", "job.yaml"], ["plan", "job.yaml", "--format", "json"],
            ["render", "job.yaml"], ["render", "job.yaml", "--format", "json"], ["preview", "job.yaml", "-o", "preview.html"],
            ["send", "--dry-run", "--format", "curl", "--redact", "job.yaml"],
            ["send", "job.yaml", "--endpoint", relay.endpoint, "--report", "report.json"],
        ]
        for args in commands {
            let result = try HeraldProcess.run(args, in: dir, environment: env)
            #expect(result.status == 2, "\(args): exit \(result.status)")
            #expect(result.stderr.contains("'link' of recipient 'ops'"), "\(args): \(result.stderr)")
            #expect(result.stderr.contains("…0001"), "\(args): the masked link is shown: \(result.stderr)")
            #expect(!Self.leaks(result.stderr) && !Self.leaks(result.stdoutText), "\(args): \(result.stderr)")
        }
        for file in ["preview.html", "report.json"] {
            if let text = try? String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8) { #expect(!Self.leaks(text), "\(file)") }
        }
        #expect(relay.requests.isEmpty, "nothing sent")
    }

    static let gatewayJob = """
        version: 1
        access_token: ${HERALD_T_TOKEN}
        recipients:
          gw: { link: "https://bot:S3cretPassw0rd@hooks.corp.example/wecom/send?key=GATEWAY-KEY-SECRET-0001", platform: wecom }
          frag: { link: "https://hooks.corp.example/wecom/send#key=FRAGMENT-KEY-SECRET-0002", platform: wecom }
        messages:
          - to: [gw, frag]
            text: { content: "hello {{recipient.name}}" }

        """
    static let gatewaySecrets = ["S3cretPassw0rd", "GATEWAY-KEY-SECRET", "FRAGMENT-KEY-SECRET"]

    @Test func aGatewayLinksPasswordAndKeysAreMaskedInEveryOutput() async throws {
        let relay = LoopbackRelay { _, _ in .json(200, #"{"code":0,"data":{}}"#) }
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder(["job.yaml": Self.gatewayJob])
        let env = HeraldProcess.environment(["HERALD_T_TOKEN": "LINK-TEST-TOKEN"])
        func run(_ args: [String]) throws -> HeraldProcess.Result {
            let result = try HeraldProcess.run(args, in: dir, environment: env)
            #expect(result.status == 0, "\(args): \(result.stderr)")
            return result
        }

        let plan = try run(["plan", "job.yaml"])
        #expect(plan.stdoutText.contains("https://bot:…@hooks.corp.example/wecom/send?key=…0001"), "\(plan.stdoutText)")
        #expect(plan.stdoutText.contains("https://hooks.corp.example/wecom/send#key=…0002"), "\(plan.stdoutText)")
        var shown = [plan.stdoutText + plan.stderr]
        for args in [["plan", "job.yaml", "--format", "json"], ["render", "job.yaml"], ["render", "job.yaml", "--format", "json"],
                     ["preview", "job.yaml", "-o", "-"], ["send", "--dry-run", "--format", "curl", "--redact", "job.yaml"],
                     ["send", "--dry-run", "--redact", "job.yaml"]] {
            let result = try run(args)
            shown.append(result.stdoutText + result.stderr)
        }
        let sent = try run(["send", "job.yaml", "--endpoint", relay.endpoint, "--report", "report.json"])
        shown.append(sent.stdoutText + sent.stderr)
        shown.append(try String(contentsOf: dir.appendingPathComponent("report.json"), encoding: .utf8))
        #expect(shown.last?.contains("…0001") == true, "the report names the link masked")
        for (index, text) in shown.enumerated() {
            for secret in Self.gatewaySecrets { #expect(!text.contains(secret), "output \(index) shows \(secret)") }
        }
        // The exact body is the one place the link goes whole: the relay needs it.
        let exact = try run(["send", "--dry-run", "job.yaml"])
        #expect(Self.gatewaySecrets.allSatisfy(exact.stdoutText.contains))
        #expect(relay.requests.count == 2)
    }

    @Test func anEndpointWithAPasswordIsRefusedWithoutShowingIt() throws {
        let dir = try folder(["job.yaml": Self.job(link: "\(Self.wecom)?key=\(Self.key)")])
        let result = try HeraldProcess.run(["check", "job.yaml", "--endpoint", "https://herald:Hunter2Hunter2@relay.example/api/v1/openapi/notification/wecom"],
                                           in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--endpoint carries a user name or password ('https://herald:…@relay.example/"), "\(result.stderr)")
        #expect(result.stderr.contains("access token"))
        #expect(!result.stderr.contains("Hunter2"))
    }
}
