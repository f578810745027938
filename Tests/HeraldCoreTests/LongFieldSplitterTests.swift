import HeraldCore
import PropertyBased
import Testing

// Expected parts below are worked out by hand from docs/job-file.md, "Long messages".
// Notation in the comments: sizes in UTF-8 bytes, "part + unit + reserve ≤ limit", reserve =
// marker (4 + 2d for split, 4 + mention for truncate) + 4 when a fence is open after the unit.

private func split(_ text: String, _ limit: Int, _ syntax: SplitSyntax = .markdown) -> [String]? {
    try? LongFieldSplitter.split(text, limit: limit, syntax: syntax).get()
}

@Suite struct LongFieldSplitterTests {
    @Test func linesPackWithTheMarkerReserved() {
        // Units 5, 5, 5, 4 bytes; marker 6. Part 1: 5+6, 10+6 fit; 10+5+6 = 21 > 20.
        #expect(split("aaaa\nbbbb\ncccc\ndddd", 20, .plain) == ["aaaa\nbbbb\n(1/2)", "cccc\ndddd\n(2/2)"])
        // At 21 the third line fits exactly (10+5+6 = 21); "dddd" then needs 15+4+6 = 25.
        #expect(split("aaaa\nbbbb\ncccc\ndddd", 21, .plain) == ["aaaa\nbbbb\ncccc\n(1/2)", "dddd\n(2/2)"])
    }

    @Test func tenPartsRepackWithTwoDigitMarkers() {
        // 30 lines of 2 bytes ("3" last, no "\n"). d = 1: 6 bytes of room, 3 lines a part, 10 parts;
        // so d = 2: 4 bytes of room, 2 lines a part, 15 parts, which has 2 digits: done.
        let lines = (Array("abcdefghijklmnopqrstuvwxyz") + ["0", "1", "2", "3"]).map(String.init)
        let text = lines.joined(separator: "\n")
        var expected: [String] = []
        for index in 0..<15 {
            expected.append("\(lines[2 * index])\n\(lines[2 * index + 1])\n(\(index + 1)/15)")
        }
        #expect(split(text, 12, .plain) == expected)
        #expect(expected[9] == "s\nt\n(10/15)")
    }

    @Test func aFenceIsClosedAndReopenedAcrossParts() {
        // "intro\n" 6+6; "```\n" opens: 6+4+10 = 20; "line1\n" 10+6+10 = 26; "line2\n" 32 > 30:
        // closer "```\n" appended. Part 2 starts with "```\n" and takes the rest (the closing
        // fence line no longer reserves the closer: 16+4+6 = 26; "end\n" 20+4+6 = 30).
        let text = "intro\n```\nline1\nline2\nline3\n```\nend\n"
        #expect(split(text, 30) == [
            "intro\n```\nline1\n```\n(1/2)",
            "```\nline2\nline3\n```\nend\n(2/2)",
        ])
    }

    @Test func aPartCutMidLineInsideAFenceGetsANewlineBeforeItsCloser() {
        // "```\n" joins (4+4+10); the 32-byte line does not, and the part equals the prefix
        // "```\n", so it is cut at 30-4-10 = 16 bytes; the closer needs a "\n" first.
        let text = "```\n0123456789012345678901234567890\n```\n"
        #expect(split(text, 30) == [
            "```\n0123456789012345\n```\n(1/2)",
            "```\n678901234567890\n```\n(2/2)",
        ])
    }

    @Test func aPartEqualToThePrefixIsCutInsteadOfClosed() {
        // Part 1 "x\n```\n" differs from the prefix "```\n": closed (an empty fence).
        // Part 2 is "```\n" = the prefix: the long line is cut at 16 bytes instead.
        let text = "x\n```\n0123456789012345678901234567890\n"
        #expect(split(text, 30) == [
            "x\n```\n```\n(1/3)",
            "```\n0123456789012345\n```\n(2/3)",
            "```\n678901234567890\n(3/3)",
        ])
    }

    @Test func aTableHeaderIsRepeatedForRowsOnly() {
        // Header unit 12, rows 7, "after line here\n" 16. Part 1: 12, 19, 26; "| r3 |" 26+7+6 > 35.
        // Part 2: header + r3 = 19; the plain line (19+16+6 > 35) gets no header.
        let text = "| h |\n|---|\n| r1 |\n| r2 |\n| r3 |\nafter line here\n"
        #expect(split(text, 35) == [
            "| h |\n|---|\n| r1 |\n| r2 |\n(1/3)",
            "| h |\n|---|\n| r3 |\n(2/3)",
            "after line here\n(3/3)",
        ])
    }

    @Test func aHeaderAndItsSeparatorAreNeverSeparated() {
        #expect(split("intro\n| h |\n|---|\n", 20) == ["intro\n(1/2)", "| h |\n|---|\n(2/2)"])
        // As text the two lines are ordinary: "| h |\n" still fits after "intro\n" (6+6+6 = 18).
        #expect(split("intro\n| h |\n|---|\n", 20, .plain) == ["intro\n| h |\n(1/2)", "|---|\n(2/2)"])
    }

    @Test func aRowInsideAFenceRepeatsBothPrefixes() {
        // Fence 4, header 12, rows 7 (reserve 10 inside the fence). Part 1: 4, 16, 23; r2 needs
        // 23+7+10 = 40 > 36, so part 1 closes and part 2 starts with "```\n" + the header (16).
        let text = "```\n| a |\n|---|\n| r1 |\n| r2 |\n```\n"
        #expect(split(text, 36) == [
            "```\n| a |\n|---|\n| r1 |\n```\n(1/2)",
            "```\n| a |\n|---|\n| r2 |\n```\n(2/2)",
        ])
    }

    @Test func hardCutsNeverSplitAScalar() {
        // 14 bytes of room a part. CJK: 14 falls inside 五, so 12 bytes.
        #expect(split("一二三四五六七八九十", 20, .plain) == ["一二三四\n(1/3)", "五六七八\n(2/3)", "九十\n(3/3)"])
        // Emoji: "ab" + 3 emoji is exactly 14; with "abc", 14 falls inside 😂, so 11 bytes.
        #expect(split("ab😀😁😂🤣😃", 20, .plain) == ["ab😀😁😂\n(1/2)", "🤣😃\n(2/2)"])
        #expect(split("abc😀😁😂🤣", 20, .plain) == ["abc😀😁\n(1/2)", "😂🤣\n(2/2)"])
    }

    @Test func aCutRowKeepsItsRole() {
        // Header 12 joins; the 33-byte row does not, and the part equals the prefix (the
        // header), so the row is cut at 40-12-6 = 22 bytes; its rest is still a row: header first.
        let text = "| h |\n|---|\n| 0123456789012345678901234567 |\n"
        #expect(split(text, 40) == [
            "| h |\n|---|\n| 01234567890123456789\n(1/2)",
            "| h |\n|---|\n01234567 |\n(2/2)",
        ])
    }

    @Test func carriageReturnsAndLineSeparatorsAreOrdinaryCharacters() {
        // Lines "ab\r\n" (4) and "cd\u{2028}ef\n" (8); "gh" (2). 4+8+6 = 18 > 16.
        #expect(split("ab\r\ncd\u{2028}ef\ngh", 16, .plain) == ["ab\r\n(1/2)", "cd\u{2028}ef\ngh\n(2/2)"])
        // "|---|\r" is not a separator: no table, no header repeated.
        #expect(split("| a |\r\n|---|\r\n| r1 |\r\n| r2 |\r\n", 20) == [
            "| a |\r\n|---|\r\n(1/3)", "| r1 |\r\n(2/3)", "| r2 |\r\n(3/3)",
        ])
    }

    @Test func textSyntaxIgnoresFencesAndTables() {
        // No fence reserve: lines of 4, 6, 6, 6 fill 22+6 = 28; "line4\n" needs 34 > 30.
        #expect(split("```\nline1\nline2\nline3\nline4\n", 30, .plain) == ["```\nline1\nline2\nline3\n(1/2)", "line4\n(2/2)"])
        #expect(split("| h |\n|---|\n| r1 |\n| r2 |\n| r3 |\n", 35, .plain) == ["| h |\n|---|\n| r1 |\n| r2 |\n(1/2)", "| r3 |\n(2/2)"])
        // The same fence as markdown: reserve 10 inside it, so "line3\n" needs 16+6+10 = 32 > 30;
        // a closer, and the fence line repeated.
        #expect(split("```\nline1\nline2\nline3\nline4\n", 30) == ["```\nline1\nline2\n```\n(1/2)", "```\nline3\nline4\n(2/2)"])
    }

    @Test func noRoomAfterTheRepeatedPrefixIsAnError() {
        // The 20-byte fence line joins (20+10 = 30), then "x\n" has 30-20-10 = 0 bytes of room.
        let result = LongFieldSplitter.split("```abcdefghijklmnop\nx\n", limit: 30, syntax: .markdown)
        #expect(result == .failure(SplitFailure(message: "the repeated fence/table header leaves no room within the 30-byte limit; shorten the header or the fence line")))
        #expect(LongFieldSplitter.split("hello", limit: 5, syntax: .plain)
                == .failure(SplitFailure(message: "the 5-byte limit leaves no room for any text beside the (i/n) part marker; raise the limit")))
        #expect(LongFieldSplitter.truncate("hello world", limit: 10, syntax: .plain, mentionText: "\n<@bob>")
                == .failure(SplitFailure(message: "the 10-byte limit leaves no room for any text beside the … marker and the mention text; shorten the mention text")))
    }

    @Test func truncateKeepsPartOneWithItsEllipsisAndMention() throws {
        // Reserve 4: lines of 5 fill 15+4 = 19; the fourth needs 24 > 20.
        #expect(try LongFieldSplitter.truncate("aaaa\nbbbb\ncccc\ndddd\n", limit: 20, syntax: .plain, mentionText: "").get()
                == "aaaa\nbbbb\ncccc\n…")
        // Reserve 4 + 7: only one line fits (10+11 = 21 > 20); the mention is kept whole.
        #expect(try LongFieldSplitter.truncate("aaaa\nbbbb\ncccc\ndddd\n", limit: 20, syntax: .plain, mentionText: "\n<@bob>").get()
                == "aaaa\n…\n<@bob>")
        // Inside a fence (reserve 8): part 1 is closed with its closer before the ellipsis.
        #expect(try LongFieldSplitter.truncate("```\nline1\nline2\nline3\nline4\n```\n", limit: 30, syntax: .markdown, mentionText: "").get()
                == "```\nline1\nline2\nline3\n```\n…")
    }

    // MARK: - Property test over random inputs

    @Test func randomInputsSplitWithinTheLimitAndRejoinToTheText() {
        var random = Xoshiro(seed: (0x5EED_1234_ABCD, 1, 2, 3))
        var failures = 0
        for round in 0..<2000 {
            let syntax: SplitSyntax = random.int(0...3) == 0 ? .plain : .markdown
            let big = random.int(0...9) == 0
            let limit = big ? 4096 : random.int(30...300)
            let text = randomText(&random, size: big ? random.int(3000...14000) : random.int(1...2000))
            let oracle = Oracle(text: text, syntax: syntax)
            switch LongFieldSplitter.split(text, limit: limit, syntax: syntax) {
            case .success(let parts):
                // Byte comparisons throughout: String's would see "\r" + "\n(…" as one character.
                var bodies: [[UInt8]] = []
                for (index, part) in parts.enumerated() {
                    let marker = "\n(\(index + 1)/\(parts.count))"
                    #expect(part.utf8.count <= limit, "round \(round): part \(index + 1) is \(part.utf8.count) bytes")
                    #expect(part.utf8.reversed().starts(with: marker.utf8.reversed()), "round \(round): part \(index + 1) lacks \(marker)")
                    bodies.append(Array(part.utf8.dropLast(marker.utf8.count)))
                }
                #expect(oracle.rejoins(bodies), "round \(round): the parts do not give back the text (limit \(limit), \(syntax))")
            case .failure:
                // Only a repeated prefix can leave no room: never for text, never without fences or tables.
                failures += 1
                #expect(syntax == .markdown && (text.contains("```") || text.contains("|")), "round \(round): unexpected failure")
            }
            let mention = ["", "\n<@bob>", "\n@0123 @4567"][random.int(0...2)]
            if case .success(let truncated) = LongFieldSplitter.truncate(text, limit: limit, syntax: syntax, mentionText: mention) {
                #expect(truncated.utf8.count <= limit, "round \(round): truncated is \(truncated.utf8.count) bytes")
                let suffix = "\n…" + mention
                #expect(truncated.utf8.reversed().starts(with: suffix.utf8.reversed()))
                #expect(oracle.isFirstPart(Array(truncated.utf8.dropLast(suffix.utf8.count))), "round \(round): truncate part 1")
            }
        }
        #expect(failures < 200)
    }
}

/// Draws for the random cases (a seeded `Xoshiro`, so every run sees the same cases).
private extension Xoshiro {
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

private func randomText(_ random: inout Xoshiro, size: Int) -> String {
    let words = ["alpha", "beta", "gamma", "数据", "报警", "😀", "👩‍💻", "naïve", "x", "`", "|", "-", "\r", "\u{2028}"]
    var lines: [String] = []
    var bytes = 0
    while bytes < size {
        var line: String
        switch random.int(0...13) {
        case 0, 1, 2: line = (0..<random.int(1...12)).map { _ in random.pick(words) }.joined(separator: " ")
        case 3: line = String((0..<random.int(1...80)).map { _ in random.pick(Array("一二三四五六七八九十中文字")) })
        case 4: line = String(repeating: random.pick(["😀", "🤣", "é"]), count: random.int(1...60))
        case 5: line = ""
        case 6: line = random.pick(["```", "```swift", "   ```", "``` a long info string here", "``", " ``` "])
        case 7: line = random.pick(["| a | b |\n|---|:-:|", "| 表头 |\n| --- |", "|\n|", "| h |\n|---|x"])
        case 8, 9: line = random.pick(["| r | 数据 |", "| row 😀 |", "|", "|---|", "no pipe"])
        case 10: line = String(repeating: random.pick(["w", "长", "😀", "ab "]), count: random.int(50...700))
        case 11: line = String(repeating: "\n", count: random.int(1...4))
        default: line = (0..<random.int(1...6)).map { _ in random.pick(words) }.joined()
        }
        bytes += line.utf8.count + 1
        lines.append(line)
    }
    var text = lines.joined(separator: "\n")
    switch random.int(0...2) {
    case 0: text += "\n"
    case 1: text += String(repeating: "\n", count: random.int(2...5))
    default: break
    }
    return text
}

/// An independent reading of the roles (step 2, step 3), by source position, used to undo a split.
///
/// The check: there must be cut positions 0 = q1 < q2 < … < qn+1 = end of the text such that
/// each part body (marker removed) equals, exactly, its gathered text with trailing "\n"s
/// removed, where the gathered text is prefix(qi) + text[qi..<qi+1] + closer. prefix(q) is the
/// line of the fence open at q (fence lines starting before q, counted in order; "\n" added if
/// missing) then, if q lies in a table row, that table's header unit; the closer ("```\n", after
/// a "\n" if needed) is there on parts 1…n-1 when a fence is open at qi+1. So the text must come
/// back whole and in order, with every repeated line and closer where it belongs; the only
/// freedom is where each run of "\n"s at a part boundary is split between the two parts, since
/// stripping erased that. That freedom is searched (depth first, remembering dead ends).
private struct Oracle {
    let bytes: [UInt8]
    var lineStarts: [Int] = []
    /// Per line: the header unit of the table it is a row of, if it is one.
    var rowHeader: [Range<Int>?] = []
    var fenceLines: [Range<Int>] = []

    init(text: String, syntax: SplitSyntax) {
        bytes = Array(text.utf8)
        var lines: [Range<Int>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            lines.append(start..<(index + 1))
            start = index + 1
        }
        if start < bytes.count { lines.append(start..<bytes.count) }
        lineStarts = lines.map(\.lowerBound)
        rowHeader = Array(repeating: nil, count: lines.count)
        guard syntax == .markdown else { return }
        // Each line without its "\n", as bytes (String comparisons would see "\r\n" as one character).
        let content = lines.map { Array(bytes[$0].last == 0x0A ? bytes[$0].dropLast() : bytes[$0]) }
        var header: Range<Int>? = nil
        var index = 0
        while index < lines.count {
            let startsWithPipe = content[index].first == UInt8(ascii: "|")
            if header != nil && startsWithPipe {
                rowHeader[index] = header
                index += 1
                continue
            }
            header = nil
            if startsWithPipe && index + 1 < lines.count {
                let next = content[index + 1]
                if next.first == UInt8(ascii: "|") && next.allSatisfy({ Array("|-: ".utf8).contains($0) }) {
                    header = lines[index].lowerBound..<lines[index + 1].upperBound
                    index += 2
                    continue
                }
            }
            if content[index].drop(while: { $0 == UInt8(ascii: " ") }).starts(with: Array("```".utf8)) {
                fenceLines.append(lines[index])
            }
            index += 1
        }
    }

    private func openFence(at position: Int) -> Range<Int>? {
        let before = fenceLines.filter { $0.lowerBound < position }
        return before.count % 2 == 1 ? before.last : nil
    }

    private func prefix(at position: Int) -> [UInt8] {
        var result: [UInt8] = []
        if let fence = openFence(at: position) {
            result += bytes[fence]
            if result.last != 0x0A { result.append(0x0A) }
        }
        // The line holding `position`: the last line starting at or before it.
        if position < bytes.count, let line = lineStarts.lastIndex(where: { $0 <= position }), let header = rowHeader[line] {
            result += bytes[header]
        }
        return result
    }

    private func stripped(_ text: [UInt8]) -> [UInt8] {
        var end = text.count
        while end > 0 && text[end - 1] == 0x0A { end -= 1 }
        return Array(text[..<end])
    }

    /// The body a part from `start` to `end` must have.
    private func body(from start: Int, to end: Int, last: Bool) -> [UInt8] {
        var gathered = prefix(at: start) + bytes[start..<end]
        if !last && openFence(at: end) != nil {
            if gathered.last != 0x0A { gathered.append(0x0A) }
            gathered += [0x60, 0x60, 0x60, 0x0A]
        }
        return stripped(gathered)
    }

    /// Ends of a non-last part starting at `start` that give `body`: the size is fixed up to
    /// the closer (at most 4 bytes once stripped) and then any run of "\n"s.
    private func ends(from start: Int, body: [UInt8]) -> [Int] {
        let nominal = start + body.count - prefix(at: start).count
        var result: [Int] = []
        var end = max(start + 1, nominal - 4)
        while end < bytes.count && (end <= nominal + 1 || bytes[end - 1] == 0x0A) {
            if self.body(from: start, to: end, last: false) == body { result.append(end) }
            end += 1
        }
        return result
    }

    func rejoins(_ bodies: [[UInt8]]) -> Bool {
        var deadEnds = Set<[Int]>()
        func search(_ part: Int, _ start: Int) -> Bool {
            if part == bodies.count - 1 { return body(from: start, to: bytes.count, last: true) == bodies[part] }
            if deadEnds.contains([part, start]) { return false }
            for end in ends(from: start, body: bodies[part]) where search(part + 1, end) { return true }
            deadEnds.insert([part, start])
            return false
        }
        return !bodies.isEmpty && search(0, 0)
    }

    func isFirstPart(_ body: [UInt8]) -> Bool {
        self.body(from: 0, to: bytes.count, last: true) == body || !ends(from: 0, body: body).isEmpty
    }
}

/// A line ending in "\r" keeps it: the marker follows it byte for byte ("\r" + "\n(1/3)"
/// are two Characters' worth of bytes that Swift's `hasSuffix` sees as one "\r\n").
@Suite struct CarriageReturnBeforeMarkerTests {
    @Test func theCarriageReturnStaysBeforeTheMarker() throws {
        let text = String(repeating: "line\r\n", count: 12)
        guard case .success(let parts) = LongFieldSplitter.split(text, limit: 30, syntax: .plain) else {
            Issue.record("split failed"); return
        }
        #expect(parts.count > 1)
        for (i, part) in parts.enumerated() {
            let bytes = Array(part.utf8)
            let marker = Array("\r\n(\(i + 1)/\(parts.count))".utf8)
            #expect(bytes.suffix(marker.count).elementsEqual(marker), "\(part.debugDescription)")
            #expect(bytes.count <= 30)
        }
    }
}
