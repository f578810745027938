/// Where a CSV record ends, following RFC 4180 as CSV.swift reads it; and so where a text
/// can be cut into pieces that parse, one by one, into exactly the records of the whole.
///
/// A quote it cannot place (inside an unquoted field, or after a closing quote) makes the
/// reader's own recovery decide, so then there is no end (and no cuts): the text goes to
/// CSV.swift in one piece.
enum CSVRecordBoundaries {
    /// Up to `pieces - 1` cut offsets near equal shares of `bytes`, ascending, each just after
    /// a line feed that ends a record; empty when the text should not be cut.
    static func cuts(in bytes: UnsafeBufferPointer<UInt8>, pieces: Int) -> [Int] {
        guard pieces > 1 else { return [] }
        var cuts: [Int] = []
        let share = bytes.count / pieces
        var nextTarget = share
        var i = 0
        while i < bytes.count {
            guard let end = recordEnd(in: bytes, from: i) else { return [] }
            // Only after a line feed: a piece never ends in a lone CR.
            if bytes[end - 1] == UInt8(ascii: "\n"), end >= nextTarget, end < bytes.count {
                cuts.append(end)
                if cuts.count == pieces - 1 { return cuts }
                nextTarget = end + share
            }
            i = end
        }
        return cuts
    }

    /// The offset just past the record that starts at `start` (< `bytes.count`): past its LF,
    /// CR LF or lone CR, or the end of the text. Nil for a quote CSV.swift would recover from.
    ///
    /// CSV.swift ends a record at an unquoted CR or LF (a CR takes the LF after it) and at the
    /// end of the text; a field that starts with a quote runs to the quote that is not doubled.
    static func recordEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
        var state = State.fieldStart
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            switch state {
            case .fieldStart, .unquoted:
                if b == quote {
                    if state == .unquoted { return nil }
                    state = .quoted
                } else if b == comma {
                    state = .fieldStart
                } else if b == lf {
                    return i + 1
                } else if b == cr {
                    return i + 1 < bytes.count && bytes[i + 1] == lf ? i + 2 : i + 1
                } else {
                    state = .unquoted
                }
            case .quoted:
                if b == quote { state = .quoteInQuoted }
            case .quoteInQuoted:
                if b == quote {
                    state = .quoted
                } else if b == comma {
                    state = .fieldStart
                } else if b == cr || b == lf {
                    state = .unquoted  // the field has ended; the terminator is handled there
                    continue
                } else {
                    return nil
                }
            }
            i += 1
        }
        return bytes.count
    }
}
