import Foundation
import HeraldTestSupport
import Testing

/// What sends nothing needs no secret: with the token, an `sk` and a link's key in unset
/// variables, every command that sends nothing runs; a real send refuses, naming them.
@Suite struct DryRunWithoutSecretsTests {
    static let job = """
    version: 1
    access_token: ${KDOCS_ACCESS_TOKEN}
    recipients:
      ops: { link: "${HERALD_T_OPS_WEBHOOK}" }
      dt:
        link: "https://oapi.dingtalk.com/robot/send?access_token=${HERALD_T_DT_KEY}"
        sk: ${HERALD_T_DT_SECRET}
    messages:
      - to: [ops, dt]
        text: { content: "hello {{recipient.name}}" }

    """

    static let warnings = [
        "job.yaml:4:16: warning: 'link' of recipient 'ops': environment variable 'HERALD_T_OPS_WEBHOOK' is not set; shown as '${HERALD_T_OPS_WEBHOOK}' here, and a real send refuses until it is set",
        "job.yaml:6:11: warning: 'link' of recipient 'dt': environment variable 'HERALD_T_DT_KEY' is not set; shown as '${HERALD_T_DT_KEY}' here, and a real send refuses until it is set",
        "job.yaml:7:9: warning: 'sk' of recipient 'dt': environment variable 'HERALD_T_DT_SECRET' is not set; shown as '${HERALD_T_DT_SECRET}' here, and a real send refuses until it is set",
    ]

    func folder(_ job: String = job) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-nosecret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(job.utf8).write(to: dir.appendingPathComponent("job.yaml"))
        return dir
    }

    @Test(arguments: [["check"], ["plan"], ["render"], ["preview", "-o", "-"], ["send", "--dry-run"],
                      ["send", "--dry-run", "--format", "pretty"], ["send", "--dry-run", "--format", "curl"], ["send", "--dry-run", "--redact"]])
    func commandsThatSendNothingRunWithTheSecretsUnset(_ command: [String]) throws {
        let dir = try folder()
        let result = try HeraldProcess.run(command + ["job.yaml"], in: dir)
        #expect(result.status == 0, "\(command): \(result.stderr)")
        #expect(result.stderr == Self.warnings.joined(separator: "\n") + "\n", "\(command)")
        #expect(!result.stdout.isEmpty)
    }

    @Test func theDryRunBodyShowsTheUnexpandedNames() throws {
        let result = try HeraldProcess.run(["send", "--dry-run", "job.yaml"], in: try folder())
        #expect(result.stdoutText == """
        {"link":"${HERALD_T_OPS_WEBHOOK}","data":[{"msgtype":"text","text":{"content":"hello ops"}}]}
        {"link":"https://oapi.dingtalk.com/robot/send?access_token=${HERALD_T_DT_KEY}","sk":"${HERALD_T_DT_SECRET}","data":[{"msgtype":"text","text":{"content":"hello dt"}}]}

        """)
    }

    /// `--format curl` reads the token when curl runs, so its output is the same set or unset.
    @Test func curlFormatIsTheSameWithTheTokenSetOrUnset() throws {
        let dir = try folder()
        let unset = try HeraldProcess.run(["send", "--dry-run", "--format", "curl", "job.yaml"], in: dir)
        let set = try HeraldProcess.run(["send", "--dry-run", "--format", "curl", "job.yaml"], in: dir,
                                        environment: HeraldProcess.environment(["KDOCS_ACCESS_TOKEN": "TOKEN-SECRET-1234"]))
        #expect(unset.status == 0 && set.status == 0)
        #expect(unset.stdout == set.stdout)
        #expect(unset.stdoutText.contains(#"?access_token='"$KDOCS_ACCESS_TOKEN" -H"#))
        #expect(!set.stdoutText.contains("TOKEN-SECRET-1234") && !set.stderr.contains("TOKEN-SECRET-1234"))
    }

    @Test func aRealSendRefusesEachUnsetSecretAndSendsNothing() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder()
        let result = try HeraldProcess.run(["send", "job.yaml", "--endpoint", relay.endpoint], in: dir)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("""
        job.yaml:2:15: error: 'access_token': environment variable 'KDOCS_ACCESS_TOKEN' is not set; a real send needs it — set it (check and dry runs work without it)
        job.yaml:4:16: error: 'link' of recipient 'ops': environment variable 'HERALD_T_OPS_WEBHOOK' is not set; a real send needs it — set it (check and dry runs work without it)
        job.yaml:6:11: error: 'link' of recipient 'dt': environment variable 'HERALD_T_DT_KEY' is not set; a real send needs it — set it (check and dry runs work without it)
        """), "\(result.stderr)")
        #expect(relay.requests.isEmpty)
    }

    /// With the links and keys set, the missing token alone is named; nothing is sent.
    @Test func aRealSendWithOnlyTheTokenUnsetNamesIt() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let env = HeraldProcess.environment([
            "HERALD_T_OPS_WEBHOOK": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-0000000000f1",
            "HERALD_T_DT_KEY": "dddddddddddddddddddddddddddddddd00f1", "HERALD_T_DT_SECRET": "SEC-NOT-PRINTED",
        ])
        let result = try HeraldProcess.run(["send", "job.yaml", "--endpoint", relay.endpoint], in: try folder(), environment: env)
        #expect(result.status == 2)
        #expect(result.stderr == "job.yaml:2:15: error: 'access_token': environment variable 'KDOCS_ACCESS_TOKEN' is not set; a real send needs it — set it (check and dry runs work without it)\n")
        #expect(relay.requests.isEmpty)
        // The same job with the token set sends.
        var withToken = env
        withToken["KDOCS_ACCESS_TOKEN"] = "TOKEN-SECRET-5678"
        let sent = try HeraldProcess.run(["send", "job.yaml", "--endpoint", relay.endpoint, "--quiet"], in: try folder(), environment: withToken)
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(relay.requests.count == 2)
        #expect(!sent.stderr.contains("SEC-NOT-PRINTED") && !sent.stderr.contains("TOKEN-SECRET-5678"))
    }

    /// Without `access_token:` in the job and without KDOCS_ACCESS_TOKEN, the send still refuses.
    @Test func aRealSendWithNoTokenAtAllRefuses() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let job = "version: 1\nrecipients:\n  ops: { link: \"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-0000000000f2\" }\nmessages:\n  - to: ops\n    text: { content: hi }\n"
        let result = try HeraldProcess.run(["send", "job.yaml", "--endpoint", relay.endpoint], in: try folder(job))
        #expect(result.status == 2)
        #expect(result.stderr.contains("no access token: set KDOCS_ACCESS_TOKEN"))
        #expect(relay.requests.isEmpty)
    }
}
