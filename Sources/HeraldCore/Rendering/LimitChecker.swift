import HeraldTemplate

/// Each kind's required fields and limits, checked on each rendered message before anything
/// is sent (docs/platforms.md). The long field's size is the fitting stage's (MessageFitter).
enum LimitChecker {
    struct Issue {
        var severity: Diagnostic.Severity
        /// Path of keys / indexes into the body, to place the report on the field.
        var field: [String]
        var message: String
    }

    /// The 1-based line of the first markdown table in `text`: a line starting with `|`
    /// followed by a separator row (`| --- | :-: |`); nil when there is none.
    static func markdownTableLine(in text: String) -> Int? {
        var previousIsRow = false
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " }
            let isRow = trimmed.hasPrefix("|")
            if previousIsRow, isRow, trimmed.contains("-"), trimmed.allSatisfy({ "|-: \t\r".contains($0) }) { return offset }
            previousIsRow = isRow
        }
        return nil
    }

    /// Whether `check` asks nothing of a body that is `content` alone but that `content` be a
    /// non-empty string. `MessageEncoder`'s content-only branch skips `check` for such a
    /// message (it tests the empty content itself), so a check added below for one of these
    /// kinds must turn its answer here to false.
    static func checksOnlyContent(_ kind: MessageKind) -> Bool {
        switch kind {
        case .wecomText, .wecomMarkdown, .dingtalkText: return true
        case .wecomMarkdownV2: return false  // warns on <font> and <@id>
        case .wecomImage, .wecomNews, .wecomFile, .wecomVoice, .wecomTemplateCard: return false
        case .dingtalkMarkdown, .dingtalkLink, .dingtalkActionCard, .dingtalkFeedCard: return false
        }
    }

    static func check(kind: MessageKind, body b: OrderedMap) -> [Issue] {
        let msgtype = kind.wireName
        var issues: [Issue] = []
        func error(_ field: [String], _ message: String) { issues.append(Issue(severity: .error, field: field, message: message)) }
        func warning(_ field: [String], _ message: String) { issues.append(Issue(severity: .warning, field: field, message: message)) }

        // `what` is made only for a message: this runs for every message.
        func requiredString(_ map: OrderedMap, _ key: String, _ path: [String], _ what: @autoclosure () -> String) -> String? {
            guard let v = map[key] else { error(path, "\(what()) is missing '\(key)'"); return nil }
            guard case .string(let s) = v else { error(path + [key], "\(what()) '\(key)' must be a string, not \(v.kindDescription)"); return nil }
            if s.isEmpty { error(path + [key], "\(what()) '\(key)' is empty") }
            return s
        }

        func content() -> String? { requiredString(b, "content", [], "\(msgtype) message") }

        switch kind {
        case .wecomText:
            _ = content()
            for key in ["mentioned_list", "mentioned_mobile_list"] {
                guard let v = b[key] else { continue }
                guard case .list(let items) = v, items.allSatisfy({ $0.stringValue != nil }) else {
                    error([key], "'\(key)' must be a list of strings (user ids, phone numbers or \"@all\"), not \(v.kindDescription)")
                    continue
                }
            }
        case .wecomMarkdown:
            _ = content()
        case .wecomMarkdownV2:
            if let s = content(), s.contains("<font") || s.contains("<@") {
                warning(["content"], "markdown_v2 does not render <font color=…> or <@userid> mentions; use markdown for those")
            }
        case .wecomImage:
            if b["base64"] == nil || b["md5"] == nil {
                error([], "image message needs 'path' (a PNG or JPEG file), or both 'base64' and 'md5'")
            } else {
                _ = requiredString(b, "base64", [], "image message")
                _ = requiredString(b, "md5", [], "image message")
            }
        case .wecomNews:
            guard case .list(let articles)? = b["articles"] else {
                error(b["articles"] == nil ? [] : ["articles"], "news message needs 'articles', a list of 1 to 8 articles")
                break
            }
            if articles.isEmpty || articles.count > 8 {
                error(["articles"], "news message has \(articles.count) articles; WeCom takes 1 to 8")
            }
            for (i, article) in articles.enumerated() {
                let path = ["articles", String(i)]
                guard case .map(let a) = article else { error(path, "article \(i + 1) must be a map"); continue }
                if let title = requiredString(a, "title", path, "article \(i + 1)"), title.utf8.count > 128 {
                    warning(path + ["title"], "article \(i + 1) title is \(title.utf8.count) bytes; WeCom cuts it at 128")
                }
                _ = requiredString(a, "url", path, "article \(i + 1)")
                if case .string(let d)? = a["description"], d.utf8.count > 512 {
                    warning(path + ["description"], "article \(i + 1) description is \(d.utf8.count) bytes; WeCom cuts it at 512")
                }
            }
        case .wecomFile, .wecomVoice:
            _ = requiredString(b, "media_id", [], "\(msgtype) message")
        case .wecomTemplateCard:
            checkCard(b, error: error)
        case .dingtalkText:
            _ = requiredString(b, "content", [], "DingTalk text message")
        case .dingtalkMarkdown:
            _ = requiredString(b, "title", [], "DingTalk markdown message")
            _ = requiredString(b, "text", [], "DingTalk markdown message")
        case .dingtalkLink:
            for key in ["title", "text", "messageUrl"] { _ = requiredString(b, key, [], "DingTalk link message") }
        case .dingtalkActionCard:
            _ = requiredString(b, "title", [], "DingTalk actionCard")
            _ = requiredString(b, "text", [], "DingTalk actionCard")
            if let buttons = b["btns"] {
                guard case .list(let items) = buttons, !items.isEmpty else {
                    error(["btns"], "DingTalk actionCard 'btns' must be a non-empty list of {title, actionURL}")
                    break
                }
                for (i, item) in items.enumerated() {
                    let path = ["btns", String(i)]
                    guard case .map(let button) = item else { error(path, "button \(i + 1) must be a map with 'title' and 'actionURL'"); continue }
                    _ = requiredString(button, "title", path, "button \(i + 1)")
                    _ = requiredString(button, "actionURL", path, "button \(i + 1)")
                }
            } else if b["singleTitle"] != nil || b["singleURL"] != nil {
                _ = requiredString(b, "singleTitle", [], "DingTalk actionCard")
                _ = requiredString(b, "singleURL", [], "DingTalk actionCard")
            } else {
                error([], "DingTalk actionCard needs 'singleTitle' and 'singleURL' (one button), or 'btns' (a list of {title, actionURL})")
            }
        case .dingtalkFeedCard:
            guard case .list(let links)? = b["links"], !links.isEmpty else {
                error(b["links"] == nil ? [] : ["links"], "DingTalk feedCard needs 'links', a non-empty list of {title, messageURL, picURL}")
                break
            }
            for (i, item) in links.enumerated() {
                let path = ["links", String(i)]
                guard case .map(let link) = item else { error(path, "link \(i + 1) must be a map with 'title', 'messageURL' and 'picURL'"); continue }
                for key in ["title", "messageURL", "picURL"] { _ = requiredString(link, key, path, "link \(i + 1)") }
            }
        }
        return issues
    }

    private static func checkCard(_ b: OrderedMap, error: ([String], String) -> Void) {
        let cardType = b["card_type"]?.stringValue
        guard cardType == "text_notice" || cardType == "news_notice" else {
            error(b["card_type"] == nil ? [] : ["card_type"],
                  "template_card 'card_type' must be 'text_notice' or 'news_notice'" + (b["card_type"] == nil ? " (it is missing)" : ""))
            return
        }
        if case .map(let action)? = b["card_action"] {
            switch action["type"] {
            case .int(1)?:
                if action["url"]?.stringValue?.isEmpty != false { error(["card_action"], "card_action type 1 (open a URL) needs 'url'") }
            case .int(2)?:
                if action["appid"]?.stringValue?.isEmpty != false { error(["card_action"], "card_action type 2 (open a mini program) needs 'appid'") }
            default:
                error(["card_action"], "card_action 'type' must be 1 (URL) or 2 (mini program)")
            }
        } else {
            error(b["card_action"] == nil ? [] : ["card_action"], "template_card needs 'card_action' (a map with 'type' 1 and 'url', or 2 and 'appid')")
        }
        for (key, limit) in [("horizontal_content_list", 6), ("jump_list", 3), ("vertical_content_list", 4)] {
            if case .list(let items)? = b[key], items.count > limit {
                error([key], "template_card '\(key)' has \(items.count) items; WeCom takes at most \(limit)")
            }
        }
        if cardType == "news_notice" {
            if case .map(let image)? = b["card_image"], image["url"]?.stringValue?.isEmpty == false {} else {
                error(b["card_image"] == nil ? [] : ["card_image"], "news_notice card needs 'card_image' with a 'url'")
            }
        } else {
            let title: String? = { if case .map(let t)? = b["main_title"] { return t["title"]?.stringValue } else { return nil } }()
            let subtitle = b["sub_title_text"]?.stringValue
            if (title ?? "").isEmpty && (subtitle ?? "").isEmpty {
                error([], "text_notice card needs 'main_title.title' or 'sub_title_text'")
            }
        }
    }
}
