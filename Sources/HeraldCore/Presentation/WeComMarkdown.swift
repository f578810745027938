/// Renders the markdown WeCom robots display, to HTML for the preview: headings, bold,
/// links, inline code, quotes, `<font color="info|comment|warning">`, `<@userid>`
/// mentions; with `v2`, also italics, lists, tables, rules and fenced code.
/// Everything else is shown as the text it is (escaped), as a chat client would.
public enum WeComMarkdown {
    public static func html(_ source: String, v2: Bool) -> String {
        var out = ""
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        while let line = lines.first {
            lines = lines.dropFirst()
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if v2, trimmed.hasPrefix("```") {
                var code: [String] = []
                while let next = lines.first, !next.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                    code.append(next)
                    lines = lines.dropFirst()
                }
                lines = lines.dropFirst()
                out += "<pre><code>\(escape(code.joined(separator: "\n")))</code></pre>"
            } else if v2, trimmed.hasPrefix("|") {
                var rows = [trimmed]
                while let next = lines.first, next.trimmingCharacters(in: .whitespaces).hasPrefix("|") {
                    rows.append(next.trimmingCharacters(in: .whitespaces))
                    lines = lines.dropFirst()
                }
                out += table(rows)
            } else if let level = headingLevel(trimmed) {
                out += "<h\(level)>\(inline(String(trimmed.dropFirst(level + 1)), v2: v2))</h\(level)>"
            } else if trimmed.hasPrefix(">") {
                let depth = trimmed.prefix { $0 == ">" }.count
                let text = trimmed.dropFirst(depth).trimmingCharacters(in: .whitespaces)
                out += String(repeating: "<blockquote>", count: v2 ? depth : 1) + inline(text, v2: v2) + String(repeating: "</blockquote>", count: v2 ? depth : 1)
            } else if v2, trimmed == "---" || trimmed == "***" {
                out += "<hr>"
            } else if v2, let item = listItem(line) {
                out += "<div class=\"li\" style=\"margin-left:\(item.indent)em\">\(item.marker) \(inline(item.text, v2: v2))</div>"
            } else if trimmed.isEmpty {
                out += "<div class=\"gap\"></div>"
            } else {
                out += "<div>\(inline(line, v2: v2))</div>"
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

    private static func table(_ rows: [String]) -> String {
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
            html += "<tr>" + cells(row).map { "<\(tag)>\(inline($0, v2: true))</\(tag)>" }.joined() + "</tr>"
        }
        return html + "</table>"
    }

    /// Inline markup on one line of text.
    static func inline(_ text: String, v2: Bool) -> String {
        var out = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**") {
                out += "<b>\(inline(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound]), v2: v2))</b>"
                rest = rest[end.upperBound...]
            } else if v2, rest.hasPrefix("*"), let end = rest.dropFirst().firstIndex(of: "*"), end > rest.index(after: rest.startIndex) {
                out += "<i>\(inline(String(rest[rest.index(after: rest.startIndex)..<end]), v2: v2))</i>"
                rest = rest[rest.index(after: end)...]
            } else if rest.hasPrefix("`"), let end = rest.dropFirst().firstIndex(of: "`") {
                out += "<code>\(escape(String(rest[rest.index(after: rest.startIndex)..<end])))</code>"
                rest = rest[rest.index(after: end)...]
            } else if rest.hasPrefix("["), let link = link(in: rest) {
                let safe = link.url.hasPrefix("http://") || link.url.hasPrefix("https://")
                out += safe ? "<a href=\"\(escape(link.url))\">\(inline(link.text, v2: v2))</a>" : "<u>\(inline(link.text, v2: v2))</u>"
                rest = rest[link.end...]
            } else if !v2, rest.hasPrefix("<font color=\""), let tag = font(in: rest) {
                out += "<span class=\"font-\(tag.color)\">\(inline(tag.text, v2: v2))</span>"
                rest = rest[tag.end...]
            } else if !v2, rest.hasPrefix("<@"), let close = rest.firstIndex(of: ">") {
                let user = rest[rest.index(rest.startIndex, offsetBy: 2)..<close]
                out += "<span class=\"mention\">@\(escape(String(user)))</span>"
                rest = rest[rest.index(after: close)...]
            } else {
                out += escape(String(rest.first ?? " "))
                rest = rest.dropFirst()
            }
        }
        return out
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

    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}

import Foundation
