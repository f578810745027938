/// Renders the markdown WeCom robots display, to HTML for the preview: headings, bold,
/// links, inline code, quotes, `<font color="info|comment|warning">`, `<@userid>`
/// mentions; with `v2`, also italics, lists, tables, rules and fenced code.
/// DingTalk's markdown is the same renderer with its own `Dialect`: headings, bold, italics,
/// links, images, lists and quotes, and `@id` highlighted for the ids its `at` names.
/// Everything else is shown as the text it is (escaped), as a chat client would.
/// `escape` is the one HTML escaper of the preview page.
enum RobotMarkdown {
    /// Which constructs a robot's markdown understands.
    struct Dialect: Sendable {
        var fonts = false, angleMentions = false, nestedQuotes = false
        var italics = false, lists = false, tables = false, rules = false, fences = false
        var images = false
        /// DingTalk: `@id` shown as a mention for these ids (longest first).
        var atMentions: [String] = []

        public static let wecom = Dialect(fonts: true, angleMentions: true)
        public static let wecomV2 = Dialect(nestedQuotes: true, italics: true, lists: true, tables: true, rules: true, fences: true)
        public static func dingtalk(mentioning ids: [String]) -> Dialect {
            Dialect(italics: true, lists: true, images: true,
                    atMentions: Set(ids.filter { !$0.isEmpty }).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 })
        }
    }

    static func html(_ source: String, v2: Bool) -> String {
        html(source, dialect: v2 ? .wecomV2 : .wecom)
    }

    static func html(_ source: String, dialect d: Dialect) -> String {
        var out = ""
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        while let line = lines.first {
            lines = lines.dropFirst()
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if d.fences, trimmed.hasPrefix("```") {
                var code: [String] = []
                while let next = lines.first, !next.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                    code.append(next)
                    lines = lines.dropFirst()
                }
                lines = lines.dropFirst()
                out += "<pre><code>\(escape(code.joined(separator: "\n")))</code></pre>"
            } else if d.tables, trimmed.hasPrefix("|") {
                var rows = [trimmed]
                while let next = lines.first, next.trimmingCharacters(in: .whitespaces).hasPrefix("|") {
                    rows.append(next.trimmingCharacters(in: .whitespaces))
                    lines = lines.dropFirst()
                }
                out += table(rows, d)
            } else if let level = headingLevel(trimmed) {
                out += "<h\(level)>\(inline(String(trimmed.dropFirst(level + 1)), d))</h\(level)>"
            } else if trimmed.hasPrefix(">") {
                let depth = trimmed.prefix { $0 == ">" }.count
                let text = trimmed.dropFirst(depth).trimmingCharacters(in: .whitespaces)
                let levels = d.nestedQuotes ? depth : 1
                out += String(repeating: "<blockquote>", count: levels) + inline(text, d) + String(repeating: "</blockquote>", count: levels)
            } else if d.rules, trimmed == "---" || trimmed == "***" {
                out += "<hr>"
            } else if d.lists, let item = listItem(line) {
                out += "<div class=\"li\" style=\"margin-left:\(item.indent)em\">\(item.marker) \(inline(item.text, d))</div>"
            } else if trimmed.isEmpty {
                out += "<div class=\"gap\"></div>"
            } else {
                out += "<div>\(inline(line, d))</div>"
            }
        }
        return out
    }

    private static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    private static func listItem(_ line: String) -> (indent: Int, marker: String, text: String)? {
        let indent = line.prefix { $0 == " " }.count
        let rest = line.dropFirst(indent)
        if rest.hasPrefix("- ") || rest.hasPrefix("* ") { return (indent / 2 + 1, "•", String(rest.dropFirst(2))) }
        let digits = rest.prefix { $0.isNumber }
        if !digits.isEmpty, rest.dropFirst(digits.count).hasPrefix(". ") {
            return (indent / 2 + 1, "\(digits).", String(rest.dropFirst(digits.count + 2)))
        }
        return nil
    }

    private static func table(_ rows: [String], _ d: Dialect) -> String {
        func cells(_ row: String) -> [String] {
            var r = row
            if r.hasPrefix("|") { r.removeFirst() }
            if r.hasSuffix("|") { r.removeLast() }
            return r.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let isRule = { (row: String) in cells(row).allSatisfy { !$0.isEmpty && $0.allSatisfy { "-:".contains($0) } } }
        var html = "<table>"
        for (i, row) in rows.enumerated() where !isRule(row) {
            let tag = i == 0 && rows.count > 1 && isRule(rows[1]) ? "th" : "td"
            html += "<tr>" + cells(row).map { "<\(tag)>\(inline($0, d))</\(tag)>" }.joined() + "</tr>"
        }
        return html + "</table>"
    }

    /// Inline markup on one line of text.
    static func inline(_ text: String, _ d: Dialect) -> String {
        var out = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**") {
                out += "<b>\(inline(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound]), d))</b>"
                rest = rest[end.upperBound...]
            } else if d.italics, rest.hasPrefix("*"), let end = rest.dropFirst().firstIndex(of: "*"), end > rest.index(after: rest.startIndex) {
                out += "<i>\(inline(String(rest[rest.index(after: rest.startIndex)..<end]), d))</i>"
                rest = rest[rest.index(after: end)...]
            } else if rest.hasPrefix("`"), let end = rest.dropFirst().firstIndex(of: "`") {
                out += "<code>\(escape(String(rest[rest.index(after: rest.startIndex)..<end])))</code>"
                rest = rest[rest.index(after: end)...]
            } else if d.images, rest.hasPrefix("!["), let image = link(in: rest.dropFirst()) {
                out += picture(image.url, alt: image.text, inline: true)
                rest = rest[image.end...]
            } else if rest.hasPrefix("["), let link = link(in: rest) {
                let safe = link.url.hasPrefix("http://") || link.url.hasPrefix("https://")
                out += safe ? "<a href=\"\(escape(link.url))\">\(inline(link.text, d))</a>" : "<u>\(inline(link.text, d))</u>"
                rest = rest[link.end...]
            } else if d.fonts, rest.hasPrefix("<font color=\""), let tag = font(in: rest) {
                out += "<span class=\"font-\(tag.color)\">\(inline(tag.text, d))</span>"
                rest = rest[tag.end...]
            } else if d.angleMentions, rest.hasPrefix("<@"), let close = rest.firstIndex(of: ">") {
                let user = rest[rest.index(rest.startIndex, offsetBy: 2)..<close]
                out += "<span class=\"mention\">@\(escape(String(user)))</span>"
                rest = rest[rest.index(after: close)...]
            } else if rest.hasPrefix("@"), let id = d.atMentions.first(where: { rest.dropFirst().hasPrefix($0) }) {
                out += "<span class=\"mention\">@\(escape(id))</span>"
                rest = rest.dropFirst(1 + id.count)
            } else {
                out += escape(String(rest.first ?? " "))
                rest = rest.dropFirst()
            }
        }
        return out
    }

    /// A picture without loading it: a `data:image/` URL is shown, anything else is a
    /// placeholder naming its host, so the page stays self-contained.
    static func picture(_ url: String, alt: String = "", inline: Bool = false) -> String {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased().hasPrefix("data:image/") {
            return "<img class=\"\(inline ? "inline-image" : "image")\" alt=\"\(escape(alt))\" src=\"\(escape(trimmed))\">"
        }
        let host = URLComponents(string: trimmed)?.host ?? trimmed
        let label = alt.isEmpty ? "picture" : "picture: \(alt)"
        return "<span class=\"pic\(inline ? " inline" : "")\" title=\"\(escape(trimmed))\"><span class=\"what\">\(escape(label))</span><span class=\"sep\"> · </span><span class=\"host\">\(escape(host))</span></span>"
    }

    private static func link(in text: Substring) -> (text: String, url: String, end: Substring.Index)? {
        guard let closeBracket = text.firstIndex(of: "]"), text[closeBracket...].dropFirst().first == "(",
              let closeParen = text[closeBracket...].firstIndex(of: ")") else { return nil }
        let label = text[text.index(after: text.startIndex)..<closeBracket]
        let url = text[text.index(closeBracket, offsetBy: 2)..<closeParen]
        return (String(label), String(url), text.index(after: closeParen))
    }

    private static func font(in text: Substring) -> (color: String, text: String, end: Substring.Index)? {
        for color in ["info", "comment", "warning"] {
            let open = "<font color=\"\(color)\">"
            guard text.hasPrefix(open), let close = text.range(of: "</font>") else { continue }
            return (color, String(text[text.index(text.startIndex, offsetBy: open.count)..<close.lowerBound]), close.upperBound)
        }
        return nil
    }

    /// Text for the page (attributes are double-quoted, so `'` needs no entity).
    static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }
}

import Foundation
import HeraldTemplate
