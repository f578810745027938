import Foundation
import HeraldTemplate

/// `herald preview`: one self-contained HTML page (no external assets) showing, per robot,
/// the messages as a WeCom chat would: markdown subset, news and template cards, images.
public enum PreviewPage {
    public static func html(for prepared: PreparedJob) -> String {
        var lanes: [(link: String, recipients: [String], messages: [RenderedMessage])] = []
        var laneIndex: [String: Int] = [:]
        for m in prepared.messages {
            if let i = laneIndex[m.link] {
                lanes[i].messages.append(m)
                if !lanes[i].recipients.contains(m.recipient) { lanes[i].recipients.append(m.recipient) }
            } else {
                laneIndex[m.link] = lanes.count
                lanes.append((m.link, [m.recipient], [m]))
            }
        }
        let e = WeComMarkdown.escape
        var body = "<header><h1>\(e(prepared.job.name))</h1><p>\(prepared.plan.messageCount) messages · \(prepared.plan.requests.count) requests · \(lanes.count) robots · now \(e(ISO8601.format(prepared.plan.now, in: .current)))</p></header><main>"
        for lane in lanes {
            body += "<section class=\"chat\"><h2>\(e(lane.recipients.joined(separator: ", ")))</h2><p class=\"link\">\(e(LinkMask.mask(lane.link)))</p>"
            for m in lane.messages {
                var meta = "message \(m.messageIndex)"
                if let row = m.rowNumber { meta += " · row \(row)" }
                body += "<div class=\"msg\"><div class=\"avatar\">bot</div><div class=\"bubble \(e(m.msgtype))\"><div class=\"meta\">\(e(meta)) · \(e(m.msgtype))</div>\(content(m))</div></div>"
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

    private static func content(_ m: RenderedMessage) -> String {
        let e = WeComMarkdown.escape
        guard case .map(let b) = m.body else { return "" }
        func s(_ key: String, _ map: OrderedMap? = nil) -> String { (map ?? b)[key]?.stringValue ?? "" }
        switch m.msgtype {
        case "text":
            var html = "<div class=\"text\">\(e(s("content")))</div>"
            var mentions: [String] = []
            for key in ["mentioned_list", "mentioned_mobile_list"] {
                if case .list(let items)? = b[key] { mentions += items.compactMap(\.stringValue) }
            }
            if !mentions.isEmpty { html += "<div class=\"mentions\">" + mentions.map { "<span class=\"mention\">@\(e($0 == "@all" ? "all" : $0))</span>" }.joined(separator: " ") + "</div>" }
            return html
        case "markdown": return WeComMarkdown.html(s("content"), v2: false)
        case "markdown_v2": return WeComMarkdown.html(s("content"), v2: true)
        case "image":
            let data = s("base64")
            let mime = data.hasPrefix("/9j/") ? "image/jpeg" : "image/png"
            return "<img class=\"image\" alt=\"image\" src=\"data:\(mime);base64,\(data)\">"
        case "news":
            guard case .list(let articles)? = b["articles"] else { return "" }
            return articles.enumerated().map { i, a in
                guard case .map(let art) = a else { return "" }
                let picture = s("picurl", art).isEmpty ? "" : "<div class=\"pic\" title=\"\(e(s("picurl", art)))\">picture: \(e(s("picurl", art)))</div>"
                return "<div class=\"news\(i == 0 ? " first" : "")\">\(picture)<div class=\"title\">\(e(s("title", art)))</div><div class=\"desc\">\(e(s("description", art)))</div><div class=\"url\">\(e(s("url", art)))</div></div>"
            }.joined()
        case "template_card": return card(b)
        default:
            return "<div class=\"media\">📎 \(e(m.msgtype)) · media_id \(e(s("media_id")))</div>"
        }
    }

    private static func card(_ b: OrderedMap) -> String {
        let e = WeComMarkdown.escape
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
    """
}
