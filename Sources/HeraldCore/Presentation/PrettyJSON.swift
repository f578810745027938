import HeraldTemplate

/// Indented JSON for reading (`--format pretty`, `render`); same escapes and key order as the exact form.
package enum PrettyJSON {
    package static func string(_ value: Value, indent: String = "  ") -> String {
        var out: [UInt8] = []
        write(value, level: 0, indent: Array(indent.utf8), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func write(_ value: Value, level: Int, indent: [UInt8], to out: inout [UInt8]) {
        func newline(_ level: Int) {
            out.append(0x0A)
            for _ in 0..<level { out.append(contentsOf: indent) }
        }
        switch value {
        case .list(let items) where !items.isEmpty:
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                write(item, level: level + 1, indent: indent, to: &out)
            }
            newline(level)
            out.append(UInt8(ascii: "]"))
        case .map(let map) where !map.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (i, pair) in map.pairs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                JSONWriter.appendString(pair.key, to: &out)
                out.append(contentsOf: ": ".utf8)
                write(pair.value, level: level + 1, indent: indent, to: &out)
            }
            newline(level)
            out.append(UInt8(ascii: "}"))
        default:
            JSONWriter.append(value, to: &out)
        }
    }
}
