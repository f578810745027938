@testable import HeraldCore
import HeraldTemplate
import Testing

/// `PlatformAdapter`: every conversion rule of docs/platforms.md ("Message types on each
/// platform"): what stays, what becomes DingTalk markdown and its title, and the refusals,
/// each naming both sides.
@Suite struct PlatformAdapterTests {
    func adapt(_ key: String, _ body: OrderedMap, hasAt: Bool = false, to platform: Platform) -> Result<PlatformAdapter.Adapted, PlatformAdapter.Refusal> {
        PlatformAdapter.adapt(key: key, body: body, hasAt: hasAt, platform: platform, recipient: platform == .wecom ? "wc" : "dt")
    }

    func refusal(_ key: String, _ body: OrderedMap, hasAt: Bool = false, to platform: Platform) -> String? {
        if case .failure(let r) = adapt(key, body, hasAt: hasAt, to: platform) { return r.message }
        return nil
    }

    @Test func weComTypesStayAsWrittenOnWeCom() throws {
        let cases: [(String, MessageKind, String?)] = [
            ("text", .wecomText, "content"), ("markdown", .wecomMarkdown, "content"), ("markdown_v2", .wecomMarkdownV2, "content"),
            ("image", .wecomImage, nil), ("news", .wecomNews, nil), ("file", .wecomFile, nil), ("voice", .wecomVoice, nil),
            ("template_card", .wecomTemplateCard, nil),
        ]
        let body: OrderedMap = ["content": "hi", "extra": 1]
        for (key, kind, longKey) in cases {
            let adapted = try adapt(key, body, to: .wecom).get()
            #expect(adapted.kind == kind, "\(key)")
            #expect(adapted.body == body, "\(key)")
            #expect(adapted.sourceLongKey == longKey, "\(key)")
        }
    }

    @Test func textStaysTextOnDingTalk() throws {
        let body: OrderedMap = ["content": "hi"]
        let adapted = try adapt("text", body, to: .dingtalk).get()
        #expect(adapted.kind == .dingtalkText)
        #expect(adapted.body == body)
        #expect(adapted.sourceLongKey == "content")
    }

    @Test func weComMarkdownBecomesDingTalkMarkdownWithATitle() throws {
        for key in ["markdown", "markdown_v2"] {
            let content = "\n  \n## Weekly report  \n- done: 3"
            let adapted = try adapt(key, ["content": .string(content)], to: .dingtalk).get()
            #expect(adapted.kind == .dingtalkMarkdown, "\(key)")
            #expect(adapted.body == ["title": "Weekly report", "text": .string(content)], "\(key): only content carries over")
            #expect(adapted.sourceLongKey == "content", "\(key)")
        }
        // Other keys the WeCom template wrote do not cross.
        let adapted = try adapt("markdown", ["content": "# T", "mentioned_list": ["x"]], to: .dingtalk).get()
        #expect(adapted.body == ["title": "T", "text": "# T"])
    }

    @Test func dingTalksOwnMarkdownGoesAsWritten() throws {
        let body: OrderedMap = ["title": "T", "text": "body"]
        let adapted = try adapt("markdown", body, to: .dingtalk).get()
        #expect(adapted.kind == .dingtalkMarkdown)
        #expect(adapted.body == body)
        #expect(adapted.sourceLongKey == "text")
    }

    @Test func dingTalkTypesStayOnDingTalk() throws {
        for (key, kind) in [("link", MessageKind.dingtalkLink), ("actionCard", .dingtalkActionCard), ("feedCard", .dingtalkFeedCard)] {
            let adapted = try adapt(key, ["title": "t"], to: .dingtalk).get()
            #expect(adapted.kind == kind, "\(key)")
            #expect(adapted.sourceLongKey == nil, "\(key)")
        }
    }

    @Test func theTitleIsTheFirstLineWithTextLessItsHashesAndTrailingSpace() {
        #expect(PlatformAdapter.title(ofMarkdown: "# Title") == "Title")
        #expect(PlatformAdapter.title(ofMarkdown: "#  # Title\t ") == "Title")
        #expect(PlatformAdapter.title(ofMarkdown: " \t\n\n  plain line\nsecond") == "plain line")
        // Only '#' and spaces are removed at the start: a tab stays.
        #expect(PlatformAdapter.title(ofMarkdown: "\tTabbed") == "\tTabbed")
        // Lines split at "\n" only: a CR before it is trailing whitespace.
        #expect(PlatformAdapter.title(ofMarkdown: "## A\r\nB") == "A")
        // Cut to 64 Unicode scalars, no ellipsis.
        #expect(PlatformAdapter.title(ofMarkdown: "# " + String(repeating: "é", count: 70)) == String(repeating: "é", count: 64))
        #expect(PlatformAdapter.title(ofMarkdown: String(repeating: "😀", count: 65)).unicodeScalars.count == 64)
        #expect(PlatformAdapter.title(ofMarkdown: String(repeating: "x", count: 64)) == String(repeating: "x", count: 64))
        // Nothing left: empty.
        #expect(PlatformAdapter.title(ofMarkdown: "###") == "")
        #expect(PlatformAdapter.title(ofMarkdown: " \n\t\n") == "")
        #expect(PlatformAdapter.title(ofMarkdown: "") == "")
    }

    @Test func aContentWithNoTitleLineIsRefused() {
        let message = "DingTalk robot 'dt' needs a markdown title, taken from the first line of 'content' with text, but no line gives one (a line of only '#' leaves nothing)"
        #expect(refusal("markdown", ["content": "###"], to: .dingtalk) == message)
        #expect(refusal("markdown_v2", ["content": "  \n \n"], to: .dingtalk) == message)
    }

    @Test func whatCannotCrossIsRefusedNamingBothSides() {
        #expect(refusal("file", ["media_id": "m"], to: .dingtalk)
            == "a WeCom 'file' message cannot go to DingTalk robot 'dt'; DingTalk takes text, markdown, link, actionCard and feedCard")
        for key in ["image", "news", "voice", "template_card"] {
            #expect(refusal(key, [:], to: .dingtalk)
                == "a WeCom '\(key)' message cannot go to DingTalk robot 'dt'; DingTalk takes text, markdown, link, actionCard and feedCard")
        }
        for key in ["link", "actionCard", "feedCard"] {
            #expect(refusal(key, [:], to: .wecom)
                == "a DingTalk '\(key)' message cannot go to WeCom robot 'wc'; WeCom takes text, markdown, markdown_v2, image, news, file, voice and template_card")
        }
        #expect(refusal("markdown", ["title": "T", "text": "x"], to: .wecom)
            == "a DingTalk markdown message (title, text) cannot go to WeCom robot 'wc'; write it with 'content' to send it to both platforms")
        #expect(refusal("markdown_v2", ["text": "x"], to: .dingtalk)
            == "a WeCom markdown_v2 message without 'content' cannot go to DingTalk robot 'dt'")
    }

    @Test func mentionListsAndAtDoNotCross() {
        for list in ["mentioned_list", "mentioned_mobile_list"] {
            #expect(refusal("text", ["content": "hi", list: ["a"]], to: .dingtalk)
                == "WeCom text '\(list)' cannot go to DingTalk robot 'dt'; use 'mention:' (it becomes DingTalk's 'at')")
        }
        #expect(refusal("text", ["content": "hi"], hasAt: true, to: .wecom)
            == "'at' is DingTalk's, but recipient 'wc' is a WeCom robot; use 'mention:' for WeCom mentions")
        // `at` beside a DingTalk type is DingTalk's own: no refusal.
        #expect(refusal("text", ["content": "hi"], hasAt: true, to: .dingtalk) == nil)
    }
}
