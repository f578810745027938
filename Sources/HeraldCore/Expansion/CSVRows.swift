import CSV
import Foundation
import HeraldTemplate

/// A CSV text's rows as maps keyed by the header row, columns in order (RFC 4180 quoting:
/// fields may hold commas, `""` and newlines). A blank line is skipped.
public enum CSVRows {
    public enum Failure: Error, Equatable {
        case noHeader
        case duplicateColumn(String)
        /// `row` is 1-based, counted after the header.
        case fieldCount(row: Int, fields: Int, header: Int)
        case unreadable(String)
    }

    /// `pieces`: how many parts a large text is cut into and parsed at once (CSV.swift reads
    /// a scalar at a time, about a sixth of a 100k-row job's work, while the renderers wait).
    public static func parse(_ text: String, pieces: Int = 1, minimumBytes: Int = 16 << 10) -> Result<[Value], Failure> {
        let pieces = text.utf8.count >= minimumBytes ? max(1, pieces) : 1
        let parts: [[[String]]]
        switch readRecords(text, pieces: pieces) {
        case .success(let r): parts = r
        case .failure(let f): return .failure(f)
        }
        guard let header = parts.first?.first, !header.allSatisfy(\.isEmpty) else { return .failure(.noHeader) }
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
                if index == 0 || (fields.count == 1 && fields[0].isEmpty) { continue }
                guard fields.count == header.count else {
                    built.store(p, .failure(.fieldCount(row: index, fields: fields.count, header: header.count)))
                    return
                }
                rows.append(.map(OrderedMap(distinctKeys: header, values: fields.map { .string($0) })))
            }
            built.store(p, .success(rows))
        }
        if parts.count == 1 { build(0) } else { DispatchQueue.concurrentPerform(iterations: parts.count, execute: build) }
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

    /// Every record of the text, the header first, in pieces read at once (in order).
    private static func readRecords(_ text: String, pieces: Int) -> Result<[[[String]]], Failure> {
        var text = text
        let parts: [String] = text.withUTF8 { bytes in
            var starts = [0] + CSVRecordBoundaries.cuts(in: bytes, pieces: pieces)
            starts.append(bytes.count)
            guard starts.count > 2 else { return [] }
            return (0..<starts.count - 1).map {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[starts[$0]..<starts[$0 + 1]]), as: UTF8.self)
            }
        }
        guard !parts.isEmpty else { return readAll(text).map { [$0] } }
        let results = Slots<Result<[[String]], Failure>>(count: parts.count)
        DispatchQueue.concurrentPerform(iterations: parts.count) { i in
            results.store(i, readAll(parts[i]))
        }
        var records: [[[String]]] = []
        for i in parts.indices {
            switch results.take(i) {
            case .success(let r)?: records.append(r)
            case .failure(let f)?: return .failure(f)
            case nil: records.append([])
            }
        }
        return .success(records)
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
