/// Compact JSON exactly as docs/job-file.md, "The plan and the bytes" pins it: UTF-8 as is, `/` not escaped, only `"`, `\` and
/// U+0000–U+001F escaped (`\n \r \t \b \f`, others `\u00XX` in lowercase hex).
///
/// A value is written in two passes: its exact length first, then its bytes through a
/// pointer into memory of that size. An array append per run of bytes (a uniqueness check
/// and a generic copy each time) cost more than the escaping itself.
public enum JSONWriter {
    public static func append(_ value: Value, to out: inout [UInt8]) {
        let length = encodedLength(value)
        if out.isEmpty {
            out = bytes(count: length) { write(value, to: $0) }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(length, 1)) { buffer in
            guard let start = buffer.baseAddress else { return }
            let end = write(value, to: start)
            out.append(contentsOf: UnsafeBufferPointer(start: start, count: end - start))
        }
    }

    /// An array of `count` bytes filled by `fill`, which gets where to start and returns
    /// where it stopped (at most `count` bytes on).
    public static func bytes(count: Int, _ fill: (UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: max(count, 1)) { buffer, written in
            guard let start = buffer.baseAddress else { return }
            written = fill(start) - start
        }
    }

    public static func appendString(_ string: String, to out: inout [UInt8]) {
        append(.string(string), to: &out)
    }

    /// At least the number of bytes `value` takes as JSON (each string byte counted as its
    /// longest escape, `\u00XX`), found without reading the strings' bytes.
    public static func maximumLength(_ value: Value) -> Int {
        switch value {
        case .null, .bool: return 5
        case .int: return 20
        case .double(let d): return formatDouble(d).utf8.count
        case .string(let s): return 2 + 6 * s.utf8.count
        case .list(let items):
            var n = 2 + items.count
            for item in items { n += maximumLength(item) }
            return n
        case .map(let map):
            var n = 2 + map.count
            map.forEachPair { key, value in n += 3 + 6 * key.utf8.count + maximumLength(value) }
            return n
        }
    }

    /// The number of bytes `value` takes as JSON.
    public static func encodedLength(_ value: Value) -> Int {
        switch value {
        case .null: return 4
        case .bool(let b): return b ? 4 : 5
        case .int(let i): return decimalLength(i)
        case .double(let d): return formatDouble(d).utf8.count
        case .string(let s): return stringLength(s)
        case .list(let items):
            var n = 2 + max(items.count - 1, 0)
            for item in items { n += encodedLength(item) }
            return n
        case .map(let map):
            var n = 2 + max(map.count - 1, 0)
            map.forEachPair { key, value in n += stringLength(key) + 1 + encodedLength(value) }
            return n
        }
    }

    /// Writes `value` at `p`, which has room for `encodedLength(value)` bytes; returns the end.
    public static func write(_ value: Value, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        switch value {
        case .null: return writeASCII("null", to: p)
        case .bool(let b): return writeASCII(b ? "true" : "false", to: p)
        case .int(let i): return writeDecimal(i, to: p)
        case .double(let d):
            var text = formatDouble(d)
            return text.withUTF8 { copy($0, to: p) }
        case .string(let s): return writeString(s, to: p)
        case .list(let items):
            var q = p
            q.pointee = UInt8(ascii: "[")
            q += 1
            for (i, item) in items.enumerated() {
                if i > 0 {
                    q.pointee = UInt8(ascii: ",")
                    q += 1
                }
                q = write(item, to: q)
            }
            q.pointee = UInt8(ascii: "]")
            return q + 1
        case .map(let map):
            var q = p
            q.pointee = UInt8(ascii: "{")
            q += 1
            var first = true
            map.forEachPair { key, value in
                if !first {
                    q.pointee = UInt8(ascii: ",")
                    q += 1
                }
                first = false
                q = writeString(key, to: q)
                q.pointee = UInt8(ascii: ":")
                q = write(value, to: q + 1)
            }
            q.pointee = UInt8(ascii: "}")
            return q + 1
        }
    }

    /// The length of `string` quoted and escaped.
    public static func stringLength(_ string: String) -> Int {
        var string = string
        return string.withUTF8 { 2 + escapedLength($0) }
    }

    /// Writes `string` quoted and escaped at `p`; returns the end.
    public static func writeString(_ string: String, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var string = string
        return string.withUTF8 { bytes in
            p.pointee = UInt8(ascii: "\"")
            let end = writeEscaped(bytes, to: p + 1)
            end.pointee = UInt8(ascii: "\"")
            return end + 1
        }
    }

    /// The length of `bytes` escaped (no quotes).
    public static func escapedLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var n = bytes.count
        var i = 0
        while i < bytes.count {
            // Eight bytes at a time up to the first that needs escaping (most text has
            // nothing to escape for dozens of bytes).
            if i + 8 <= bytes.count {
                let mask = escapeMask(UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)))
                if mask == 0 {
                    i += 8
                    continue
                }
                i += mask.trailingZeroBitCount >> 3
            }
            n += extraLength(base[i])
            i += 1
        }
        return n
    }

    /// Writes `bytes` escaped (no quotes) at `p`, which has room for `escapedLength(bytes)`;
    /// returns the end. Runs of plain bytes are copied eight at a time.
    public static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        guard let base = bytes.baseAddress else { return p }
        var q = p
        var i = 0
        while i < bytes.count {
            if i + 8 <= bytes.count {
                // All eight are stored, but only those before the first to escape are kept
                // (the output has room: it is at least as long as the input left).
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                UnsafeMutableRawPointer(q).storeBytes(of: word, as: UInt64.self)
                let mask = escapeMask(UInt64(littleEndian: word))
                if mask == 0 {
                    q += 8
                    i += 8
                    continue
                }
                let plain = mask.trailingZeroBitCount >> 3
                q += plain
                i += plain
            }
            let byte = base[i]
            i += 1
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                q.pointee = byte
                q += 1
                continue
            }
            q.pointee = 0x5C
            switch byte {
            case UInt8(ascii: "\""): q[1] = 0x22
            case UInt8(ascii: "\\"): q[1] = 0x5C
            case 0x0A: q[1] = UInt8(ascii: "n")
            case 0x0D: q[1] = UInt8(ascii: "r")
            case 0x09: q[1] = UInt8(ascii: "t")
            case 0x08: q[1] = UInt8(ascii: "b")
            case 0x0C: q[1] = UInt8(ascii: "f")
            default:
                let hex: StaticString = "0123456789abcdef"
                q[1] = UInt8(ascii: "u")
                q[2] = UInt8(ascii: "0")
                q[3] = UInt8(ascii: "0")
                q[4] = hex.utf8Start[Int(byte >> 4)]
                q[5] = hex.utf8Start[Int(byte & 0xF)]
                q += 6
                continue
            }
            q += 2
        }
        return q
    }

    @inline(__always)
    private static func extraLength(_ byte: UInt8) -> Int {
        if byte >= 0x20 { return byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") ? 1 : 0 }
        switch byte {
        case 0x0A, 0x0D, 0x09, 0x08, 0x0C: return 1
        default: return 5
        }
    }

    /// The high bit of each of the eight bytes (the first in the lowest byte) that is below 0x20, `"` or a
    /// backslash, and perhaps of bytes after the first such one (the usual SWAR tests: a
    /// borrow only ever flags a byte above one truly flagged), so the lowest set bit is exact.
    @inline(__always)
    private static func escapeMask(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let control = (w &- ones &* 0x20) & ~w & highs
        let q = w ^ (ones &* 0x22), b = w ^ (ones &* 0x5C)
        let quote = (q &- ones) & ~q & highs
        let backslash = (b &- ones) & ~b & highs
        return control | quote | backslash
    }

    static func decimalLength(_ i: Int) -> Int {
        var magnitude = i.magnitude
        var digits = 1
        while magnitude >= 10 {
            magnitude /= 10
            digits += 1
        }
        return digits + (i < 0 ? 1 : 0)
    }

    static func writeDecimal(_ i: Int, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let length = decimalLength(i)
        if i < 0 { p.pointee = UInt8(ascii: "-") }
        var magnitude = i.magnitude
        var at = length
        repeat {
            at -= 1
            p[at] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
            magnitude /= 10
        } while magnitude > 0
        return p + length
    }

    private static func writeASCII(_ text: StaticString, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        copy(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount), to: p)
    }

    private static func copy(_ bytes: UnsafeBufferPointer<UInt8>, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if let base = bytes.baseAddress { p.update(from: base, count: bytes.count) }
        return p + bytes.count
    }

    /// Shortest round-trip form (`2.5`, `0.1`); JSON has no NaN or infinity, so those are `null`.
    public static func formatDouble(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        return d.description
    }

    public static func string(_ value: Value) -> String {
        var out: [UInt8] = []
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
