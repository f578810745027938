import Foundation
import HeraldTemplate

/// `herald preview`: one self-contained HTML page (no external assets) showing, per robot,
/// the messages as its chat would: WeCom's markdown subset, news and template cards, images;
/// DingTalk's text, markdown, link, actionCard and feedCard in DingTalk's look. Pictures
/// that are not `data:` URLs are placeholders naming their host; links are masked.
package enum PreviewPage {
    package static func html(for prepared: PreparedJob) -> String {
        let lanes = LinkGroups(prepared.messages, link: \.link).groups.compactMap { messages -> (link: String, platform: Platform, recipients: [String], messages: [RenderedMessage])? in
            guard let first = messages.first else { return nil }
            var recipients: [String] = []
            for m in messages where !recipients.contains(m.recipient) { recipients.append(m.recipient) }
            return (first.link, first.platform, recipients, messages)
        }
        let e = RobotMarkdown.escape
        var body = "<header><h1>\(e(prepared.job.name))</h1><p>\(prepared.plan.messageCount) messages · \(prepared.plan.requests.count) requests · \(lanes.count) robots · now \(e(ISO8601.format(prepared.plan.now, in: .current)))</p></header><main>"
        for lane in lanes {
            let look = Look(lane.platform)
            body += "<section class=\"chat \(look.css)\"><div class=\"platform\">\(look.label)</div><h2>\(e(lane.recipients.joined(separator: ", ")))</h2><p class=\"link\">\(e(LinkMask.mask(lane.link)))</p>"
            for m in lane.messages {
                var meta = "message \(m.messageIndex)"
                if let part = m.part, let count = m.partCount { meta += " · part \(part)/\(count)" }
                if let row = m.rowNumber { meta += " · row \(row)" }
                body += "<div class=\"msg\"><div class=\"avatar\">\(look.avatar)</div><div class=\"bubble \(look.bubblePrefix)\(e(m.msgtype))\"><div class=\"meta\">\(e(meta)) · \(e(m.msgtype))</div>\(content(m))</div></div>"
            }
            body += "</section>"
        }
        body += "</main>"
        return """
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Herald preview — \(e(prepared.job.name))</title><style>\(style)</style></head>
        <body>\(body)</body></html>

        """
    }

    /// How a platform's chat section looks: its label, avatar and class names.
    private struct Look {
        var css: String, label: String, avatar: String, bubblePrefix: String
        init(_ platform: Platform) {
            switch platform {
            case .wecom: (css, label, avatar, bubblePrefix) = ("wecom", "WeCom group robot", "bot", "")
            case .dingtalk: (css, label, avatar, bubblePrefix) = ("dingtalk", "DingTalk group robot", "钉", "dt dt-")
            }
        }
    }

    private static func content(_ m: RenderedMessage) -> String {
        let e = RobotMarkdown.escape
        guard case .map(let b) = m.body else { return "" }
        func s(_ key: String, _ map: OrderedMap? = nil) -> String { (map ?? b)[key]?.stringValue ?? "" }
        func list(_ key: String, _ map: OrderedMap? = nil) -> [Value] {
            if case .list(let items)? = (map ?? b)[key] { return items }
            return []
        }
        switch m.kind {
        case .wecomText:
            var html = "<div class=\"text\">\(e(s("content")))</div>"
            let mentions = (list("mentioned_list") + list("mentioned_mobile_list")).compactMap(\.stringValue)
            html += chips(mentions.map { $0 == "@all" ? "all" : $0 })
            return html
        case .wecomMarkdown: return RobotMarkdown.html(s("content"), dialect: .wecom)
        case .wecomMarkdownV2: return RobotMarkdown.html(s("content"), dialect: .wecomV2)
        case .wecomImage:
            let data = s("base64")
            let mime = data.hasPrefix("/9j/") ? "image/jpeg" : "image/png"
            return "<img class=\"image\" alt=\"image\" src=\"data:\(mime);base64,\(e(data))\">"
        case .wecomNews:
            return list("articles").enumerated().map { i, a in
                guard case .map(let art) = a else { return "" }
                let picture = s("picurl", art).isEmpty ? "" : "<div class=\"pic\" title=\"\(e(s("picurl", art)))\">picture: \(e(s("picurl", art)))</div>"
                return "<div class=\"news\(i == 0 ? " first" : "")\">\(picture)<div class=\"title\">\(e(s("title", art)))</div><div class=\"desc\">\(e(s("description", art)))</div><div class=\"url\">\(e(s("url", art)))</div></div>"
            }.joined()
        case .wecomTemplateCard: return card(b)
        case .wecomFile, .wecomVoice:
            return "<div class=\"media\">📎 \(e(m.msgtype)) · media_id \(e(s("media_id")))</div>"

        case .dingtalkText:
            let at = mentions(m.at)
            return "<div class=\"text\">\(e(s("content")))</div>" + chips(at.ids + (at.all ? ["all"] : []))
        case .dingtalkMarkdown:
            let at = mentions(m.at)
            return titleLine(s("title")) + "<div class=\"dt-md\">" + RobotMarkdown.html(s("text"), dialect: .dingtalk(mentioning: at.ids)) + "</div>" + chips(at.all ? ["all"] : [])
        case .dingtalkLink:
            let picture = s("picUrl").isEmpty ? "" : "<div class=\"dt-thumb\">\(RobotMarkdown.picture(s("picUrl")))</div>"
            return "<div class=\"dt-link\"><div class=\"dt-link-title\">\(e(s("title")))</div><div class=\"dt-link-body\"><div class=\"dt-link-text\">\(e(s("text")))</div>\(picture)</div><div class=\"url\">\(e(s("messageUrl")))</div></div>"
        case .dingtalkActionCard:
            var html = titleLine(s("title")) + "<div class=\"dt-md\">" + RobotMarkdown.html(s("text"), dialect: .dingtalk(mentioning: [])) + "</div>"
            if !s("singleTitle").isEmpty {
                html += "<div class=\"dt-btns vertical\">" + button(s("singleTitle"), url: s("singleURL")) + "</div>"
            } else {
                let buttons = list("btns").compactMap { $0.mapValue }.map { button(s("title", $0), url: s("actionURL", $0)) }
                let orientation = s("btnOrientation") == "1" ? "horizontal" : "vertical"
                if !buttons.isEmpty { html += "<div class=\"dt-btns \(orientation)\">" + buttons.joined() + "</div>" }
            }
            return html
        case .dingtalkFeedCard:
            return "<div class=\"dt-feed\">" + list("links").compactMap { $0.mapValue }.enumerated().map { i, link in
                let picture = s("picURL", link).isEmpty ? "" : "<div class=\"dt-thumb\">\(RobotMarkdown.picture(s("picURL", link)))</div>"
                return "<div class=\"dt-feed-row\(i == 0 ? " first" : "")\" title=\"\(e(s("messageURL", link)))\"><div class=\"dt-feed-title\">\(e(s("title", link)))</div>\(picture)</div>"
            }.joined() + "</div>"
        }
    }

    /// DingTalk's `at`: user ids and mobiles (in that order) and whether it pings everyone.
    private static func mentions(_ at: Value?) -> (ids: [String], all: Bool) {
        guard case .map(let map)? = at else { return ([], false) }
        var ids: [String] = []
        for key in ["atUserIds", "atMobiles"] {
            if case .list(let items)? = map[key] { ids += items.compactMap(\.stringValue) }
        }
        var all = false
        if case .bool(let flag)? = map["isAtAll"] { all = flag }
        return (ids, all)
    }

    /// `@id` chips under a message; empty when nobody is mentioned.
    private static func chips(_ names: [String]) -> String {
        guard !names.isEmpty else { return "" }
        return "<div class=\"mentions\">" + names.map { "<span class=\"mention\">@\(RobotMarkdown.escape($0))</span>" }.joined(separator: " ") + "</div>"
    }

    /// The title DingTalk shows in the notification and conversation list.
    private static func titleLine(_ title: String) -> String {
        "<div class=\"dt-title\" title=\"notification title\">\(RobotMarkdown.escape(title))</div>"
    }

    private static func button(_ title: String, url: String) -> String {
        "<div class=\"dt-btn\" title=\"\(RobotMarkdown.escape(url))\">\(RobotMarkdown.escape(title))</div>"
    }

    private static func card(_ b: OrderedMap) -> String {
        let e = RobotMarkdown.escape
        func map(_ key: String, _ m: OrderedMap? = nil) -> OrderedMap { (m ?? b)[key]?.mapValue ?? OrderedMap() }
        func s(_ key: String, _ m: OrderedMap) -> String { m[key]?.stringValue ?? "" }
        var html = "<div class=\"card\">"
        let source = map("source")
        if !source.isEmpty { html += "<div class=\"source\">\(e(s("desc", source)))</div>" }
        let main = map("main_title")
        html += "<div class=\"card-title\">\(e(s("title", main)))</div><div class=\"card-desc\">\(e(s("desc", main)))</div>"
        let image = map("card_image")
        if !image.isEmpty { html += "<div class=\"pic\">card image: \(e(s("url", image)))</div>" }
        let emphasis = map("emphasis_content")
        if !emphasis.isEmpty { html += "<div class=\"emphasis\"><b>\(e(s("title", emphasis)))</b><span>\(e(s("desc", emphasis)))</span></div>" }
        if let sub = b["sub_title_text"]?.stringValue { html += "<div class=\"sub\">\(e(sub))</div>" }
        for key in ["horizontal_content_list", "vertical_content_list"] {
            guard case .list(let items)? = b[key] else { continue }
            for item in items {
                guard case .map(let it) = item else { continue }
                let name = s("keyname", it).isEmpty ? s("title", it) : s("keyname", it)
                let value = s("value", it).isEmpty ? s("desc", it) : s("value", it)
                html += "<div class=\"kv\"><span>\(e(name))</span><span>\(e(value))</span></div>"
            }
        }
        if case .list(let jumps)? = b["jump_list"] {
            for jump in jumps { if case .map(let j) = jump { html += "<div class=\"jump\">\(e(s("title", j))) ›</div>" } }
        }
        return html + "</div>"
    }

    private static let style = """
    body{margin:0;font:14px/1.5 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;background:#eef0f3;color:#1f2329}
    header{background:#2b6de5;color:#fff;padding:12px 20px}header h1{margin:0;font-size:18px}header p{margin:2px 0 0;opacity:.85}
    main{display:flex;flex-wrap:wrap;gap:16px;padding:16px}
    .chat{background:#f5f6f7;border-radius:8px;width:420px;padding:10px 12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
    .chat h2{margin:0;font-size:15px}.link{margin:0 0 8px;color:#8f959e;font-size:12px;word-break:break-all}
    .msg{display:flex;gap:8px;margin:10px 0}.avatar{width:32px;height:32px;border-radius:6px;background:#2b6de5;color:#fff;font-size:11px;font-weight:600;display:flex;align-items:center;justify-content:center}
    .bubble{background:#fff;border-radius:6px;padding:8px 10px;max-width:340px;overflow-wrap:anywhere}
    .meta{color:#8f959e;font-size:11px;margin-bottom:4px}.text{white-space:pre-wrap}
    h1,h2,h3,h4,h5,h6{margin:4px 0}.bubble h1{font-size:18px}.bubble h2{font-size:16px}.bubble h3{font-size:15px}
    blockquote{margin:2px 0;padding-left:8px;border-left:3px solid #d0d3d6;color:#646a73}
    .font-info{color:#2ea121}.font-comment{color:#8f959e}.font-warning{color:#f54a45}
    .mention{color:#2b6de5}.gap{height:6px}a{color:#2b6de5}code{background:#f2f3f5;padding:0 3px;border-radius:3px}
    pre{background:#f2f3f5;padding:6px;border-radius:4px;overflow:auto}table{border-collapse:collapse}td,th{border:1px solid #dee0e3;padding:2px 6px}
    .image{max-width:100%;border-radius:4px}.news{border-top:1px solid #eee;padding:6px 0}.news.first{border-top:0}
    .news .title{font-weight:600}.news .desc{color:#646a73}.news .url{color:#8f959e;font-size:11px;word-break:break-all}
    .pic{background:#e8ecf2;color:#646a73;font-size:11px;padding:18px 8px;border-radius:4px;word-break:break-all;margin-bottom:4px}
    .card .source{color:#8f959e;font-size:12px}.card-title{font-weight:600;font-size:15px}.card-desc,.sub{color:#646a73}
    .emphasis b{display:block;font-size:22px;color:#2b6de5}.kv{display:flex;justify-content:space-between;gap:8px;color:#646a73}
    .jump{color:#2b6de5;border-top:1px solid #eee;padding-top:4px;margin-top:4px}.media{color:#646a73}
    .platform{display:inline-block;font-size:11px;font-weight:600;padding:0 6px;border-radius:3px;margin-bottom:2px}
    .wecom .platform{color:#2b6de5;background:#e1eaff}.dingtalk .platform{color:#fff;background:#3296fa}
    .chat.dingtalk{background:#f2f3f5;border-top:3px solid #3296fa}
    .dingtalk .avatar{background:#3296fa;border-radius:50%;font-size:15px}.dingtalk .bubble{border-radius:8px}
    .dingtalk .mention,.dingtalk a{color:#3296fa}
    .dt-title{color:#8f959e;font-size:12px;border-bottom:1px solid #eee;padding-bottom:3px;margin-bottom:4px}.dt-title::before{content:"notification · "}
    .dt-md img.inline-image{max-width:100%}.pic.inline{display:inline-block;padding:10px 8px;margin:2px 0}
    .dt-link-title{font-weight:600}.dt-link-body{display:flex;gap:8px;justify-content:space-between;margin:4px 0}
    .dt-link-text{color:#646a73;font-size:13px;overflow:hidden;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical}
    .dt-thumb{flex:0 0 64px;width:64px}.dt-thumb .pic{display:flex;flex-direction:column;justify-content:center;text-align:center;height:64px;box-sizing:border-box;padding:4px;margin:0;font-size:10px;line-height:1.3}.dt-thumb .sep{display:none}.dt-thumb .host{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.dt-thumb img{width:64px;height:64px;object-fit:cover;border-radius:4px;image-rendering:pixelated}
    .dt-btns{display:flex;margin:8px -10px -8px;border-top:1px solid #eee}.dt-btns.vertical{flex-direction:column}
    .dt-btn{flex:1;text-align:center;color:#3296fa;padding:7px 4px}.dt-btns.horizontal .dt-btn+.dt-btn{border-left:1px solid #eee}.dt-btns.vertical .dt-btn+.dt-btn{border-top:1px solid #eee}
    .dt-feed-row{display:flex;gap:8px;justify-content:space-between;align-items:center;border-top:1px solid #eee;padding:6px 0}.dt-feed-row.first{border-top:0;padding-top:0}
    .dt-feed-title{font-weight:500}
    """
}
