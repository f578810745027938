@testable import HeraldCore
import HeraldTemplate
import PropertyBased
import Testing

/// `MessageEncoder` writes each message's JSON in one pass (sized by an upper bound, not
/// measured first) into the slice's bytes: those bytes must be exactly the reference's — a
/// second encoder, kept here, that measures the exact length first — for any body and `at`,
/// and whatever the slice held before.
@Suite struct MessageJSONTests {
    /// The reference: the exact length first, then the bytes in place.
    static func measuredJSON(msgtype: String, body: Value, at: Value?) -> [UInt8] {
        let typeLength = JSONWriter.stringLength(msgtype)
        var count = 11 + typeLength + 1 + typeLength + 1 + JSONWriter.encodedLength(body) + 1
        if let at { count += 6 + JSONWriter.encodedLength(at) }
        return JSONWriter.bytes(count: count) { p in
            var q = put(#"{"msgtype":"#, p)
            q = JSONWriter.writeString(msgtype, to: q)
            q = put(",", q)
            q = JSONWriter.writeString(msgtype, to: q)
            q = put(":", q)
            q = JSONWriter.write(body, to: q)
            if let at {
                q = put(#","at":"#, q)
                q = JSONWriter.write(at, to: q)
            }
            return put("}", q)
        }
    }

    private static func put(_ text: String, _ p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var q = p
        for byte in text.utf8 { q.pointee = byte; q += 1 }
        return q
    }

    @Test func oneWriterEqualsTheMeasuredReference() async {
        var slice = EncodedMessages()
        await propertyCheck(count: 600, input: RandomValues.generator) { value in
            for kind in [MessageKind.wecomMarkdown, .dingtalkText] {
                let body: Value = ["content": value, "x": .list([value, "\u{1}\"\\"])]
                let at: Value? = kind == .dingtalkText ? value : nil
                let reference = Self.measuredJSON(msgtype: kind.wireName, body: body, at: at)
                #expect(MessageEncoder.json(kind: kind, body: body, at: at) == reference)
                #expect(RenderedMessage(messageIndex: 1, rowNumber: nil, recipient: "r", link: "l", sk: nil, kind: kind, body: body,
                                        at: at).json == reference)
                // Appended after what the slice already holds.
                slice.append(MessageTag(recipient: 0, messageIndex: 1, part: nil),
                             atMost: MessageEncoder.bound(msgtype: kind.wireName, body: body, at: at)) {
                    MessageEncoder.write(msgtype: kind.wireName, body: body, at: at, to: $0)
                }
                #expect(slice.lastJSON == reference)
            }
        }
    }

    /// What the planner is handed: each message's own bytes and tag, in order.
    @Test func aSliceHandsOverEachMessageWithItsTag() {
        var slice = EncodedMessages()
        let texts = ["a", "", "bcd"]
        for (i, text) in texts.enumerated() {
            let bytes = Array(text.utf8)
            slice.append(MessageTag(recipient: i, messageIndex: 10 + i, part: i == 2 ? PartReference(message: 12, part: 1, count: 2) : nil),
                         atMost: bytes.count) { p in
                p.update(from: bytes, count: bytes.count)
                return p + bytes.count
            }
        }
        var seen: [(String, Int, Int, PartReference?, Bool)] = []
        slice.forEach { seen.append((String(decoding: $0.json, as: UTF8.self), $0.tag.recipient, $0.tag.messageIndex, $0.tag.part, $0.kept != nil)) }
        #expect(seen.map(\.0) == texts)
        #expect(seen.map(\.1) == [0, 1, 2])
        #expect(seen.map(\.2) == [10, 11, 12])
        #expect(seen.map(\.3) == [nil, nil, PartReference(message: 12, part: 1, count: 2)])
        #expect(seen.allSatisfy { !$0.4 })
        slice.removeAll()
        #expect(slice.isEmpty)
    }
}
