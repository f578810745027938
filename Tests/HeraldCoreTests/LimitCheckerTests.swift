@testable import HeraldCore
import HeraldTemplate
import Testing

/// `LimitChecker`: each kind's required fields and limits (docs/platforms.md), as the exact
/// issues it reports: severity, the field it points at, the words.
@Suite struct LimitCheckerTests {
    struct Reported: Equatable, CustomStringConvertible {
        var error: Bool
        var field: [String]
        var message: String
        var description: String { "\(error ? "error" : "warning") \(field): \(message)" }
    }

    func issues(_ kind: MessageKind, _ body: OrderedMap) -> [Reported] {
        LimitChecker.check(kind: kind, body: body).map { Reported(error: $0.severity == .error, field: $0.field, message: $0.message) }
    }

    func error(_ field: [String], _ message: String) -> Reported { Reported(error: true, field: field, message: message) }
    func warning(_ field: [String], _ message: String) -> Reported { Reported(error: false, field: field, message: message) }

    static func text(bytes: Int) -> Value { .string(String(repeating: "a", count: bytes)) }

    @Test func theLongFieldMustBeANonEmptyString() {
        for kind in [MessageKind.wecomText, .wecomMarkdown, .wecomMarkdownV2] {
            let type = kind.wireName
            #expect(issues(kind, ["content": "ok"]) == [], "\(type)")
            #expect(issues(kind, [:]) == [error([], "\(type) message is missing 'content'")])
            #expect(issues(kind, ["content": ""]) == [error(["content"], "\(type) message 'content' is empty")])
            #expect(issues(kind, ["content": 5]) == [error(["content"], "\(type) message 'content' must be a string, not an integer")])
        }
        #expect(issues(.dingtalkText, ["content": ""]) == [error(["content"], "DingTalk text message 'content' is empty")])
        #expect(issues(.dingtalkMarkdown, ["text": "x"]) == [error([], "DingTalk markdown message is missing 'title'")])
        #expect(issues(.dingtalkMarkdown, ["title": "t", "text": .list([])])
            == [error(["text"], "DingTalk markdown message 'text' must be a string, not a list")])
    }

    @Test func weComTextMentionListsAreListsOfStrings() {
        #expect(issues(.wecomText, ["content": "c", "mentioned_list": ["@all", "u1"], "mentioned_mobile_list": ["138"]]) == [])
        #expect(issues(.wecomText, ["content": "c", "mentioned_list": "u1"])
            == [error(["mentioned_list"], "'mentioned_list' must be a list of strings (user ids, phone numbers or \"@all\"), not a string")])
        #expect(issues(.wecomText, ["content": "c", "mentioned_mobile_list": ["138", 139]])
            == [error(["mentioned_mobile_list"], "'mentioned_mobile_list' must be a list of strings (user ids, phone numbers or \"@all\"), not a list")])
    }

    @Test func markdownV2WarnsOfWhatItDoesNotRender() {
        let words = "markdown_v2 does not render <font color=…> or <@userid> mentions; use markdown for those"
        #expect(issues(.wecomMarkdownV2, ["content": "<font color=\"info\">x</font>"]) == [warning(["content"], words)])
        #expect(issues(.wecomMarkdownV2, ["content": "hi <@u1>"]) == [warning(["content"], words)])
        #expect(issues(.wecomMarkdown, ["content": "<font color=\"info\">x</font> <@u1>"]) == [])
    }

    @Test func imageNeedsBase64AndMD5() {
        #expect(issues(.wecomImage, ["base64": "QUJD", "md5": "902fbdd2b1df0c4f70b4a5d23525e932"]) == [])
        #expect(issues(.wecomImage, ["base64": "QUJD"]) == [error([], "image message needs 'path' (a PNG or JPEG file), or both 'base64' and 'md5'")])
        #expect(issues(.wecomImage, ["base64": "", "md5": "m"]) == [error(["base64"], "image message 'base64' is empty")])
    }

    @Test func newsTakesOneToEightArticles() {
        let article: Value = ["title": "t", "url": "https://example.com"]
        #expect(issues(.wecomNews, ["articles": .list([article])]) == [])
        #expect(issues(.wecomNews, ["articles": .list(Array(repeating: article, count: 8))]) == [])
        #expect(issues(.wecomNews, ["articles": .list(Array(repeating: article, count: 9))])
            == [error(["articles"], "news message has 9 articles; WeCom takes 1 to 8")])
        #expect(issues(.wecomNews, ["articles": []]) == [error(["articles"], "news message has 0 articles; WeCom takes 1 to 8")])
        #expect(issues(.wecomNews, [:]) == [error([], "news message needs 'articles', a list of 1 to 8 articles")])
        #expect(issues(.wecomNews, ["articles": ["title": "t"]]) == [error(["articles"], "news message needs 'articles', a list of 1 to 8 articles")])
        #expect(issues(.wecomNews, ["articles": [["title": "t"], "x"]])
            == [error(["articles", "0"], "article 1 is missing 'url'"), error(["articles", "1"], "article 2 must be a map")])
    }

    /// WeCom cuts a news title at 128 bytes and a description at 512: at the limit nothing is
    /// said, one byte over is a warning giving the size (UTF-8 bytes, not characters).
    @Test func newsTitleAndDescriptionLimitsAtAndOneOver() {
        func news(title: Value, description: Value) -> OrderedMap {
            ["articles": [["title": title, "url": "u", "description": description]]]
        }
        #expect(issues(.wecomNews, news(title: Self.text(bytes: 128), description: Self.text(bytes: 512))) == [])
        #expect(issues(.wecomNews, news(title: Self.text(bytes: 129), description: Self.text(bytes: 513))) == [
            warning(["articles", "0", "title"], "article 1 title is 129 bytes; WeCom cuts it at 128"),
            warning(["articles", "0", "description"], "article 1 description is 513 bytes; WeCom cuts it at 512"),
        ])
        // 43 × "中" is 129 bytes in 43 characters.
        #expect(issues(.wecomNews, news(title: .string(String(repeating: "中", count: 43)), description: ""))
            == [warning(["articles", "0", "title"], "article 1 title is 129 bytes; WeCom cuts it at 128")])
    }

    @Test func fileAndVoiceNeedAMediaID() {
        #expect(issues(.wecomFile, ["media_id": "m"]) == [])
        #expect(issues(.wecomFile, [:]) == [error([], "file message is missing 'media_id'")])
        #expect(issues(.wecomVoice, ["media_id": ""]) == [error(["media_id"], "voice message 'media_id' is empty")])
    }

    static let textNotice: OrderedMap = ["card_type": "text_notice", "main_title": ["title": "T"], "card_action": ["type": 1, "url": "u"]]

    @Test func templateCardListLimitsAtAndOneOver() {
        #expect(issues(.wecomTemplateCard, Self.textNotice) == [])
        for (key, limit) in [("horizontal_content_list", 6), ("jump_list", 3), ("vertical_content_list", 4)] {
            var atLimit = Self.textNotice
            atLimit[key] = .list(Array(repeating: ["title": "x"], count: limit))
            #expect(issues(.wecomTemplateCard, atLimit) == [], "\(key)")
            var over = Self.textNotice
            over[key] = .list(Array(repeating: ["title": "x"], count: limit + 1))
            #expect(issues(.wecomTemplateCard, over) == [error([key], "template_card '\(key)' has \(limit + 1) items; WeCom takes at most \(limit)")])
        }
    }

    @Test func templateCardTypeActionAndTitles() {
        #expect(issues(.wecomTemplateCard, [:]) == [error([], "template_card 'card_type' must be 'text_notice' or 'news_notice' (it is missing)")])
        #expect(issues(.wecomTemplateCard, ["card_type": "x"]) == [error(["card_type"], "template_card 'card_type' must be 'text_notice' or 'news_notice'")])
        var card = Self.textNotice
        card["card_action"] = ["type": 2]
        #expect(issues(.wecomTemplateCard, card) == [error(["card_action"], "card_action type 2 (open a mini program) needs 'appid'")])
        card["card_action"] = ["type": 3]
        #expect(issues(.wecomTemplateCard, card) == [error(["card_action"], "card_action 'type' must be 1 (URL) or 2 (mini program)")])
        card = Self.textNotice
        card["main_title"] = ["title": ""]
        #expect(issues(.wecomTemplateCard, card) == [error([], "text_notice card needs 'main_title.title' or 'sub_title_text'")])
        card["sub_title_text"] = "s"
        #expect(issues(.wecomTemplateCard, card) == [])
        var news = Self.textNotice
        news["card_type"] = "news_notice"
        #expect(issues(.wecomTemplateCard, news) == [error([], "news_notice card needs 'card_image' with a 'url'")])
        news["card_image"] = ["url": "https://example.com/a.png"]
        #expect(issues(.wecomTemplateCard, news) == [])
    }

    @Test func dingTalkLinkActionCardAndFeedCardFields() {
        #expect(issues(.dingtalkLink, ["title": "t", "text": "x", "messageUrl": "u"]) == [])
        #expect(issues(.dingtalkLink, ["title": "t", "text": "x"]) == [error([], "DingTalk link message is missing 'messageUrl'")])
        #expect(issues(.dingtalkActionCard, ["title": "t", "text": "x", "singleTitle": "Open", "singleURL": "u"]) == [])
        #expect(issues(.dingtalkActionCard, ["title": "t", "text": "x", "singleTitle": "Open"]) == [error([], "DingTalk actionCard is missing 'singleURL'")])
        #expect(issues(.dingtalkActionCard, ["title": "t", "text": "x"])
            == [error([], "DingTalk actionCard needs 'singleTitle' and 'singleURL' (one button), or 'btns' (a list of {title, actionURL})")])
        #expect(issues(.dingtalkActionCard, ["title": "t", "text": "x", "btns": []])
            == [error(["btns"], "DingTalk actionCard 'btns' must be a non-empty list of {title, actionURL}")])
        #expect(issues(.dingtalkActionCard, ["title": "t", "text": "x", "btns": [["title": "A"]]])
            == [error(["btns", "0"], "button 1 is missing 'actionURL'")])
        #expect(issues(.dingtalkFeedCard, ["links": [["title": "t", "messageURL": "u", "picURL": "p"]]]) == [])
        #expect(issues(.dingtalkFeedCard, ["links": []])
            == [error(["links"], "DingTalk feedCard needs 'links', a non-empty list of {title, messageURL, picURL}")])
        #expect(issues(.dingtalkFeedCard, ["links": [["title": "t", "messageURL": "u"]]]) == [error(["links", "0"], "link 1 is missing 'picURL'")])
    }
}
