import CSV
import Foundation
import HeraldTemplate

/// A CSV text's rows as maps keyed by the header row, columns in order (RFC 4180 quoting:
/// fields may hold commas, `""` and newlines). A blank line is skipped.
///
/// CSV.swift is the reader. Text holding no `"` and no CR is split here instead, on its LFs
/// and commas, which is exactly what CSV.swift makes of it (docs/performance.md): a record,
/// or a record's fields before the first one holding a `"` or CR — a field that is all
/// quoted, with no `"`, CR or LF inside, is read here too. Everything else is read by
/// CSV.swift.
package enum CSVRows {
    package enum Failure: Error, Equatable {
        case noHeader
        case duplicateColumn(String)
        /// `row` is 1-based, counted after the header.
        case fieldCount(row: Int, fields: Int, header: Int)
        case unreadable(String)
    }

    /// `pieces`: how many parts a large text is cut into and parsed at once.
    package static func parse(_ text: String, pieces: Int = 1, minimumBytes: Int = 16 << 10) -> Result<[Value], Failure> {
        parse(text, pieces: pieces, minimumBytes: minimumBytes, plainRecordsHere: true)
    }

    /// `plainRecordsHere: false` hands every record to CSV.swift: the reference the
    /// differential tests and the CSV fuzz target compare the split-here records with.
    package static func parse(_ text: String, pieces: Int, minimumBytes: Int, plainRecordsHere: Bool) -> Result<[Value], Failure> {
        let pieces = text.utf8.count >= minimumBytes ? max(1, pieces) : 1
        let parts: [[[Value]]]
        switch readRecords(text, pieces: pieces, plainRecordsHere: plainRecordsHere) {
        case .success(let r): parts = r
        case .failure(let f): return .failure(f)
        }
        guard let headerFields = parts.first?.first else { return .failure(.noHeader) }
        let header = headerFields.map { $0.stringValue ?? "" }
        guard !header.allSatisfy(\.isEmpty) else { return .failure(.noHeader) }
        var seen = Set<String>()
        if let dup = header.first(where: { !seen.insert($0).inserted }) { return .failure(.duplicateColumn(dup)) }
        // Rows are built piece by piece at once too; a record's number counts from the header (0).
        let firstIndex = parts.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count) }
        let count = firstIndex[parts.count]
        let built = Slots<Result<[Value], Failure>>(count: parts.count)
        let build: @Sendable (Int) -> Void = { p in
            var rows: [Value] = []
            rows.reserveCapacity(parts[p].count)
            for (j, fields) in parts[p].enumerated() {
                let index = firstIndex[p] + j
                if index == 0 || (fields.count == 1 && fields[0] == .string("")) { continue }
                guard fields.count == header.count else {
                    built.store(p, .failure(.fieldCount(row: index, fields: fields.count, header: header.count)))
                    return
                }
                rows.append(.map(OrderedMap(distinctKeys: header, values: fields)))
            }
            built.store(p, .success(rows))
        }
        if parts.count == 1 {
            // One piece: its rows are the rows (no copy).
            build(0)
            return built.take(0) ?? .success([])
        }
        DispatchQueue.concurrentPerform(iterations: parts.count, execute: build)
        var rows: [Value] = []
        rows.reserveCapacity(count)
        for p in parts.indices {
            switch built.take(p) {
            case .success(let r)?: rows += r
            case .failure(let f)?: return .failure(f)
            case nil: break
            }
        }
        return .success(rows)
    }

    /// Every record of the text, the header first, in pieces read at once (in order); each
    /// field a `.string`.
    private static func readRecords(_ text: String, pieces: Int, plainRecordsHere: Bool) -> Result<[[[Value]]], Failure> {
        var text = text
        let parts: [String] = text.withUTF8 { bytes in
            var starts = [0] + CSVRecordBoundaries.cuts(in: bytes, pieces: pieces)
            starts.append(bytes.count)
            guard starts.count > 2 else { return [] }
            return (0..<starts.count - 1).map {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[starts[$0]..<starts[$0 + 1]]), as: UTF8.self)
            }
        }
        let read: @Sendable (String) -> Result<[[Value]], Failure> = { piece in
            plainRecordsHere ? readPiece(piece) : readAll(piece).map { $0.map { $0.map(Value.string) } }
        }
        guard !parts.isEmpty else { return read(text).map { [$0] } }
        let results = Slots<Result<[[Value]], Failure>>(count: parts.count)
        DispatchQueue.concurrentPerform(iterations: parts.count) { i in
            results.store(i, read(parts[i]))
        }
        var records: [[[Value]]] = []
        for i in parts.indices {
            switch results.take(i) {
            case .success(let r)?: records.append(r)
            case .failure(let f)?: return .failure(f)
            case nil: records.append([])
            }
        }
        return .success(records)
    }

    /// A piece's records, split here up to the first field holding a `"` or CR; that field
    /// and the rest of its record (in order with the other such rests, as one text) are read
    /// by CSV.swift. CSV.swift starts every field in the same state, whatever came before it
    /// in the record, and `CSVRecordBoundaries.recordEnd` ends a record where CSV.swift ends
    /// it, so each rest reads as it would in place. Should a quote be one CSV.swift recovers
    /// from, or the records it returns not be the rests handed over, the whole piece is read
    /// by CSV.swift.
    static func readPiece(_ piece: String) -> Result<[[Value]], Failure> {
        var piece = piece
        let mixed: [[Value]]? = piece.withUTF8 { bytes in
            let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
            var records: [[Value]] = []
            var handedOver: [UInt8] = []
            var slots: [Int] = []
            var width = 1
            var i = 0
            while i < bytes.count {
                // Fields up to the record's LF (or the text's end), or up to the first field
                // holding a quote or CR; records are mostly as wide as the one before.
                var fields: [Value] = []
                fields.reserveCapacity(width)
                var fieldStart = i
                var end = i
                var plain = true
                // The record's last field was quoted and is already in `fields`.
                var lastFieldTaken = false
                while end < bytes.count {
                    let b = bytes[end]
                    if b == lf { break }
                    if b == comma {
                        fields.append(field(bytes, fieldStart..<end))
                        fieldStart = end + 1
                    } else if b == quote, end == fieldStart, let close = simpleQuotedEnd(bytes, from: end) {
                        // `"…"` holding no quote, CR or LF, followed by a comma, LF or the
                        // end: its inside is the field, as CSV.swift reads it.
                        fields.append(field(bytes, end + 1..<close))
                        end = close + 1
                        if end < bytes.count, bytes[end] == comma {
                            fieldStart = end + 1
                            end += 1
                            continue
                        }
                        lastFieldTaken = true
                        break
                    } else if b == quote || b == cr {
                        plain = false
                        break
                    }
                    end += 1
                }
                if plain {
                    if !lastFieldTaken { fields.append(field(bytes, fieldStart..<end)) }
                    width = fields.count
                    records.append(fields)
                    i = end + 1
                } else {
                    guard let recordEnd = CSVRecordBoundaries.recordEnd(in: bytes, from: fieldStart) else { return nil }
                    slots.append(records.count)
                    records.append(fields)
                    handedOver.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[fieldStart..<recordEnd]))
                    i = recordEnd
                }
            }
            guard !handedOver.isEmpty else { return records }
            // The rests start and end at ASCII bytes of valid UTF-8: the text decodes unchanged.
            guard case .success(let read) = readAll(String(decoding: handedOver, as: UTF8.self)), read.count == slots.count else {
                return nil
            }
            for (slot, rest) in zip(slots, read) {
                records[slot].reserveCapacity(records[slot].count + rest.count)
                for text in rest { records[slot].append(.string(text)) }
            }
            return records
        }
        if let mixed { return .success(mixed) }
        return readAll(piece).map { $0.map { $0.map(Value.string) } }
    }

    /// The closing quote of the quoted field opening at `open`, when the field is the simple
    /// kind read here: no quote (so no `""`), CR or LF inside, and a comma, LF or the text's
    /// end right after it. Nil hands the field to CSV.swift.
    @inline(__always)
    private static func simpleQuotedEnd(_ bytes: UnsafeBufferPointer<UInt8>, from open: Int) -> Int? {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), comma = UInt8(ascii: ",")
        var j = open + 1
        while j < bytes.count {
            let b = bytes[j]
            if b == quote { break }
            if b == cr || b == lf { return nil }
            j += 1
        }
        guard j < bytes.count else { return nil }
        let after = j + 1
        guard after == bytes.count || bytes[after] == comma || bytes[after] == lf else { return nil }
        return j
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

    private static func readAll(_ text: String) -> Result<[[String]], Failure> {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false)
        } catch {
            return .failure(.unreadable("\(error)"))
        }
        var records: [[String]] = []
        while let fields = reader.next() { records.append(fields) }
        if let error = reader.error { return .failure(.unreadable("\(error)")) }
        return .success(records)
    }
}
