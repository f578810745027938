import HeraldTemplate

/// WeCom's limits, checked on each rendered message before anything is sent (SPEC §5).
enum LimitChecker {
    struct Issue {
        var severity: Diagnostic.Severity
        /// Path of keys / indexes into the body, to place the report on the field.
        var field: [String]
        var message: String
    }

    static func check(msgtype: String, body: Value) -> [Issue] {
        guard case .map(let b) = body else { return [Issue(severity: .error, field: [], message: "'\(msgtype)' must be a map")] }
        var issues: [Issue] = []
        func error(_ field: [String], _ message: String) { issues.append(Issue(severity: .error, field: field, message: message)) }
        func warning(_ field: [String], _ message: String) { issues.append(Issue(severity: .warning, field: field, message: message)) }

        func requiredString(_ map: OrderedMap, _ key: String, _ path: [String], _ what: String) -> String? {
            guard let v = map[key] else { error(path, "\(what) is missing '\(key)'"); return nil }
            guard case .string(let s) = v else { error(path + [key], "\(what) '\(key)' must be a string, not \(v.kindDescription)"); return nil }
            if s.isEmpty { error(path + [key], "\(what) '\(key)' is empty") }
            return s
        }

        func content(limit: Int) -> String? {
            guard let s = requiredString(b, "content", [], "\(msgtype) message") else { return nil }
            let size = s.utf8.count
            if size > limit {
                error(["content"], "\(msgtype) content is \(size) bytes, over WeCom's \(limit)-byte limit (UTF-8); shorten it or split the message")
            }
            return s
        }

        switch msgtype {
        case "text":
            _ = content(limit: 2048)
            for key in ["mentioned_list", "mentioned_mobile_list"] {
                guard let v = b[key] else { continue }
                guard case .list(let items) = v, items.allSatisfy({ $0.stringValue != nil }) else {
                    error([key], "'\(key)' must be a list of strings (user ids, phone numbers or \"@all\"), not \(v.kindDescription)")
                    continue
                }
            }
        case "markdown":
            _ = content(limit: 4096)
        case "markdown_v2":
            if let s = content(limit: 4096), s.contains("<font") || s.contains("<@") {
                warning(["content"], "markdown_v2 does not render <font color=…> or <@userid> mentions; use markdown for those")
            }
        case "image":
            if b["base64"] == nil || b["md5"] == nil {
                error([], "image message needs 'path' (a PNG or JPEG file), or both 'base64' and 'md5'")
            } else {
                _ = requiredString(b, "base64", [], "image message")
                _ = requiredString(b, "md5", [], "image message")
            }
        case "news":
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
        case "file", "voice":
            _ = requiredString(b, "media_id", [], "\(msgtype) message")
        case "template_card":
            checkCard(b, error: error)
        default:
            break
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
