import Foundation
import HeraldTestSupport
import Testing

/// A job for a WeCom and a DingTalk robot, sent by the herald process to the loopback relay:
/// each request arrives at its platform's relay path, with the dry run's bytes, in order per link.
@Suite(.serialized) struct PlatformSendTests {
    static let job = """
    version: 1
    name: two-platforms
    max_batch: 2
    rate_limit: 0
    access_token: ${HERALD_T_TOKEN}
    people:
      ann: { wecom: ann.li, dingtalk: "4711" }
    recipients:
      wecom: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=PLATFORM-WECOM-0001" }
      ding: { link: "https://oapi.dingtalk.com/robot/send?access_token=PLATFORM-DING-0002", sk: "SECRET-SK-0003" }
    messages:
      - to: [wecom, ding]
        for_each: [1, 2, 3]
        mention: ann
        markdown: { content: "## Build {{row}}\\nall green" }
      - to: ding
        actionCard: { title: Deploy, text: "Deploy 2.4?", singleTitle: Open, singleURL: "https://example.com/d" }
    """

    @Test func eachRequestReachesItsPlatformsRelayWithTheDryRunBytes() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-platforms-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(Self.job.utf8).write(to: dir.appendingPathComponent("job.yaml"))
        let env = HeraldProcess.environment(["HERALD_T_TOKEN": "PLATFORM-TOKEN-0004"])
        let fixed = ["--endpoint", relay.endpoint, "--now", "2026-11-25T09:30:00+08:00", "--timezone", "Asia/Shanghai"]

        let dry = try HeraldProcess.run(["send", "--dry-run", "job.yaml"] + fixed, in: dir, environment: env)
        #expect(dry.status == 0)
        let planned = dry.stdout.split(separator: 0x0A).map(Array.init)
        #expect(planned.count == 4)  // WeCom: 3 messages in 2 requests; DingTalk: 4 in 2

        let sent = try HeraldProcess.run(["send", "job.yaml", "--concurrency", "1", "--state-dir", dir.appendingPathComponent("state").path] + fixed,
                                         in: dir, environment: env)
        #expect(sent.status == 0, "\(sent.stderr)")
        let received = relay.requests.sorted { $0.order < $1.order }
        #expect(received.count == 4)
        // Per link, the dry run's bodies in the dry run's order (links may interleave).
        func link(of body: [UInt8]) -> String {
            ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any])?["link"] as? String ?? ""
        }
        for robot in Set(planned.map(link)) {
            let want = planned.filter { link(of: $0) == robot }
            let got = received.map(\.body).filter { link(of: $0) == robot }
            #expect(got == want, "requests for \(robot.prefix(30))… differ from the dry run")
        }
        for request in received {
            let toDingTalk = request.link?.hasPrefix("https://oapi.dingtalk.com/") == true
            #expect(request.path == (toDingTalk ? "/api/v1/openapi/notification/dingtalk" : "/api/v1/openapi/notification/wecom"))
            #expect(request.uri.hasSuffix("?access_token=PLATFORM-TOKEN-0004"))
        }
        #expect(received.filter { $0.path.hasSuffix("/dingtalk") }.count == 2)
        // The report and progress name links masked; no secret of either platform shows.
        for secret in ["PLATFORM-WECOM-0001", "PLATFORM-DING-0002", "SECRET-SK-0003", "PLATFORM-TOKEN-0004"] {
            #expect(!sent.stderr.contains(secret))
            #expect(!sent.stdoutText.contains(secret))
        }
    }
}
