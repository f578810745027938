import HeraldTemplate

/// Herald's one CSV scanner: where a record ends, following RFC 4180 as CSV.swift reads it,
/// and, on the way, the record's fields when it is the simple kind read here. The same walk
/// cuts a large text into pieces that parse, one by one, into exactly the records of the whole.
///
/// A record is read here when every field is unquoted (no `"`) or quoted whole with no `"`,
/// CR or LF inside, and it ends at an LF or the end of the text; any other record is read
/// wholly by CSV.swift (`CSVRows`). A quote the scanner cannot place (inside an unquoted
/// field, or after a closing quote) makes the reader's own recovery decide, so then there is
/// no end (and no cuts): the text goes to CSV.swift in one piece.
///
/// CSV.swift ends a record at an unquoted CR or LF (a CR takes the LF after it) and at the
/// end of the text; a field that starts with a quote runs to the quote that is not doubled.
enum CSVRecordScanner {
    /// One record's walk.
    struct Record {
        /// The offset just past the record: past its LF, CR LF or lone CR, or the text's end.
        var end: Int
        /// The fields were all collected: the record is read here, not by CSV.swift.
        var readHere: Bool
    }

    /// Up to `pieces - 1` cut offsets near equal shares of `bytes`, ascending, each just after
    /// a line feed that ends a record; empty when the text should not be cut.
    static func cuts(in bytes: UnsafeBufferPointer<UInt8>, pieces: Int) -> [Int] {
        guard pieces > 1 else { return [] }
        var cuts: [Int] = []
        let share = bytes.count / pieces
        var nextTarget = share
        var unused: [Value] = []
        var i = 0
        while i < bytes.count {
            guard let end = scan(bytes, from: i, collecting: false, into: &unused)?.end else { return [] }
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

    /// Walks the record that starts at `start` (< `bytes.count`). With `collecting`, its
    /// fields are appended to `fields` for as long as it is the simple kind; once it is not,
    /// the walk only finds its end (and `fields` holds a prefix for the caller to drop).
    /// Nil for a quote CSV.swift would recover from.
    @inline(__always)
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, collecting: Bool, into fields: inout [Value]) -> Record? {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        let count = bytes.count
        var readHere = collecting
        var i = start
        // At the start of a field.
        while true {
            var next: UInt8
            var fieldEnd: Int
            if i < count, bytes[i] == quote {
                // A quoted field runs to the quote that is not doubled (or the text's end, which
                // CSV.swift reports as unclosed).
                var j = i + 1
                var simple = true
                while true {
                    guard j < count else { return Record(end: count, readHere: false) }
                    let b = bytes[j]
                    if b == quote {
                        if j + 1 < count, bytes[j + 1] == quote {
                            simple = false
                            j += 2
                            continue
                        }
                        break
                    }
                    if b == cr || b == lf { simple = false }
                    j += 1
                }
                if readHere {
                    if simple { fields.append(field(bytes, i + 1..<j)) } else { readHere = false }
                }
                fieldEnd = j + 1
                guard fieldEnd < count else { return Record(end: count, readHere: readHere) }
                next = bytes[fieldEnd]
                // Anything but a delimiter after the closing quote: CSV.swift's recovery decides.
                guard next == comma || next == lf || next == cr else { return nil }
            } else {
                var j = i
                while j < count {
                    let b = bytes[j]
                    if b == comma || b == lf || b == cr || b == quote { break }
                    j += 1
                }
                if readHere { fields.append(field(bytes, i..<j)) }
                guard j < count else { return Record(end: count, readHere: readHere) }
                next = bytes[j]
                // A quote inside an unquoted field: CSV.swift's recovery decides.
                guard next != quote else { return nil }
                fieldEnd = j
            }
            if next == comma {
                i = fieldEnd + 1
                continue
            }
            if next == lf { return Record(end: fieldEnd + 1, readHere: readHere) }
            // A CR (with the LF after it, if any) ends the record; CSV.swift reads such records.
            let end = fieldEnd + 1 < count && bytes[fieldEnd + 1] == lf ? fieldEnd + 2 : fieldEnd + 1
            return Record(end: end, readHere: false)
        }
    }

    /// `bytes[range]` as a string field. The bytes are a valid String's, cut at ASCII bytes,
    /// so they are made into a String without checking them again.
    @inline(__always)
    private static func field(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Value {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        #if compiler(>=6.2)
        if #available(macOS 26.0, iOS 26.0, tvOS 26.0, watchOS 26.0, visionOS 26.0, *) {
            return .string(String(copying: UTF8Span(unchecked: slice.span)))
        }
        #endif
        return .string(String(decoding: slice, as: UTF8.self))
    }
}
