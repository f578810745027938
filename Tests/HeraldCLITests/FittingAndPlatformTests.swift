import Foundation
import Testing

/// What the CLI shows of split messages and DingTalk robots beyond the dry-run bytes:
/// check's one warning per position, parts in render and plan, each platform's endpoint in
/// curl commands, and DingTalk's `access_token=` masked wherever a link is shown.
@Suite struct FittingAndPlatformTests {
    static let dingtalkToken = "dddddddddddddddddddddddddddddddd0001"
    static let job = """
    version: 1
    endpoint: http://127.0.0.1:9/api/v1/openapi/notification/wecom
    people:
      alice: { wecom: zhangsan, dingtalk: "0123" }
    recipients:
      ops: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WECOMKEY-0001" }
      dt: { link: "https://oapi.dingtalk.com/robot/send?access_token=\(dingtalkToken)" }
    messages:
      - to: [ops, dt]
        for_each: [{ n: 1 }, { n: 2 }]
        mention: alice
        markdown:
          content: |
            ## Report {{row.n}}
    \((0..<120).map { "        - line \($0) of the report, long enough to need two parts" }.joined(separator: "\n"))
    """

    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-fit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(Self.job.utf8).write(to: dir.appendingPathComponent("job.yaml"))
        return dir
    }

    let fixed = ["--now", "2026-11-25T09:30:00+08:00", "--timezone", "Asia/Shanghai"]

    @Test func checkWarnsOncePerTemplatePositionWithSizeAndParts() throws {
        let r = try HeraldProcess.run(["check", "job.yaml"] + fixed, in: try folder())
        #expect(r.status == 0)
        let warnings = r.stderr.split(separator: "\n").filter { $0.contains("warning:") }
        // Two rows × WeCom: one warning for the position, though every row splits.
        #expect(warnings.count == 1, "\(r.stderr)")
        #expect(warnings.first?.contains(#"job.yaml:13:7: warning: markdown content is "#) == true)
        #expect(warnings.first?.hasSuffix("over the 4096-byte limit: split into 2 messages") == true)
    }

    @Test func renderAndPlanShowPartsAndPlatforms() throws {
        let dir = try folder()
        let render = try HeraldProcess.run(["render", "job.yaml"] + fixed, in: dir)
        #expect(render.status == 0)
        #expect(render.stdoutText.contains("── message 1, part 1/2, row 1 → ops"))
        #expect(render.stdoutText.contains("── message 1, part 2/2, row 2 → ops"))
        #expect(render.stdoutText.contains("· DingTalk markdown"))
        let json = try HeraldProcess.run(["render", "job.yaml", "--format", "json"] + fixed, in: dir)
        let lines = json.stdoutText.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 6)  // 2 rows × (2 WeCom parts + 1 DingTalk message)
        #expect(lines.filter { $0["platform"] as? String == "dingtalk" }.count == 2)
        #expect(lines.filter { $0["parts"] as? Int == 2 }.count == 4)
        let plan = try HeraldProcess.run(["plan", "job.yaml"] + fixed, in: dir)
        #expect(plan.status == 0)
        #expect(plan.stdoutText.contains("platform"))
        #expect(plan.stdoutText.contains("dingtalk"))
        #expect(plan.stdoutText.contains("access_token=…0001"))
        #expect(!plan.stdoutText.contains(Self.dingtalkToken))
        #expect(!render.stdoutText.contains(Self.dingtalkToken))
        #expect(!json.stdoutText.contains(Self.dingtalkToken))
    }

    @Test func curlCommandsGoToEachPlatformsRelay() throws {
        let r = try HeraldProcess.run(["send", "--dry-run", "job.yaml", "--format", "curl"] + fixed, in: try folder())
        #expect(r.status == 0)
        let lines = r.stdoutText.split(separator: "\n")
        #expect(lines.count == 2)  // WeCom: 4 parts in one request of 20; DingTalk: 2 messages in one
        #expect(lines.first?.hasPrefix("curl -sS -X POST 'http://127.0.0.1:9/api/v1/openapi/notification/wecom?access_token='") == true)
        #expect(lines.last?.hasPrefix("curl -sS -X POST 'http://127.0.0.1:9/api/v1/openapi/notification/dingtalk?access_token='") == true)
        // --endpoint moves both relays (the DingTalk one is derived from it).
        let moved = try HeraldProcess.run(["send", "--dry-run", "job.yaml", "--format", "curl", "--endpoint",
                                           "http://127.0.0.1:8/x/notification/wecom"] + fixed, in: try folder())
        #expect(moved.stdoutText.contains("'http://127.0.0.1:8/x/notification/dingtalk?access_token='"))
    }

    @Test func redactMasksTheDingTalkToken() throws {
        let r = try HeraldProcess.run(["send", "--dry-run", "job.yaml", "--redact"] + fixed, in: try folder())
        #expect(r.status == 0)
        #expect(!r.stdoutText.contains(Self.dingtalkToken))
        #expect(r.stdoutText.contains("access_token=…0001"))
        #expect(!r.stdoutText.contains("WECOMKEY-0001"))
    }
}

extension FittingAndPlatformTests {
    @Test func planNamesTheSplitMessagesEachRequestCarries() throws {
        let r = try HeraldProcess.run(["plan", "job.yaml"] + fixed, in: try folder())
        #expect(r.status == 0)
        let lines = r.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasSuffix("split messages") == true)
        // The WeCom request carries both rows' messages, each in two parts; DingTalk's are whole.
        #expect(lines.count > 1 && lines[1].hasSuffix("message 1, parts 1–2/2; message 1, parts 1–2/2"))
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
        let json = try HeraldProcess.run(["plan", "job.yaml", "--format", "json"] + fixed, in: try folder())
        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any]
        let requests = doc?["requests"] as? [[String: Any]] ?? []
        #expect(requests.map { $0["parts"] as? String } == ["message 1, parts 1–2/2; message 1, parts 1–2/2", ""])
        #expect(requests.map { $0["platform"] as? String } == ["wecom", "dingtalk"])
    }
}
