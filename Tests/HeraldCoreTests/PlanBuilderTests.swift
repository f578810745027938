@testable import HeraldCore
import HeraldTemplate
import Testing

/// The planner, through `PlanBuilder.add(_ message:)` and `finish()`: requests of at most
/// `max_batch` messages, links in first-appearance order and each link's messages in order,
/// the first message's `sk` and platform for its link, and the exact request bytes.
@Suite struct PlanBuilderTests {
    static func message(_ index: Int, to link: String, _ content: String, sk: String? = nil, kind: MessageKind = .wecomText,
                        part: Int? = nil, of count: Int? = nil) -> RenderedMessage {
        RenderedMessage(messageIndex: index, rowNumber: nil, recipient: "r", link: link, sk: sk, kind: kind,
                        body: ["content": .string(content)], part: part, partCount: count)
    }

    static func text(_ content: String) -> String { #"{"msgtype":"text","text":{"content":"\#(content)"}}"# }

    func plan(maxBatch: Int, _ messages: [RenderedMessage]) -> [PlannedRequest] {
        var builder = PlanBuilder(maxBatch: maxBatch)
        for message in messages { builder.add(message) }
        return builder.finish()
    }

    @Test func maxBatchSplitsEachLinksMessagesIntoRequestsInOrder() {
        let requests = plan(maxBatch: 2, (1...5).map { Self.message($0, to: "A", "m\($0)") })
        #expect(requests.map(\.messageCount) == [2, 2, 1])
        #expect(requests.map(\.index) == [0, 1, 2])
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == [
            #"{"link":"A","data":["# + Self.text("m1") + "," + Self.text("m2") + "]}",
            #"{"link":"A","data":["# + Self.text("m3") + "," + Self.text("m4") + "]}",
            #"{"link":"A","data":["# + Self.text("m5") + "]}",
        ])
        #expect(requests.map(\.sourceMessages) == [[1, 2], [3, 4], [5]])
    }

    @Test func linksComeInFirstAppearanceOrderEachWithItsMessagesInOrder() {
        let requests = plan(maxBatch: 20, [
            Self.message(1, to: "B", "b1"), Self.message(1, to: "A", "a1"), Self.message(2, to: "B", "b2"),
            Self.message(2, to: "C", "c2"), Self.message(3, to: "A", "a3"),
        ])
        #expect(requests.map(\.link) == ["B", "A", "C"])
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == [
            #"{"link":"B","data":["# + Self.text("b1") + "," + Self.text("b2") + "]}",
            #"{"link":"A","data":["# + Self.text("a1") + "," + Self.text("a3") + "]}",
            #"{"link":"C","data":["# + Self.text("c2") + "]}",
        ])
        #expect(requests.map(\.sourceMessages) == [[1, 2], [1, 3], [2]])
    }

    @Test func eachLinkHasTheSkAndPlatformOfItsFirstMessage() {
        let requests = plan(maxBatch: 1, [
            Self.message(1, to: "A", "x", sk: "s1"), Self.message(2, to: "D", "y", kind: .dingtalkText),
            Self.message(3, to: "A", "z", sk: "other"), Self.message(4, to: "E", "w", sk: ""),
        ])
        #expect(requests.map(\.link) == ["A", "A", "D", "E"])
        #expect(requests.map(\.sk) == ["s1", "s1", nil, ""])
        #expect(requests.map(\.platform) == [.wecom, .wecom, .dingtalk, .wecom])
        // The sk goes after the link; an empty one is left out.
        #expect(String(decoding: requests[1].body, as: UTF8.self) == #"{"link":"A","sk":"s1","data":["# + Self.text("z") + "]}")
        #expect(String(decoding: requests[3].body, as: UTF8.self) == #"{"link":"E","data":["# + Self.text("w") + "]}")
    }

    @Test func theBodyHoldsEachMessagesExactJSON() {
        let message = RenderedMessage(messageIndex: 1, rowNumber: nil, recipient: "r", link: "https://h/x?key=\"k\"", sk: nil,
                                      kind: .dingtalkMarkdown, body: ["title": "T", "text": "line\n\"q\" 中"], at: ["isAtAll": true])
        let requests = plan(maxBatch: 20, [message])
        #expect(String(decoding: requests[0].body, as: UTF8.self)
            == #"{"link":"https://h/x?key=\"k\"","data":[{"msgtype":"markdown","markdown":{"title":"T","text":"line\n\"q\" 中"},"at":{"isAtAll":true}}]}"#)
        #expect(requests[0].body == Array(#"{"link":"https://h/x?key=\"k\"","data":["#.utf8) + message.json + Array("]}".utf8))
    }

    @Test func partsOfASplitMessageAreRecordedWithTheirRequest() {
        let requests = plan(maxBatch: 2, [
            Self.message(1, to: "A", "p1", part: 1, of: 3), Self.message(1, to: "A", "p2", part: 2, of: 3),
            Self.message(1, to: "A", "p3", part: 3, of: 3), Self.message(2, to: "A", "whole"),
        ])
        #expect(requests.map(\.messageCount) == [2, 2])
        #expect(requests.map(\.sourceMessages) == [[1], [1, 2]])
        #expect(requests[0].parts == [PartReference(message: 1, part: 1, count: 3), PartReference(message: 1, part: 2, count: 3)])
        #expect(requests[1].parts == [PartReference(message: 1, part: 3, count: 3)])
    }

    @Test func aBatchBelowOneIsOneAndFinishStartsOver() {
        var builder = PlanBuilder(maxBatch: 0)
        #expect(builder.maxBatch == 1)
        builder.add(Self.message(1, to: "A", "x"))
        builder.add(Self.message(2, to: "A", "y"))
        #expect(builder.finish().map(\.messageCount) == [1, 1])
        #expect(builder.finish().isEmpty)
        builder.add(Self.message(3, to: "B", "z"))
        let again = builder.finish()
        #expect(again.map(\.link) == ["B"])
        #expect(again.map(\.index) == [0])
    }
}
