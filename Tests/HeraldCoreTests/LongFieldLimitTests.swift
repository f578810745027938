@testable import HeraldCore
import HeraldTemplate
import Testing

/// The long field's UTF-8 byte limit of each kind (MessageKind's table), enforced when a
/// message is fitted: at the limit the message goes whole; one byte over, with `overflow`
/// left at `error`, the job stops naming the size and the limit.
@Suite struct LongFieldLimitTests {
    static let wecom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=LIMIT-0001"
    static let dingtalk = "https://oapi.dingtalk.com/robot/send?access_token=LIMIT-0002"

    /// The template of a message of `kind` whose long field is `text`, and the link it goes to.
    static func message(_ kind: MessageKind, _ text: String) -> (template: String, link: String)? {
        switch kind {
        case .wecomText: return ("text: { content: \"\(text)\" }", wecom)
        case .wecomMarkdown: return ("markdown: { content: \"\(text)\" }", wecom)
        case .wecomMarkdownV2: return ("markdown_v2: { content: \"\(text)\" }", wecom)
        case .dingtalkText: return ("text: { content: \"\(text)\" }", dingtalk)
        case .dingtalkMarkdown: return ("markdown: { title: T, text: \"\(text)\" }", dingtalk)
        case .wecomImage, .wecomNews, .wecomFile, .wecomVoice, .wecomTemplateCard, .dingtalkLink, .dingtalkActionCard, .dingtalkFeedCard:
            return nil
        }
    }

    static func job(_ kind: MessageKind, bytes: Int, overflow: String = "error") -> String? {
        // Ends in a 3-byte character: the limit is in bytes, not characters.
        guard let (template, link) = message(kind, String(repeating: "a", count: bytes - 3) + "中") else { return nil }
        return """
        version: 1
        overflow: \(overflow)
        recipients:
          r: { link: "\(link)" }
        messages:
          - to: r
            \(template)
        """
    }

    @Test func theTableGivesEachLongFieldItsLimit() {
        let limits = MessageKind.allCases.compactMap { kind in kind.longField.map { "\(kind.displayName) \($0.key) \($0.limit)" } }
        #expect(limits == ["WeCom text content 2048", "WeCom markdown content 4096", "WeCom markdown_v2 content 4096",
                           "DingTalk text content 20000", "DingTalk markdown text 20000"])
    }

    @Test func atTheLimitTheMessageGoesWholeAndOneOverIsAnError() throws {
        for kind in MessageKind.allCases {
            guard let long = kind.longField else {
                #expect(Self.message(kind, "x") == nil, "\(kind) has no long field")
                continue
            }
            let atLimit = try prepare(try #require(Self.job(kind, bytes: long.limit)))
            #expect(firstError(atLimit) == nil, "\(kind.displayName) at \(long.limit) bytes")
            let sent = bodies(atLimit)
            let whole = sent.count == 1 && sent[0].contains(String(repeating: "a", count: long.limit - 3) + "中\"")
            #expect(whole, "\(kind.displayName)")

            let over = try prepare(try #require(Self.job(kind, bytes: long.limit + 1)))
            let words = "\(kind.wireName) \(long.key) is \(long.limit + 1) bytes, over \(kind.platform.displayName)'s \(long.limit)-byte limit (UTF-8); shorten it or split the message"
            #expect(firstError(over)?.contains(words) == true, "\(kind.displayName): \(firstError(over) ?? "no error")")
            let overCount = bodies(over).count
            #expect(overCount == 0)

            // The default, `overflow: split`, sends it in two parts instead.
            let split = try prepare(try #require(Self.job(kind, bytes: long.limit + 1, overflow: "split")))
            let partCount = (try? split.get())?.plan.messageCount
            #expect(firstError(split) == nil && partCount == 2, "\(kind.displayName)")
        }
    }
}
