import CSV
import Foundation
import HeraldTemplate

/// A CSV text's rows as maps keyed by the header row, columns in order (RFC 4180 quoting:
/// fields may hold commas, `""` and newlines). A blank line is skipped.
///
/// Each record is read wholly by one of two readers: `CSVRecordScanner` splits a record whose
/// fields are unquoted or quoted whole (no `"`, CR or LF inside) and that ends at an LF, which
/// is exactly what CSV.swift makes of it (docs/performance.md); every other record is read by
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
        let built = ThreadResults<Result<[Value], Failure>>(count: parts.count)
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
            var starts = [0] + CSVRecordScanner.cuts(in: bytes, pieces: pieces)
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
        let results = ThreadResults<Result<[[Value]], Failure>>(count: parts.count)
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

    /// A piece's records, each read wholly by one reader: `CSVRecordScanner` reads the simple
    /// ones (fields unquoted or quoted whole, an LF or the end after) and finds where every
    /// other one ends; those others go, whole and in order, as one text, to CSV.swift. A record
    /// is never split between the two. CSV.swift starts each record in the same state, and the
    /// scanner ends a record where CSV.swift ends it, so each reads as it would in place.
    /// Should a quote be one CSV.swift recovers from, or CSV.swift return other than one record
    /// for each handed over, the whole piece is read by CSV.swift.
    static func readPiece(_ piece: String) -> Result<[[Value]], Failure> {
        var piece = piece
        let mixed: [[Value]]? = piece.withUTF8 { bytes in
            var records: [[Value]] = []
            var handedOver: [UInt8] = []
            var slots: [Int] = []
            // Records are mostly as wide as the one before.
            var width = 1
            var i = 0
            while i < bytes.count {
                var fields: [Value] = []
                fields.reserveCapacity(width)
                guard let record = CSVRecordScanner.scan(bytes, from: i, collecting: true, into: &fields) else { return nil }
                if record.readHere {
                    width = fields.count
                    records.append(fields)
                } else {
                    slots.append(records.count)
                    records.append([])
                    handedOver.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<record.end]))
                }
                i = record.end
            }
            guard !handedOver.isEmpty else { return records }
            // Whole records start and end at ASCII bytes of valid UTF-8: the text decodes unchanged.
            guard case .success(let read) = readAll(String(decoding: handedOver, as: UTF8.self)), read.count == slots.count else {
                return nil
            }
            for (slot, fields) in zip(slots, read) { records[slot] = fields.map(Value.string) }
            return records
        }
        if let mixed { return .success(mixed) }
        return readAll(piece).map { $0.map { $0.map(Value.string) } }
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
