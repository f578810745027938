import HeraldTemplate

/// Every message kind Herald sends, per platform, with what each needs: its wire name, its
/// long field and limit, the fields every split part repeats, and whether it can mention.
/// Adding a kind or a platform makes the compiler point at each switch that must handle it.
public enum MessageKind: Sendable, Hashable, CaseIterable {
    case wecomText, wecomMarkdown, wecomMarkdownV2, wecomImage, wecomNews, wecomFile, wecomVoice, wecomTemplateCard
    case dingtalkText, dingtalkMarkdown, dingtalkLink, dingtalkActionCard, dingtalkFeedCard

    public var platform: Platform {
        switch self {
        case .wecomText, .wecomMarkdown, .wecomMarkdownV2, .wecomImage, .wecomNews, .wecomFile, .wecomVoice, .wecomTemplateCard:
            return .wecom
        case .dingtalkText, .dingtalkMarkdown, .dingtalkLink, .dingtalkActionCard, .dingtalkFeedCard:
            return .dingtalk
        }
    }

    /// The `msgtype` on the wire, which is also the key of the message's object.
    public var wireName: String {
        switch self {
        case .wecomText, .dingtalkText: return "text"
        case .wecomMarkdown, .dingtalkMarkdown: return "markdown"
        case .wecomMarkdownV2: return "markdown_v2"
        case .wecomImage: return "image"
        case .wecomNews: return "news"
        case .wecomFile: return "file"
        case .wecomVoice: return "voice"
        case .wecomTemplateCard: return "template_card"
        case .dingtalkLink: return "link"
        case .dingtalkActionCard: return "actionCard"
        case .dingtalkFeedCard: return "feedCard"
        }
    }

    /// "WeCom markdown", "DingTalk actionCard": how messages name the kind.
    public var displayName: String { "\(platform.displayName) \(wireName)" }

    /// The one field that may be split or truncated (docs/job-file.md, "Long messages"), with its UTF-8 byte limit.
    package struct LongField: Sendable, Hashable {
        package var key: String
        package var limit: Int
        package var syntax: SplitSyntax
    }

    package var longField: LongField? {
        switch self {
        case .wecomText: return LongField(key: "content", limit: 2048, syntax: .plain)
        case .wecomMarkdown, .wecomMarkdownV2: return LongField(key: "content", limit: 4096, syntax: .markdown)
        case .dingtalkText: return LongField(key: "content", limit: 20000, syntax: .plain)
        case .dingtalkMarkdown: return LongField(key: "text", limit: 20000, syntax: .markdown)
        case .wecomImage, .wecomNews, .wecomFile, .wecomVoice, .wecomTemplateCard,
             .dingtalkLink, .dingtalkActionCard, .dingtalkFeedCard:
            return nil
        }
    }

    /// Fields besides the long one that every part of a split message carries (the rest go
    /// on the last part only).
    package var repeatedFields: [String] {
        switch self {
        case .dingtalkMarkdown: return ["title"]
        default: return []
        }
    }

    /// How `mention:` reaches this kind (docs/platforms.md#mentions); nil when it cannot carry a mention.
    package enum MentionStyle: Sendable { case wecomLists, wecomMarkdownText, dingtalkAt }

    package var mentionStyle: MentionStyle? {
        switch self {
        case .wecomText: return .wecomLists
        case .wecomMarkdown: return .wecomMarkdownText
        case .dingtalkText, .dingtalkMarkdown: return .dingtalkAt
        case .wecomMarkdownV2, .wecomImage, .wecomNews, .wecomFile, .wecomVoice, .wecomTemplateCard,
             .dingtalkLink, .dingtalkActionCard, .dingtalkFeedCard:
            return nil
        }
    }

    /// The kinds a template key can name on a platform.
    package static func named(_ wireName: String, on platform: Platform) -> MessageKind? {
        switch platform {
        case .wecom: return wecomKinds[wireName]
        case .dingtalk: return dingtalkKinds[wireName]
        }
    }

    // Looked up for every message: made once.
    private static let wecomKinds = kinds(of: .wecom)
    private static let dingtalkKinds = kinds(of: .dingtalk)

    private static func kinds(of platform: Platform) -> [String: MessageKind] {
        var kinds: [String: MessageKind] = [:]
        for kind in allCases where kind.platform == platform && kinds[kind.wireName] == nil { kinds[kind.wireName] = kind }
        return kinds
    }

    /// Every type key a template may use (either platform), in documentation order.
    package static let templateKeys: [String] = {
        var keys: [String] = []
        for kind in allCases where !keys.contains(kind.wireName) { keys.append(kind.wireName) }
        return keys
    }()

    package static func keys(of platform: Platform) -> [String] {
        allCases.filter { $0.platform == platform }.map(\.wireName)
    }
}
