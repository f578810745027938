@_spi(Testing) @testable import HeraldCore
import HeraldTemplate
import PropertyBased
import Testing

/// A large CSV is cut into pieces that are parsed at once; the rows, and the first error with
/// its row number, must be exactly those of parsing it whole.
@Suite struct CSVPiecesTests {
    @Test func piecesParseExactlyAsTheWholeText() async {
        await propertyCheck(count: 400, input: RandomCSV.generator) { text in
            let whole = CSVRows.parse(text, pieces: 1, minimumBytes: 0)
            for pieces in [2, 3, 5, 8] {
                #expect(CSVRows.parse(text, pieces: pieces, minimumBytes: 0) == whole, "\(pieces) pieces of \(text.debugDescription)")
            }
        }
    }

    /// Records without `"` or CR are split here, the rest read by CSV.swift: the rows, and the
    /// first error, must be exactly those of CSV.swift reading every record.
    @Test func plainRecordsSplitHereReadAsCSVSwiftReadsThem() async {
        for generator in [RandomCSV.generator, RandomCSV.plainGenerator, RandomCSV.quotedGenerator] {
            await propertyCheck(count: 400, input: generator) { text in
                let reference = CSVRows.parse(text, pieces: 1, minimumBytes: 0, plainRecordsHere: false)
                for pieces in [1, 3] {
                    #expect(CSVRows.parse(text, pieces: pieces, minimumBytes: 0, plainRecordsHere: true) == reference,
                            "\(pieces) pieces of \(text.debugDescription)")
                }
            }
        }
    }

    @Test func plainRecordEdgeCasesReadAsCSVSwiftReadsThem() {
        let texts = [
            "", "\n", "\n\n", "h", "h\n", "h\n\n", "\nh\n1\n", "h\n1", "h\n1\n", "h\n1\n\n\n2\n",
            "a,b\n1,\n,2\n,\n", "a,b\n1,2,\n", "a,b\n1\n", " a , b \n 1 , 2 \n", "a,b\n\t1,2\t\n",
            "\u{FEFF}a,b\n1,2\n", "a,b\n\u{FEFF}1,2\n", "é,中\n😀,x\n", "a,a\n1,2\n", ",\n1,2\n",
            "a,b\n1,\"2\"\n3,4\n", "a,b\n1,\"2\n2\"\n3,4", "a,b\r\n1,2\r\n3,4\n", "a,b\n1,2\r3,4\n5,6\n",
            "a,b\n1,2\r", "a,b\n1,x\"y\n3,4\n", "a,b\n\"1\"x,2\n3,4\n", "a,b\n\"1,2\n3,4\n", "a,b\n\"\"\"\",2\n",
            "a,b\n\"1\"\r\n3,4\n", "a,b\n\"1\"\r3,4\n", "a\n\"x\",\n",
            // Quoted fields read here (no quote, CR or LF inside; a comma, LF or the end after).
            "a\n\"x\"", "a\n\"x\"\n", "a,b\n\"x\",\"y\"\n", "a,b\n\"x, y\",2\n", "a,b\n\"\",\"\"\n", "\"h\",b\n1,\"2\"\n",
            "a,b\n1,\"2\"\n\n\"3\",4", "a\n\"é中😀\"\n", "a,b\n\"x\",\n", "a,b,c\n\"x\",,\"z\"\n",
            // …and the ones that are not, handed to CSV.swift.
            "a\n\"x\" \n", "a\n\"x\"y\n", "a,b\n\"1\",\"2\"\"\"\n", "a\n\"x", "a\n\"x\n", "a\n\"x\ny\"\n",
            "a\n\"x\ry\"\n", "a\n\"x\"\r\n", "a\n \"x\"\n", "a,b\n\"x\"\"\",2\n", "\u{FEFF}\"a\"\n1\n",
        ]
        for text in texts {
            let reference = CSVRows.parse(text, pieces: 1, minimumBytes: 0, plainRecordsHere: false)
            #expect(CSVRows.parse(text, pieces: 1, minimumBytes: 0, plainRecordsHere: true) == reference, "\(text.debugDescription)")
            #expect(CSVRows.parse(text, pieces: 2, minimumBytes: 0, plainRecordsHere: true) == reference, "\(text.debugDescription)")
        }
        // A BOM is not CSV.swift's to remove (given a String): it stays in the first column's name.
        #expect(CSVRows.parse("\u{FEFF}a\n1\n") == .success([.map(["\u{FEFF}a": "1"])]))
    }

    @Test func cutsFallOnlyBetweenRecords() {
        func cuts(_ text: String, _ pieces: Int) -> [Int] {
            var text = text
            return text.withUTF8 { CSVRecordScanner.cuts(in: $0, pieces: pieces) }
        }
        // Asked for more pieces than records, every record end is a cut. A newline inside
        // quotes is not a record end; the one after the quoted field is.
        #expect(cuts("h\n\"a\nb\"\nc\nd\n", 100) == [2, 8, 10])
        // Fewer pieces: the first record end at or past each equal share.
        #expect(cuts("h\n\"a\nb\"\nc\nd\n", 4) == [8])
        // CRLF ends a record after its LF; a lone CR is never cut after.
        #expect(cuts("h\r\nx\r\ny\r\n", 100) == [3, 6])
        #expect(cuts("h\rx\ry\nz\n", 100) == [6])
        // A quote inside an unquoted field: no cuts, the reader decides alone.
        #expect(cuts("h\nab\"c\nd\ne\n", 4).isEmpty)
        #expect(cuts("h\n\"ab\"c\nd\n", 3).isEmpty)
    }

    /// A record is read wholly here or wholly by CSV.swift: one `""` anywhere in it hands the
    /// whole record over, its plain fields included, and the next record is read here again.
    @Test func eachRecordIsReadWhollyByOneReader() {
        func records(_ text: String) -> [(end: Int, readHere: Bool)]? {
            var text = text
            return text.withUTF8 { bytes in
                var out: [(end: Int, readHere: Bool)] = []
                var i = 0
                while i < bytes.count {
                    var fields: [Value] = []
                    guard let r = CSVRecordScanner.scan(bytes, from: i, collecting: true, into: &fields) else { return nil }
                    out.append((r.end, r.readHere))
                    i = r.end
                }
                return out
            }
        }
        let text = "a,b\n1,\"x\"\"y\"\n\"2\",3\n4,\"m\nn\"\n5,6\r\n7,\"8\""
        #expect(records(text)?.map(\.end) == [4, 13, 19, 27, 32, 37])
        #expect(records(text)?.map(\.readHere) == [true, false, true, false, false, true])
        #expect(CSVRows.parse(text) == .success([
            .map(["a": "1", "b": "x\"y"]), .map(["a": "2", "b": "3"]), .map(["a": "4", "b": "m\nn"]),
            .map(["a": "5", "b": "6"]), .map(["a": "7", "b": "8"]),
        ]))
        // A quote CSV.swift would recover from: no record end, the whole text goes to CSV.swift.
        #expect(records("a\nx\"y\n") == nil)
        #expect(records("a\n\"x\"y\n") == nil)
    }

    @Test func aFieldCountErrorNamesTheSameRowFromAnyPiece() {
        var text = "a,b\n"
        for i in 0..<5000 { text += i == 4321 ? "x\n" : "\(i),\"v \(i)\"\n" }
        #expect(CSVRows.parse(text, pieces: 7, minimumBytes: 0) == .failure(.fieldCount(row: 4322, fields: 1, header: 2)))
        #expect(CSVRows.parse(text, pieces: 1, minimumBytes: 0) == .failure(.fieldCount(row: 4322, fields: 1, header: 2)))
    }
}

enum RandomCSV {
    static let fields = ["a", "b c", "", "1.5", "\"q,uoted\"", "\"multi\nline\"", "\"es\"\"caped\"", "\"cr\r\nlf\"",
                         "x\"y", "\"ab\"c", "é中", "\"\"", " s "]
    static let ends = ["\n", "\r\n", "\r", "\n\n", "\n"]

    static let generator = Generator<String, Shrink.None<String>>(run: { rng in text(&rng) })

    /// No quotes and no CR: every record is split here.
    static let plainFields = ["a", "b c", "", "1.5", "é中", " s ", "\u{FEFF}", "x\ty", "😀"]
    static let plainGenerator = Generator<String, Shrink.None<String>>(run: { rng in plainText(&rng) })

    static func plainText(_ rng: inout any SeededRandomNumberGenerator) -> String {
        let columns = 1 + pick(3, &rng)
        var text = pick(6, &rng) == 0 ? "\u{FEFF}" : ""
        if pick(8, &rng) != 0 { text += (1...columns).map { "h\($0)" }.joined(separator: ",") + "\n" }
        for _ in 0..<pick(40, &rng) {
            let width = pick(12, &rng) == 0 ? 1 + pick(4, &rng) : columns
            text += (0..<width).map { _ in plainFields[pick(plainFields.count, &rng)] }.joined(separator: ",")
            text += pick(8, &rng) == 0 ? "\n\n" : "\n"
        }
        if !text.isEmpty, pick(3, &rng) == 0 { text.removeLast() }
        return text
    }

    /// Mostly fields quoted whole with no quote, CR or LF inside (read here), among the
    /// other kinds, with LF line ends.
    static let quotedFields = ["\"a\"", "\"b, c\"", "\"\"", "\"é中 😀\"", "\" s \"", "\"x\ty\"", "plain", "",
                               "\"es\"\"c\"", "\"x\"y", "\"multi\nline\"", "\"cr\rin\"", " \"sp\"", "\"un"]
    static let quotedGenerator = Generator<String, Shrink.None<String>>(run: { rng in quotedText(&rng) })

    static func quotedText(_ rng: inout any SeededRandomNumberGenerator) -> String {
        let columns = 1 + pick(3, &rng)
        var text = (1...columns).map { "h\($0)" }.joined(separator: ",") + "\n"
        for _ in 0..<pick(40, &rng) {
            let width = pick(12, &rng) == 0 ? 1 + pick(4, &rng) : columns
            // Three in four fields from the simple quoted kinds.
            text += (0..<width).map { _ in quotedFields[pick(4, &rng) == 0 ? pick(quotedFields.count, &rng) : pick(6, &rng)] }
                .joined(separator: ",")
            text += pick(8, &rng) == 0 ? "\n\n" : "\n"
        }
        if pick(3, &rng) == 0 { text.removeLast() }
        return text
    }

    static func pick(_ n: Int, _ rng: inout any SeededRandomNumberGenerator) -> Int { Int(rng.next() % UInt64(n)) }

    static func text(_ rng: inout any SeededRandomNumberGenerator) -> String {
        let columns = 1 + pick(3, &rng)
        var text = pick(4, &rng) == 0 ? "" : (1...columns).map { "h\($0)" }.joined(separator: ",") + "\n"
        for _ in 0..<pick(40, &rng) {
            // Mostly the header's width, sometimes not (a field-count error somewhere).
            let width = pick(12, &rng) == 0 ? 1 + pick(4, &rng) : columns
            text += (0..<width).map { _ in fields[pick(fields.count, &rng)] }.joined(separator: ",")
            text += ends[pick(ends.count, &rng)]
        }
        if !text.isEmpty, pick(3, &rng) == 0 { text.removeLast() }
        return text
    }
}
