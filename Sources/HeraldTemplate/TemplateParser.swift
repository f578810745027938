/// Turns template text into nodes, following the Mustache spec's whitespace rules
/// (a line holding only a section, inverted, close, comment, partial or delimiter tag
/// disappears, newline included), and collects every error it can recover from.
struct TemplateParser {
    struct Output {
        var nodes: [TemplateNode]
        var partials: [(String, TextPosition)]
        var errors: [(TextPosition, String)]
        /// Bytes the scans besides the main loop stepped over (positions, standalone lines,
        /// tag ends): tests hold it to a multiple of the template's length.
        var scannedBytes: Int
    }

    /// Sections open at once in one template. Past it, sections are counted, not nested, so
    /// no tree (nor the recursion that lowers, renders and frees it) grows deeper.
    static let maxSectionDepth = 100
    static let maxDelimiterBytes = 32

    private let bytes: [UInt8]
    private let mode: TemplateMode
    private var open: [UInt8] = Array("{{".utf8)
    private var close: [UInt8] = Array("}}".utf8)
    private var defaultDelimiters = true
    private var frames: [Frame] = [Frame(section: nil)]
    /// Sections opened past `maxSectionDepth` and not yet closed: no frame, no node.
    private var overflow = 0
    private var pending: [UInt8] = []
    private var lineStart = 0
    private var line = 1
    private var errors: [(TextPosition, String)] = []
    private var partials: [(String, TextPosition)] = []
    // Every scan below resumes where the last one stopped, so a long line costs its length
    // once, not once per tag.
    private var columns = ColumnCursor()
    private var blanks = BlankPrefix()
    // One for `}}}` (a triple mustache's end) and one for the close delimiter: tags of both
    // kinds in turn must not undo each other's answer.
    private var closeSearch = NextMatch(), rawCloseSearch = NextMatch()
    private var scanned = 0

    private struct Frame {
        var section: (name: NamePath, inverted: Bool, optional: Bool, filters: [FilterCall], position: TextPosition)?
        var nodes: [TemplateNode] = []
    }

    private enum TagKind { case variable, raw, section, inverted, close, comment, partial, delimiter }

    init(_ source: String, mode: TemplateMode) {
        bytes = Array(source.utf8)
        self.mode = mode
    }

    static func parse(_ source: String, mode: TemplateMode) -> Output {
        var parser = TemplateParser(source, mode: mode)
        return parser.run()
    }

    private mutating func run() -> Output {
        var i = 0
        let n = bytes.count
        while i < n {
            if matches(open, at: i) {
                i = tag(at: i)
            } else {
                pending.append(bytes[i])
                if bytes[i] == 0x0A {
                    line += 1
                    lineStart = i + 1
                }
                i += 1
            }
        }
        flushText()
        // Sections past the limit never closed: the depth error already says what is wrong,
        // and the sections around them (unclosed too, of course) would only bury it.
        if overflow > 0 { frames.removeSubrange(1...) }
        while frames.count > 1, let frame = frames.popLast(), let section = frame.section {
            errors.append((section.position, "unclosed section '\(section.name.text)': add '\(openText)/\(section.name.text)\(closeText)'"))
            frames[frames.count - 1].nodes.append(.section(Section(name: section.name, inverted: section.inverted, optional: section.optional,
                                                                   filters: section.filters, children: frame.nodes, position: section.position)))
        }
        return Output(nodes: frames[0].nodes, partials: partials, errors: errors, scannedBytes: scanned)
    }

    private var openText: String { String(decoding: open, as: UTF8.self) }
    private var closeText: String { String(decoding: close, as: UTF8.self) }

    private func matches(_ pattern: [UInt8], at index: Int) -> Bool {
        guard index + pattern.count <= bytes.count else { return false }
        for k in 0..<pattern.count where bytes[index + k] != pattern[k] { return false }
        return true
    }

    /// The first `pattern` at or after `index` and before `limit`.
    private mutating func find(_ pattern: [UInt8], from index: Int, before limit: Int) -> Int? {
        var i = index
        while i < limit, i + pattern.count <= bytes.count {
            scanned += 1
            if matches(pattern, at: i) { return i }
            i += 1
        }
        return nil
    }

    /// The first close delimiter at or after `index`. Tags that never close would each search
    /// to the end of the text; the answer of the last search holds for any later start up to it.
    private mutating func findClose(_ pattern: [UInt8], from index: Int, raw: Bool) -> Int? {
        var last = raw ? rawCloseSearch : closeSearch
        if last.pattern != pattern || index < last.from || index > (last.at ?? Int.max) {
            last = NextMatch(pattern: pattern, from: index, at: find(pattern, from: index, before: bytes.count))
            if raw { rawCloseSearch = last } else { closeSearch = last }
        }
        return last.at
    }

    private mutating func position(of index: Int) -> TextPosition {
        if columns.line != line { columns = ColumnCursor(line: line, index: lineStart, column: 1) }
        while columns.index < index {
            if bytes[columns.index] & 0xC0 != 0x80 { columns.column += 1 }
            columns.index += 1
            scanned += 1
        }
        return TextPosition(line: line, column: columns.column)
    }

    /// True when the current line holds only spaces and tabs before `index`.
    private mutating func onlyBlanks(before index: Int) -> Bool {
        if blanks.line != line { blanks = BlankPrefix(line: line, index: lineStart, inked: false) }
        while !blanks.inked, blanks.index < index {
            scanned += 1
            if bytes[blanks.index] != 0x20 && bytes[blanks.index] != 0x09 { blanks.inked = true } else { blanks.index += 1 }
        }
        return !blanks.inked
    }

    /// Parses the tag starting at `start`; returns where scanning goes on.
    private mutating func tag(at start: Int) -> Int {
        let position = position(of: start)
        var contentStart = start + open.count
        var closing = close
        var kind = TagKind.variable
        if defaultDelimiters, contentStart < bytes.count, bytes[contentStart] == UInt8(ascii: "{") {
            kind = .raw
            contentStart += 1
            closing = Array("}}}".utf8)
        }
        // A tag whose content holds another opening delimiter was never closed.
        guard let contentEnd = findClose(closing, from: contentStart, raw: kind == .raw),
              find(open, from: contentStart, before: contentEnd) == nil else {
            errors.append((position, "unclosed tag: missing '\(String(decoding: closing, as: UTF8.self))'"))
            // Keep the delimiter as text and go on, so later tags are still checked.
            pending.append(contentsOf: bytes[start..<start + open.count])
            return start + open.count
        }
        let tagEnd = contentEnd + closing.count
        var content = String(decoding: bytes[contentStart..<contentEnd], as: UTF8.self)
        if kind == .variable, let first = content.first {
            switch first {
            case "#": kind = .section
            case "^": kind = .inverted
            case "/": kind = .close
            case "!": kind = .comment
            case ">": kind = .partial
            case "&": kind = .raw
            case "=": kind = .delimiter
            default: break
            }
            if kind != .variable { content.removeFirst() }
        }

        // Standalone lines vanish (the official Mustache whitespace rules).
        var next = tagEnd
        var indentation = ""
        let standaloneKinds: Bool = {
            switch kind { case .variable, .raw: return false; default: return true }
        }()
        if standaloneKinds, let lineEnd = standaloneEnd(tagStart: start, tagEnd: tagEnd) {
            indentation = String(decoding: bytes[lineStart..<start], as: UTF8.self)
            pending.removeLast(start - lineStart)
            next = lineEnd
        }
        flushText()
        handle(kind, content: content, position: position, indentation: indentation)
        // Count the lines the tag (and a consumed newline) spanned.
        for k in start..<next where bytes[k] == 0x0A {
            line += 1
            lineStart = k + 1
        }
        scanned += next - start
        return next
    }

    /// If the tag stands alone on its line, the index just past that line's end.
    private mutating func standaloneEnd(tagStart: Int, tagEnd: Int) -> Int? {
        guard onlyBlanks(before: tagStart) else { return nil }
        var j = tagEnd
        while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1; scanned += 1 }
        if j == bytes.count { return j }
        if bytes[j] == 0x0A { return j + 1 }
        if bytes[j] == 0x0D, j + 1 < bytes.count, bytes[j + 1] == 0x0A { return j + 2 }
        return nil
    }

    private mutating func flushText() {
        guard !pending.isEmpty else { return }
        frames[frames.count - 1].nodes.append(.text(String(decoding: pending, as: UTF8.self)))
        pending.removeAll(keepingCapacity: true)
    }

    private mutating func handle(_ kind: TagKind, content: String, position: TextPosition, indentation: String) {
        let trimmed = content.trimmingCharacters(in: .whitespacesAndNewlines)
        switch kind {
        case .comment:
            return
        case .delimiter:
            var inner = trimmed
            guard inner.hasSuffix("=") else {
                errors.append((position, "invalid delimiter change: write it like \(openText)=<% %>=\(closeText)"))
                return
            }
            inner.removeLast()
            let parts = inner.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 2, !parts.contains(where: { $0.contains("=") }) else {
                errors.append((position, "invalid delimiter change: give two delimiters without '=', like \(openText)=<% %>=\(closeText)"))
                return
            }
            // Every byte of the text is compared with the open delimiter: a long one would make
            // that quadratic.
            guard parts.allSatisfy({ $0.utf8.count <= Self.maxDelimiterBytes }) else {
                errors.append((position, "invalid delimiter change: a delimiter is at most \(Self.maxDelimiterBytes) bytes long"))
                return
            }
            open = Array(parts[0].utf8)
            close = Array(parts[1].utf8)
            defaultDelimiters = open == Array("{{".utf8) && close == Array("}}".utf8)
        case .partial:
            guard !trimmed.isEmpty else { errors.append((position, "empty tag: a partial needs a name")); return }
            partials.append((trimmed, position))
            frames[frames.count - 1].nodes.append(.partial(PartialCall(name: trimmed, indentation: indentation, position: position, sectionDepth: frames.count - 1)))
        case .section, .inverted:
            let inverted = kind == .inverted
            // Herald mode: `{{#rows | first: 10}}`, `{{#rows? | first: 10}}` (the `?` stays on
            // the name). Spec mode has no section filters: a `|` there is an error, as before.
            var nameText = trimmed
            var filters: [FilterCall] = []
            if mode == .herald {
                let (name, filterText) = FilterSyntax.split(trimmed)
                if let filterText {
                    let bareName = name.hasSuffix("?") ? String(name.dropLast()) : name
                    // Still open a frame on failure, so its close tag matches.
                    let failedFrame = Frame(section: (NamePath(bareName.isEmpty ? "?" : bareName), inverted, name.hasSuffix("?"), [], position))
                    if filterText.hasSuffix("?") {
                        let cleaned = String(filterText.dropLast()).trimmingCharacters(in: .whitespaces)
                        errors.append((position, "the '?' of an optional section goes right after the name: write '\(openText)\(inverted ? "^" : "#")\(bareName)? | \(cleaned)\(closeText)'"))
                        openSection(failedFrame, tag: trimmed)
                        return
                    }
                    switch FilterSyntax.parse(trimmed) {
                    case .failure(let e):
                        errors.append((position, e.message))
                        openSection(failedFrame, tag: trimmed)
                        return
                    case .success(let parsed):
                        nameText = parsed.name
                        filters = parsed.filters
                    }
                }
            }
            let optional = mode == .herald && nameText.hasSuffix("?") && nameText.count > 1
            let bare = optional ? String(nameText.dropLast()) : nameText
            guard let name = validName(bare, position: position, section: true) else {
                // Still open a frame so its close tag matches and later errors stay meaningful.
                openSection(Frame(section: (NamePath(bare.isEmpty ? "?" : bare), inverted, optional, filters, position)), tag: trimmed)
                return
            }
            openSection(Frame(section: (name, inverted, optional, filters, position)), tag: trimmed)
        case .close:
            var closing = trimmed
            if mode == .herald, closing.contains("|") {
                // Filters belong to the open tag; close with the name (and recover as if it did).
                closing = FilterSyntax.split(closing).name
                if closing.hasSuffix("?") { closing.removeLast() }
                errors.append((position, "a close tag names only the section, without filters: write '\(openText)/\(closing)\(closeText)'"))
            }
            // `{{/note?}}` and `{{/note}}` both close `{{#note?}}`.
            closeSection(mode == .herald && closing.hasSuffix("?") ? String(closing.dropLast()) : closing, position: position)
        case .variable, .raw:
            guard !trimmed.isEmpty else { errors.append((position, "empty tag")); return }
            switch FilterSyntax.parse(trimmed) {
            case .failure(let e):
                errors.append((position, e.message))
            case .success(let parsed):
                guard let name = validName(parsed.name, position: position, section: false) else { return }
                frames[frames.count - 1].nodes.append(.variable(Variable(name: name, raw: kind == .raw, filters: parsed.filters, position: position)))
            }
        }
    }

    private mutating func validName(_ text: String, position: TextPosition, section: Bool) -> NamePath? {
        if text.isEmpty {
            errors.append((position, "empty tag: a \(section ? "section" : "variable") needs a name"))
            return nil
        }
        if section, text.contains("|") {
            // Spec mode has no section filters; in Herald mode the filters were split off
            // already, so a `|` left here sits inside quotes in the name.
            errors.append((position, mode == .spec ? "filters are not allowed in section tags; use them in {{name | filter}} tags"
                                                   : "invalid name '\(text)': a name has no '|'"))
            return nil
        }
        if mode == .herald {
            if text.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
                errors.append((position, "invalid name '\(text)': names have no spaces (filters go after '|')"))
                return nil
            }
            if text != ".", text.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
                errors.append((position, "invalid name '\(text)': empty segment in a dotted name"))
                return nil
            }
        }
        return NamePath(text)
    }

    /// Opens `frame`'s section, or past the depth limit reports the tag that went past it
    /// and only counts the section (and the ones inside it) until it closes.
    private mutating func openSection(_ frame: Frame, tag content: String) {
        guard frames.count > Self.maxSectionDepth || overflow > 0 else {
            frames.append(frame)
            return
        }
        if overflow == 0, let section = frame.section {
            let tag = "\(openText)\(section.inverted ? "^" : "#")\(content)\(closeText)"
            errors.append((section.position, "'\(tag)' nests sections deeper than \(Self.maxSectionDepth) levels, the limit in one template: close some before opening more, or move the inner ones into a partial"))
        }
        overflow += 1
    }

    private mutating func closeSection(_ name: String, position: TextPosition) {
        guard !name.isEmpty else { errors.append((position, "empty tag: a section close needs a name")); return }
        // Closes a section counted past the depth limit (already an error): names are not checked.
        guard overflow == 0 else { overflow -= 1; return }
        guard let top = frames.last?.section else {
            errors.append((position, "'\(openText)/\(name)\(closeText)' closes a section that was never opened"))
            return
        }
        if top.name.text != name {
            errors.append((position, "mismatched section close: expected '\(openText)/\(top.name.text)\(closeText)', found '\(openText)/\(name)\(closeText)'"))
            // Recover: close up to a matching outer section if there is one, else ignore the tag.
            guard frames.contains(where: { $0.section?.name.text == name }) else { return }
            while let section = frames.last?.section, section.name.text != name { popSection() }
        }
        popSection()
    }

    private mutating func popSection() {
        guard frames.count > 1, let frame = frames.popLast(), let section = frame.section else { return }
        frames[frames.count - 1].nodes.append(.section(Section(name: section.name, inverted: section.inverted, optional: section.optional,
                                                               filters: section.filters, children: frame.nodes, position: section.position)))
    }
}

import Foundation

/// Where the column count of the current line stands: `column` is that of byte `index`.
private struct ColumnCursor {
    var line = 0
    var index = 0
    var column = 1
}

/// How far the current line is known to hold only spaces and tabs (`index`), or that it does not.
private struct BlankPrefix {
    var line = 0
    var index = 0
    var inked = false
}

/// The answer of the last search for `pattern` from `from`: its first match (none: nil).
private struct NextMatch {
    var pattern: [UInt8] = []
    var from = 0
    var at: Int?
}
