import CSV
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

    public static func parse(_ text: String) -> Result<[Value], Failure> {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false)
        } catch {
            return .failure(.unreadable("\(error)"))
        }
        guard let header = reader.next(), !header.allSatisfy(\.isEmpty) else { return .failure(.noHeader) }
        var seen = Set<String>()
        if let dup = header.first(where: { !seen.insert($0).inserted }) { return .failure(.duplicateColumn(dup)) }
        var rows: [Value] = []
        var index = 0
        while let fields = reader.next() {
            index += 1
            if fields.count == 1, fields[0].isEmpty { continue }
            guard fields.count == header.count else {
                return .failure(.fieldCount(row: index, fields: fields.count, header: header.count))
            }
            rows.append(.map(OrderedMap(distinctKeys: header, values: fields.map { .string($0) })))
        }
        if let error = reader.error { return .failure(.unreadable("\(error)")) }
        return .success(rows)
    }
}
