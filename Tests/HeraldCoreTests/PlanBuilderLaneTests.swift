@testable import HeraldCore
import HeraldTestSupport
import HeraldTemplate
import Testing

/// The planner's lanes: one per link in first-appearance order, found by the number
/// `lane(link:…)` gave, and the same requests as adding whole messages.
@Suite struct PlanBuilderLaneTests {
    static let one = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1"
    static let two = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=2"

    static func message(_ text: String, link: String, sk: String?, index: Int = 1, part: Int? = nil, of count: Int? = nil) -> RenderedMessage {
        RenderedMessage(messageIndex: index, rowNumber: nil, recipient: "r", link: link, sk: sk, kind: .wecomText,
                        body: ["content": .string(text)], part: part, partCount: count)
    }

    @Test func aLinkHasOneLaneWhoseFirstMessageFixesItsSK() {
        var builder = PlanBuilder(maxBatch: 2)
        let a = builder.lane(link: Self.one, sk: "first")
        let b = builder.lane(link: Self.two, sk: nil)
        #expect(builder.lane(link: Self.one, sk: "later") == a)
        #expect(a != b)
        let messages = [Self.message("x", link: Self.two, sk: nil), Self.message("y", link: Self.one, sk: "first", index: 2),
                        Self.message("z", link: Self.one, sk: "first", index: 3, part: 1, of: 2)]
        for (m, lane) in zip(messages, [b, a, a]) {
            m.json.withUnsafeBufferPointer { builder.add(json: $0, lane: lane, messageIndex: m.messageIndex, part: m.partReference) }
        }
        let requests = builder.finish()
        // Lanes in the order they were asked for, though the first message went to the second.
        #expect(requests.map(\.link) == [Self.one, Self.two])
        #expect(requests.map(\.sk) == ["first", nil])
        #expect(requests.map(\.messageCount) == [2, 1])
        #expect(requests[0].sourceMessages == [2, 3])
        #expect(requests[0].parts == [PartReference(message: 3, part: 1, count: 2)])
        #expect(String(decoding: requests[0].body, as: UTF8.self)
            == #"{"link":"\#(Self.one)","sk":"first","data":[{"msgtype":"text","text":{"content":"y"}},{"msgtype":"text","text":{"content":"z"}}]}"#)
    }

    @Test func wholeMessagesPlanAsTheirLanesDo() {
        let messages = (0..<7).map { i in Self.message("m\(i)", link: i % 3 == 0 ? Self.two : Self.one, sk: nil, index: i + 1) }
        var byLane = PlanBuilder(maxBatch: 2)
        for m in messages {
            let lane = byLane.lane(link: m.link, sk: m.sk, platform: m.platform)
            m.json.withUnsafeBufferPointer { byLane.add(json: $0, lane: lane, messageIndex: m.messageIndex) }
        }
        let lanes = byLane.finish()
        #expect(Planner.requests(for: messages, maxBatch: 2) == lanes)
        #expect(lanes.map(\.messageCount) == [2, 1, 2, 2])
        #expect(lanes.map(\.index) == [0, 1, 2, 3])
    }
}
