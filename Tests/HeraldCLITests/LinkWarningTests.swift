import Foundation
import Testing

/// What a link check warns about but still plans: a host that is not the platform's (a typo,
/// or a gateway not named as one), and one chat addressed twice with nothing to tell the two apart.
@Suite struct LinkWarningTests {
    func check(_ recipients: String) throws -> HeraldProcess.Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-warn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let job = "version: 1\nrecipients:\n\(recipients)messages:\n  - to: ops\n    text: { content: hi }\n"
        try Data(job.utf8).write(to: dir.appendingPathComponent("job.yaml"))
        return try HeraldProcess.run(["check", "job.yaml"], in: dir)
    }

    @Test func aMistypedHostIsAWarningNamingTheRightOne() throws {
        let result = try check("  ops: { link: \"https://qyapi.weixin.qq.con/cgi-bin/webhook/send?key=abcdef\" }\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "job.yaml:3:16: warning: 'link' of recipient 'ops' has host 'qyapi.weixin.qq.con', not WeCom's 'qyapi.weixin.qq.com'; fix the host (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<the robot's key>), or, for a company gateway, write 'platform: wecom' beside the link\n")
    }

    @Test func aGatewayNamedByPlatformIsQuiet() throws {
        let result = try check("  ops: { link: \"https://hooks.corp.example/wecom?key=abcdef\", platform: wecom }\n")
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        let dingtalk = try check("  ops: { link: \"https://hooks.corp.example/dingtalk?access_token=abcdef\", platform: dingtalk }\n")
        #expect(dingtalk.status == 0, "\(dingtalk.stderr)")
        #expect(!dingtalk.stderr.contains("host"), "\(dingtalk.stderr)")
    }

    @Test func oneLinkUnderTwoRecipientsWithTheSameVarsIsAWarning() throws {
        let link = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-0000000000e0"
        let same = try check("  ops: { link: \"\(link)\" }\n  oncall: { link: \"\(link)\" }\n")
        #expect(same.status == 0)
        #expect(same.stderr == "job.yaml:4:19: warning: recipients 'ops' and 'oncall' share a link and the same vars: a message to both is posted to that chat twice; keep one, or give each its own 'vars'\n")
        // Two audiences in one chat (examples/shared-link): each has its own vars, nothing to warn about.
        let audiences = try check("  ops: { link: \"\(link)\", vars: { team: Ops } }\n  oncall: { link: \"\(link)\", vars: { team: On-call } }\n")
        #expect(audiences.status == 0)
        #expect(audiences.stderr.isEmpty, "\(audiences.stderr)")
        // The twin need not be the link's first recipient.
        let third = try check("  ops: { link: \"\(link)\", vars: { team: Ops } }\n  oncall: { link: \"\(link)\" }\n  pager: { link: \"\(link)\" }\n")
        #expect(third.stderr == "job.yaml:5:18: warning: recipients 'oncall' and 'pager' share a link and the same vars: a message to both is posted to that chat twice; keep one, or give each its own 'vars'\n")
    }
}
