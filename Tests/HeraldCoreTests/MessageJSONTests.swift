@testable import HeraldCore
import HeraldTemplate
import PropertyBased
import Testing

/// A renderer writes each message's JSON in one pass into its scratch memory (sized by an
/// upper bound, not measured first): the bytes must be exactly those the public initializer
/// gives, for any body and `at`, and whatever the scratch held before.
@Suite struct MessageJSONTests {
    @Test func scratchEncodingEqualsMeasuredEncoding() async {
        let scratch = ByteArena(capacity: 16)
        await propertyCheck(count: 600, input: RandomValues.generator) { value in
            for kind in [MessageKind.wecomMarkdown, .dingtalkText] {
                let body: Value = ["content": value, "x": .list([value, "\u{1}\"\\"])]
                let at: Value? = kind == .dingtalkText ? value : nil
                let measured = RenderedMessage(messageIndex: 1, rowNumber: nil, recipient: "r", link: "l", sk: nil, kind: kind,
                                               body: body, at: at)
                let scratched = RenderedMessage(messageIndex: 1, rowNumber: nil, recipient: "r", link: "l", sk: nil, kind: kind,
                                                body: body, at: at, scratch: scratch)
                #expect(scratched.json == measured.json)
            }
        }
    }
}
