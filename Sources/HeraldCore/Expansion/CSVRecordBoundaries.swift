/// Where a CSV text can be cut into pieces that parse, one by one, into exactly the records
/// of the whole: just after a line feed that ends a record (not one inside a quoted field).
///
/// The scan follows RFC 4180 as CSV.swift reads it. A quote it cannot place (inside an
/// unquoted field, or after a closing quote) makes the reader's own recovery decide, so then
/// there are no cuts and the text is parsed in one piece.
enum CSVRecordBoundaries {
    /// Up to `pieces - 1` cut offsets near equal shares of `bytes`, ascending; empty when the
    /// text should not be cut.
    static func cuts(in bytes: UnsafeBufferPointer<UInt8>, pieces: Int) -> [Int] {
        guard pieces > 1 else { return [] }
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        enum State { case fieldStart, unquoted, quoted, quoteInQuoted, afterCR }
        var state = State.fieldStart
        var cuts: [Int] = []
        let share = bytes.count / pieces
        var nextTarget = share
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch state {
            case .afterCR:
                state = .fieldStart
                if b == lf {
                    if i + 1 >= nextTarget, i + 1 < bytes.count {
                        cuts.append(i + 1)
                        if cuts.count == pieces - 1 { return cuts }
                        nextTarget = i + 1 + share
                    }
                    i += 1
                    continue
                }
                continue  // look at this byte again as the start of a field
            case .fieldStart, .unquoted:
                if b == quote {
                    if state == .unquoted { return [] }
                    state = .quoted
                } else if b == comma {
                    state = .fieldStart
                } else if b == cr {
                    state = .afterCR
                } else if b == lf {
                    state = .fieldStart
                    if i + 1 >= nextTarget, i + 1 < bytes.count {
                        cuts.append(i + 1)
                        if cuts.count == pieces - 1 { return cuts }
                        nextTarget = i + 1 + share
                    }
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
                    state = .unquoted  // the field has ended; let the terminator be handled there
                    continue
                } else {
                    return []
                }
            }
            i += 1
        }
        return cuts
    }
}
