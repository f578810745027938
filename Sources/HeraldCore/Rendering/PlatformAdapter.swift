import HeraldTemplate

/// Decides which platform kind a rendered template becomes for a recipient (docs/platforms.md): a
/// DingTalk robot takes WeCom `text` as text and WeCom markdown written with `content` as
/// DingTalk markdown with a title; what cannot cross is an error naming both sides.
enum PlatformAdapter {
    struct Adapted {
        var kind: MessageKind
        var body: OrderedMap
        /// The template's field that became the long field (`content` for converted markdown).
        var sourceLongKey: String?
    }

    /// Why a message cannot go to a recipient's platform.
    struct Refusal: Error { var message: String }

    static func adapt(key: String, body: OrderedMap, hasAt: Bool, platform: Platform, recipient: String) -> Result<Adapted, Refusal> {
        switch platform {
        case .wecom:
            if hasAt {
                return .failure(Refusal(message: "'at' is DingTalk's, but recipient '\(recipient)' is a WeCom robot; use 'mention:' for WeCom mentions"))
            }
            if key == "markdown", body["content"] == nil, body["text"] != nil {
                return .failure(Refusal(message: "a DingTalk markdown message (title, text) cannot go to WeCom robot '\(recipient)'; write it with 'content' to send it to both platforms"))
            }
            guard let kind = MessageKind.named(key, on: .wecom) else {
                return .failure(Refusal(message: "a DingTalk '\(key)' message cannot go to WeCom robot '\(recipient)'; WeCom takes \(list(.wecom))"))
            }
            return .success(Adapted(kind: kind, body: body, sourceLongKey: kind.longField?.key))
        case .dingtalk:
            switch key {
            case "text":
                for list in ["mentioned_list", "mentioned_mobile_list"] where body[list] != nil {
                    return .failure(Refusal(message: "WeCom text '\(list)' cannot go to DingTalk robot '\(recipient)'; use 'mention:' (it becomes DingTalk's 'at')"))
                }
                return .success(Adapted(kind: .dingtalkText, body: body, sourceLongKey: "content"))
            case "markdown", "markdown_v2":
                if body["text"] == nil, case .string(let content)? = body["content"] {
                    let title = title(ofMarkdown: content)
                    if title.isEmpty {
                        return .failure(Refusal(message: "DingTalk robot '\(recipient)' needs a markdown title, taken from the first line of 'content' with text, but no line gives one (a line of only '#' leaves nothing)"))
                    }
                    let converted = OrderedMap([("title", .string(title)), ("text", .string(content))])
                    return .success(Adapted(kind: .dingtalkMarkdown, body: converted, sourceLongKey: "content"))
                }
                if key == "markdown_v2" {
                    return .failure(Refusal(message: "a WeCom markdown_v2 message without 'content' cannot go to DingTalk robot '\(recipient)'"))
                }
                return .success(Adapted(kind: .dingtalkMarkdown, body: body, sourceLongKey: "text"))
            default:
                guard let kind = MessageKind.named(key, on: .dingtalk) else {
                    return .failure(Refusal(message: "a WeCom '\(key)' message cannot go to DingTalk robot '\(recipient)'; DingTalk takes \(list(.dingtalk))"))
                }
                return .success(Adapted(kind: kind, body: body, sourceLongKey: kind.longField?.key))
            }
        }
    }

    private static func list(_ platform: Platform) -> String {
        let keys = MessageKind.keys(of: platform)
        return keys.dropLast().joined(separator: ", ") + " and " + (keys.last ?? "")
    }

    /// DingTalk markdown's `title` from WeCom markdown content: the first line (split at "\n")
    /// holding a non-whitespace character, leading '#' and spaces removed, then trailing
    /// whitespace, cut to 64 Unicode scalars. Empty when there is no such line or nothing is left.
    static func title(ofMarkdown content: String) -> String {
        let scalars = content.unicodeScalars
        var lineStart = scalars.startIndex
        while lineStart < scalars.endIndex {
            let lineEnd = scalars[lineStart...].firstIndex(of: "\n") ?? scalars.endIndex
            let line = scalars[lineStart..<lineEnd]
            if line.contains(where: { !$0.properties.isWhitespace }) {
                var text = line.drop { $0 == "#" || $0 == " " }
                while let last = text.last, last.properties.isWhitespace { text = text.dropLast() }
                var title = String.UnicodeScalarView()
                title.append(contentsOf: text.prefix(64))
                return String(title)
            }
            lineStart = lineEnd < scalars.endIndex ? scalars.index(after: lineEnd) : lineEnd
        }
        return ""
    }
}
