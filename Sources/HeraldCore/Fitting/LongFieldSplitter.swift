// docs/job-file.md, "Long messages", "The split, exactly".
// Standard library only, so this file also compiles alone. Everything works on UTF-8 bytes:
// sizes are byte counts and a cut must fall on a scalar boundary (a byte that is not 10xxxxxx).

/// How a long field's lines are read: `markdown` knows fences and tables, `plain` (text) does not.
package enum SplitSyntax: Sendable, Equatable { case plain, markdown }

/// Why a field could not be split (no room for even one character after a repeated fence/table header).
package struct SplitFailure: Error, Equatable, Sendable {
    package var message: String
    package init(message: String) { self.message = message }
}

package enum LongFieldSplitter {
    /// docs/job-file.md, "Long messages" `split`: the parts' final texts, markers "\n(i/n)" included. `text` already holds the mention text.
    package static func split(_ text: String, limit: Int, syntax: SplitSyntax) -> Result<[String], SplitFailure> {
        let source = Source(bytes: Array(text.utf8), syntax: syntax)
        // step 8: assume a 1-digit count, and pack again while the count has more digits than assumed.
        var digits = 1
        while true {
            let packed: Packed
            switch Packer.pack(source, limit: limit, marker: 4 + 2 * digits, roomNote: "the (i/n) part marker; raise the limit") {
            case .failure(let failure): return .failure(failure)
            case .success(let result): packed = result
            }
            let count = packed.parts.count
            let needed = decimalDigits(count)
            if needed > digits {
                digits = needed
                continue
            }
            // step 9: trailing "\n"s go, then the marker.
            var texts: [String] = []
            texts.reserveCapacity(count)
            for (index, range) in packed.parts.enumerated() {
                let body = String(decoding: packed.out[withoutTrailingNewlines(range, in: packed.out)], as: UTF8.self)
                texts.append(body + "\n(\(index + 1)/\(count))")
            }
            return .success(texts)
        }
    }

    /// docs/job-file.md, "Long messages" `truncate`: part 1, trailing "\n"s removed, then "\n…", then `mentionText`.
    package static func truncate(_ text: String, limit: Int, syntax: SplitSyntax, mentionText: String) -> Result<String, SplitFailure> {
        let source = Source(bytes: Array(text.utf8), syntax: syntax)
        let mention = Array(mentionText.utf8)
        // step 4: "\n…" is 4 bytes; the mention text stays whole, outside the cut. step 9: the whole
        // field is packed (so a later part with no room is still an error), then part 1 is kept.
        let packed: Packed
        let roomNote = mention.isEmpty ? "the … marker; raise the limit" : "the … marker and the mention text; shorten the mention text"
        switch Packer.pack(source, limit: limit, marker: 4 + mention.count, roomNote: roomNote) {
        case .failure(let failure): return .failure(failure)
        case .success(let result): packed = result
        }
        var bytes: [UInt8] = []
        if let first = packed.parts.first {
            bytes.append(contentsOf: packed.out[withoutTrailingNewlines(first, in: packed.out)])
        }
        bytes.append(contentsOf: [0x0A, 0xE2, 0x80, 0xA6])
        bytes.append(contentsOf: mention)
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    private static func decimalDigits(_ value: Int) -> Int {
        var digits = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        return digits
    }

    private static func withoutTrailingNewlines(_ range: Range<Int>, in bytes: [UInt8]) -> Range<Int> {
        var end = range.upperBound
        while end > range.lowerBound && bytes[end - 1] == newline { end -= 1 }
        return range.lowerBound..<end
    }
}

private let newline: UInt8 = 0x0A
private let pipe: UInt8 = 0x7C
private let backtick: UInt8 = 0x60
private let space: UInt8 = 0x20
private let closerLine: [UInt8] = [backtick, backtick, backtick, newline]

/// steps 1–3: what a unit is read as. A header's table index is not needed: only rows repeat it.
private enum Role: Equatable {
    case plain
    case fence
    case header
    case row(table: Int)

    var table: Int? {
        if case .row(let table) = self { return table }
        return nil
    }
}

private struct Unit {
    var start: Int
    var end: Int
    var role: Role
}

/// The field cut into units with their roles, once; packing may run several times (step 8).
private struct Source {
    let bytes: [UInt8]
    var units: [Unit] = []
    /// Each table's header unit (header line + separator line), by table index.
    var headers: [Range<Int>] = []

    init(bytes: [UInt8], syntax: SplitSyntax) {
        self.bytes = bytes
        var lines: [Range<Int>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == newline {
            lines.append(start..<(index + 1))
            start = index + 1
        }
        if start < bytes.count { lines.append(start..<bytes.count) }
        units.reserveCapacity(lines.count)

        guard syntax == .markdown else {
            units = lines.map { Unit(start: $0.lowerBound, end: $0.upperBound, role: .plain) }
            return
        }
        // step 2 in one pass over the lines; step 3 only for lines that are neither header nor row.
        var table: Int? = nil
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let startsWithPipe = bytes[line.lowerBound] == pipe
            if let current = table, startsWithPipe {
                units.append(Unit(start: line.lowerBound, end: line.upperBound, role: .row(table: current)))
                index += 1
                continue
            }
            table = nil
            if startsWithPipe, index + 1 < lines.count, isSeparator(lines[index + 1]) {
                let header = line.lowerBound..<lines[index + 1].upperBound
                table = headers.count
                headers.append(header)
                units.append(Unit(start: header.lowerBound, end: header.upperBound, role: .header))
                index += 2
                continue
            }
            units.append(Unit(start: line.lowerBound, end: line.upperBound, role: isFence(line) ? .fence : .plain))
            index += 1
        }
    }

    /// Starts with "|" and holds only '|', '-', ':' and ' ' before its "\n".
    private func isSeparator(_ line: Range<Int>) -> Bool {
        guard bytes[line.lowerBound] == pipe else { return false }
        let end = bytes[line.upperBound - 1] == newline ? line.upperBound - 1 : line.upperBound
        for byte in bytes[line.lowerBound..<end] {
            switch byte {
            case pipe, 0x2D, 0x3A, space: continue
            default: return false
            }
        }
        return true
    }

    /// After leading U+0020 spaces only, "```".
    private func isFence(_ line: Range<Int>) -> Bool {
        var index = line.lowerBound
        while index < line.upperBound && bytes[index] == space { index += 1 }
        guard line.upperBound - index >= 3 else { return false }
        return bytes[index] == backtick && bytes[index + 1] == backtick && bytes[index + 2] == backtick
    }
}

/// All parts' gathered texts in one buffer (closers included, trailing "\n"s not yet removed).
private struct Packed {
    var out: [UInt8]
    var parts: [Range<Int>]
}

/// One run of steps 5–7 with a given marker reserve.
private struct Packer {
    let source: Source
    let limit: Int
    let marker: Int
    /// What besides the text takes the room, and the fix, for the no-room error of a part with no prefix.
    let roomNote: String

    var out: [UInt8] = []
    var parts: [Range<Int>] = []
    var partStart = 0
    /// Size of the prefix the current part started with: a part only grows, so it "holds
    /// nothing besides its prefix" exactly when its size is still this (step 7).
    var startedWith = 0
    var fenceOpen = false
    /// The line that opened the fence (step 3), and whether a "\n" must be added when repeating it.
    var fenceLine: Range<Int> = 0..<0
    var fenceLineNeedsNewline = false

    static func pack(_ source: Source, limit: Int, marker: Int, roomNote: String) -> Result<Packed, SplitFailure> {
        var packer = Packer(source: source, limit: limit, marker: marker, roomNote: roomNote)
        // Prefixes and closers add a little; avoid regrowing the buffer for the common case.
        packer.out.reserveCapacity(source.bytes.count + source.bytes.count / 16 + 64)
        if let failure = packer.run() { return .failure(failure) }
        return .success(Packed(out: packer.out, parts: packer.parts))
    }

    private var fenceLineSize: Int { fenceLine.count + (fenceLineNeedsNewline ? 1 : 0) }

    private mutating func run() -> SplitFailure? {
        let bytes = source.bytes
        for unit in source.units {
            var start = unit.start
            var role = unit.role
            let end = unit.end
            while true {
                let length = end - start
                let toggles = role == .fence
                // step 4: the closer is reserved when a fence is open after this unit joins.
                let openAfter = toggles ? !fenceOpen : fenceOpen
                let reserve = marker + (openAfter ? 4 : 0)
                let partSize = out.count - partStart
                if partSize + length + reserve <= limit {
                    out.append(contentsOf: bytes[start..<end])
                    if toggles { toggleFence(line: start..<end) }
                    break
                }
                let table = role.table
                guard partSize == 0 || partEqualsPrefix(table: table) else {
                    // step 5: closing and starting over from the prefix may make room.
                    closePart()
                    startPart(table: table)
                    continue
                }
                // step 6: closing would only give the same part again, so cut the unit instead.
                // The unit did not fit, so `room < length` and the cut never takes all of it.
                var cut = limit - partSize - reserve
                while cut > 0 && bytes[start + cut] & 0xC0 == 0x80 { cut -= 1 }
                guard cut > 0 else { return noRoom(partSize: partSize) }
                out.append(contentsOf: bytes[start..<(start + cut)])
                if toggles { toggleFence(line: start..<end) }
                closePart()
                startPart(table: table)
                start += cut
                role = table.map { .row(table: $0) } ?? .plain
            }
        }
        // step 7: the last part gets no closer and is dropped if it holds only its prefix.
        if out.count - partStart != startedWith {
            parts.append(partStart..<out.count)
        }
        return nil
    }

    private mutating func toggleFence(line: Range<Int>) {
        if fenceOpen {
            fenceOpen = false
        } else {
            fenceOpen = true
            fenceLine = line
            fenceLineNeedsNewline = source.bytes[line.upperBound - 1] != newline
        }
    }

    /// step 5's "part's text == P", P being the prefix a new part would get for this unit.
    private func partEqualsPrefix(table: Int?) -> Bool {
        let fenceSize = fenceOpen ? fenceLineSize : 0
        let header = table.map { source.headers[$0] } ?? 0..<0
        guard out.count - partStart == fenceSize + header.count else { return false }
        var index = partStart
        if fenceOpen {
            guard out[index..<(index + fenceLine.count)].elementsEqual(source.bytes[fenceLine]) else { return false }
            index += fenceLine.count
            if fenceLineNeedsNewline {
                guard out[index] == newline else { return false }
                index += 1
            }
        }
        return out[index...].elementsEqual(source.bytes[header])
    }

    /// step 7: a part closed inside a fence ends the fence, so each part renders on its own.
    private mutating func closePart() {
        if fenceOpen {
            if out.count == partStart || out[out.count - 1] != newline { out.append(newline) }
            out.append(contentsOf: closerLine)
        }
        parts.append(partStart..<out.count)
        partStart = out.count
    }

    /// step 5: the open fence's line, then the row's table header.
    private mutating func startPart(table: Int?) {
        if fenceOpen {
            out.append(contentsOf: source.bytes[fenceLine])
            if fenceLineNeedsNewline { out.append(newline) }
        }
        if let table { out.append(contentsOf: source.bytes[source.headers[table]]) }
        startedWith = out.count - partStart
    }

    private func noRoom(partSize: Int) -> SplitFailure {
        if partSize > 0 {
            return SplitFailure(message: "the repeated fence/table header leaves no room within the \(limit)-byte limit; shorten the header or the fence line")
        }
        return SplitFailure(message: "the \(limit)-byte limit leaves no room for any text beside \(roomNote)")
    }
}
