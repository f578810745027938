@testable import HeraldCore
import HeraldTemplate
import Testing

/// `MentionResolver`: each rule of docs/platforms.md "Mentions" — where a person's id goes on
/// each kind, each id once, `@all`, mobiles, the mention text, and the errors.
@Suite struct MentionResolverTests {
    static let here = SourcePosition(path: "job.yaml", line: 1, column: 1)
    static func person(_ name: String, wecom: String? = nil, dingtalk: String? = nil, mobile: String? = nil) -> Person {
        Person(name: name, wecom: wecom, dingtalk: dingtalk, mobile: mobile, position: here)
    }

    let resolver = MentionResolver(
        people: [
            "alice": person("alice", wecom: "zhangsan", dingtalk: "0123", mobile: "13800000000"),
            "bob": person("bob", mobile: "13900000000"),
            "carol": person("carol", wecom: "carol-w"),
            "dave": person("dave"),
        ],
        peopleOrder: ["alice", "bob", "carol", "dave"])

    struct Outcome {
        var text: String?
        var failure: MentionResolver.Failure?
        var body: OrderedMap
        var at: Value?
    }

    func apply(_ names: [String], _ kind: MessageKind, body: OrderedMap = ["content": "hi"], at: Value? = nil) -> Outcome {
        var body = body, at = at
        switch resolver.apply(names, kind: kind, recipient: "r", body: &body, at: &at) {
        case .success(let text): return Outcome(text: text, body: body, at: at)
        case .failure(let f): return Outcome(failure: f, body: body, at: at)
        }
    }

    @Test func weComTextIdsGoToMentionedListAndMobilesToTheMobileList() {
        let out = apply(["alice", "bob", "@all"], .wecomText)
        #expect(out.text == "")
        #expect(out.body == ["content": "hi", "mentioned_list": ["zhangsan", "@all"], "mentioned_mobile_list": ["13900000000"]])
    }

    @Test func weComTextListsTheTemplateWroteKeepTheirPlaceAndAreExtendedOnce() {
        let written: OrderedMap = ["mentioned_mobile_list": ["13900000000"], "content": "hi", "mentioned_list": ["x", "x", "zhangsan"]]
        let out = apply(["alice", "alice", "bob", "carol"], .wecomText, body: written)
        // Ids already there are not added again; duplicates the template wrote stay.
        #expect(out.body == ["mentioned_mobile_list": ["13900000000"], "content": "hi", "mentioned_list": ["x", "x", "zhangsan", "carol-w"]])
    }

    @Test func weComTextAddsNoEmptyList() {
        #expect(apply([], .wecomText).body == ["content": "hi"])
        #expect(apply(["bob"], .wecomText).body == ["content": "hi", "mentioned_mobile_list": ["13900000000"]])
        // A list the template wrote stays even when nothing is added.
        #expect(apply([], .wecomText, body: ["content": "hi", "mentioned_list": []]).body == ["content": "hi", "mentioned_list": []])
    }

    @Test func weComMarkdownMentionsAreAngleTextEachIdOnce() {
        let out = apply(["alice", "carol", "alice"], .wecomMarkdown)
        #expect(out.text == "\n<@zhangsan> <@carol-w>")
        #expect(out.body == ["content": "hi"], "the text is for the fitter to append, not written here")
        #expect(apply([], .wecomMarkdown).text == "")
    }

    @Test func weComMarkdownRefusesAllAndPeopleWithoutAWeComId() {
        let all = apply(["alice", "@all"], .wecomMarkdown).failure
        #expect(all?.message == "WeCom markdown cannot mention @all; send a text message to mention everyone")
        #expect(all?.entry == 1)
        let bob = apply(["alice", "carol", "bob"], .wecomMarkdown).failure
        #expect(bob?.message == "person 'bob' has no 'wecom' id, which WeCom markdown needs to mention them; add one under 'people:'")
        #expect(bob?.entry == 2)
    }

    @Test func dingTalkTextIdsAndMobilesGoToAt() {
        let out = apply(["alice", "bob", "@all"], .dingtalkText)
        #expect(out.text == "")
        #expect(out.body == ["content": "hi"])
        #expect(out.at == ["atMobiles": ["13900000000"], "atUserIds": ["0123"], "isAtAll": true])
    }

    @Test func dingTalkAtIsRebuiltOtherKeysFirstListsExtendedEachIdOnce() {
        let written: Value = ["isAtAll": false, "atUserIds": ["0123", "u9"], "note": "kept", "atMobiles": ["111"]]
        let out = apply(["bob", "alice", "bob"], .dingtalkText, at: written)
        #expect(out.at == ["note": "kept", "atMobiles": ["111", "13900000000"], "atUserIds": ["0123", "u9"]])
    }

    @Test func dingTalkWithoutMentionsKeepsNoAt() {
        #expect(apply([], .dingtalkText).at == nil)
        #expect(apply([], .dingtalkText, at: ["isAtAll": true]).at == ["isAtAll": true])
    }

    @Test func dingTalkMarkdownTextNamesOnlyTheIdsNewlyAdded() {
        let out = apply(["alice", "bob", "@all"], .dingtalkMarkdown, body: ["title": "t", "text": "hi"], at: ["atMobiles": ["13900000000"]])
        #expect(out.text == "\n@0123")
        #expect(out.at == ["atMobiles": ["13900000000"], "atUserIds": ["0123"], "isAtAll": true])
        #expect(apply(["@all"], .dingtalkMarkdown, body: ["title": "t", "text": "hi"]).text == "")
        #expect(apply(["bob", "alice"], .dingtalkMarkdown, body: ["title": "t", "text": "hi"]).text == "\n@13900000000 @0123")
    }

    @Test func aPersonWithNoIdForThePlatformIsAnErrorAtTheirEntry() {
        let wecom = apply(["alice", "dave"], .wecomText).failure
        #expect(wecom?.message == "person 'dave' has no 'wecom' id or 'mobile' to mention on WeCom robot 'r'")
        #expect(wecom?.entry == 1)
        let dingtalk = apply(["carol"], .dingtalkText).failure
        #expect(dingtalk?.message == "person 'carol' has no 'dingtalk' id or 'mobile' to mention on DingTalk robot 'r'")
        #expect(dingtalk?.entry == 0)
    }

    @Test func otherKindsCannotMention() {
        for kind in MessageKind.allCases where kind.mentionStyle == nil {
            let failure = apply(["alice"], kind).failure
            #expect(failure?.message == "a \(kind.displayName) message cannot mention anyone; mentions work on WeCom text and markdown and DingTalk text and markdown")
            #expect(failure?.entry == 0)
        }
        #expect(MessageKind.allCases.filter { $0.mentionStyle != nil } == [.wecomText, .wecomMarkdown, .dingtalkText, .dingtalkMarkdown])
    }

    @Test func anUnknownNameIsAnErrorWithASuggestion() {
        let failure = apply(["alice", "alise"], .wecomText).failure
        #expect(failure?.entry == 1)
        #expect(failure?.message == "unknown person 'alise' in 'mention' — did you mean 'alice'?")
        #expect(MentionResolver.unknownPersonMessage("zzzzzz", people: ["alice", "bob"])
            == "unknown person 'zzzzzz' in 'mention'; 'people' names alice, bob")
        #expect(MentionResolver.unknownPersonMessage("", people: ["alice"]) == "'mention' is empty for this message; name a person from 'people' or @all")
        #expect(MentionResolver.unknownPersonMessage("zed", people: []) == "unknown person 'zed' in 'mention'; add them under 'people:'")
    }
}
