import Foundation
@testable import HeraldCore
import Testing

@Suite struct PlanningTests {
    @Test func batchesPerLinkInFirstAppearanceOrder() throws {
        let result = try prepare("""
        version: 1
        max_batch: 20
        recipients:
          a: { link: "https://h/a?key=1" }
          b: { link: "https://h/b?key=2" }
        messages:
          - to: b
            text: { content: "first to b" }
          - to: [a, b]
            for_each: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]
            text: { content: "n={{row}}" }
        """)
        guard case .success(let prepared) = result else { Issue.record("\(result)"); return }
        let plan = prepared.plan
        #expect(plan.requests.map(\.link) == ["https://h/b?key=2", "https://h/b?key=2", "https://h/a?key=1", "https://h/a?key=1"])
        #expect(plan.requests.map(\.messageCount) == [20, 3, 20, 2])
        #expect(plan.messageCount == 45)
        #expect(plan.requests.map(\.index) == [0, 1, 2, 3])
        #expect(plan.lanes.map(\.count) == [2, 2])
        #expect(Set(plan.requests.map(\.contentID)).count == 4)
        #expect(plan.requests[0].sourceMessages == [1, 2])
    }

    @Test func skOnlyWhenSetAndNotEmpty() throws {
        let result = try prepare("""
        version: 1
        recipients:
          a: { link: "https://h/a", sk: "${NOPE:-}" }
          b: { link: "https://h/b", sk: "s3cret" }
        messages:
          - { to: [a, b], text: { content: hi } }
        """)
        #expect(bodies(result) == [
            #"{"link":"https://h/a","data":[{"msgtype":"text","text":{"content":"hi"}}]}"#,
            #"{"link":"https://h/b","sk":"s3cret","data":[{"msgtype":"text","text":{"content":"hi"}}]}"#,
        ])
    }

    @Test func contentIDIsSHA256OfLinkNulBody() {
        let id = RequestEncoder.contentID(link: "l", body: Array("b".utf8))
        // printf 'l\0b' | sha256sum
        #expect(id == "22d41d9fb337a7e05d60b7756f554f65428e3bff5bd7859a4a5c7aa3367c724f")
        #expect(id == RequestEncoder.contentID(link: "l", body: Array("b".utf8)))
        #expect(id != RequestEncoder.contentID(link: "lb", body: []))
    }
}

/// `for_each: {var: …}` reads names as template tags do: dotted paths, list indexes, the
/// engine's own messages for what is missing.
@Suite struct ForEachVariableTests {
    static let job = """
    version: 1
    vars:
      report: { weeks: [ { teams: [a, b] }, { teams: [c] } ] }
    recipients:
      ops: { link: "https://h/x?key=1" }
    messages:
      - to: ops
        for_each: { var: VAR }
        text: { content: "{{row}}" }
    """

    func run(_ name: String) throws -> Result<PreparedJob, HeraldError> {
        try prepare(Self.job.replacingOccurrences(of: "VAR", with: name))
    }

    @Test func listIndexSegmentsAreFollowed() throws {
        #expect(bodies(try run("report.weeks.1.teams")).joined().contains(#"{"content":"c"}"#))
        #expect(bodies(try run("report.weeks.0.teams")).joined().contains(#"{"content":"b"}"#))
    }

    @Test func missingNamesAreReportedAsTheEngineReportsThem() throws {
        #expect(firstError(try run("report.wekes.0.teams"))?.hasSuffix("error: unknown for_each variable 'report.wekes.0.teams': 'report' has no key 'wekes' — did you mean 'weeks'?") == true)
        #expect(firstError(try run("report.weeks.5.teams"))?.hasSuffix("error: unknown for_each variable 'report.weeks.5.teams': 'report.weeks' is a list of 2 items; '5' is not an index in it") == true)
        #expect(firstError(try run("reprot.weeks")).map { $0.contains("unknown for_each variable 'reprot.weeks' — did you mean 'report'?") } == true)
        #expect(firstError(try run("report.weeks.0"))?.hasSuffix("error: for_each variable 'report.weeks.0' is a map, not a list") == true)
    }
}

@Suite struct PlatformInferenceTests {
    @Test func dingTalkByItsHostOnlyAnyCase() {
        #expect(Platform.inferred(fromLink: "https://oapi.dingtalk.com/robot/send?access_token=x") == .dingtalk)
        #expect(Platform.inferred(fromLink: "https://OAPI.DingTalk.com:443/robot/send") == .dingtalk)
        #expect(Platform.inferred(fromLink: "https://user:pw@oapi.dingtalk.com/robot") == .dingtalk)
        #expect(Platform.inferred(fromLink: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=oapi.dingtalk.com") == .wecom)
        #expect(Platform.inferred(fromLink: "https://oapi.dingtalk.com.example.org/robot") == .wecom)
        #expect(Platform.inferred(fromLink: "https://example.com/oapi.dingtalk.com") == .wecom)
        #expect(Platform.inferred(fromLink: "https://[::1]:8080/x") == .wecom)
    }

    @Test func theDingTalkRelayIsDerivedFromTheWeComOne() {
        #expect(Platform.dingtalkEndpoint(derivedFrom: "https://developer.kdocs.cn/api/v1/openapi/notification/wecom")
                == "https://developer.kdocs.cn/api/v1/openapi/notification/dingtalk")
        #expect(Platform.dingtalkEndpoint(derivedFrom: "http://127.0.0.1:9/x/wecom/?a=1") == "http://127.0.0.1:9/x/dingtalk/?a=1")
        #expect(Platform.dingtalkEndpoint(derivedFrom: "https://relay.example.com/notify") == nil)
    }
}
