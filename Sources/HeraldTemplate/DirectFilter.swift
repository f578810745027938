/// A tag's last filter printing its result straight into the output, for the common inputs
/// where that is simple: no intermediate String, no Value. It either writes exactly what
/// `FilterEvaluation.apply` and printing would, or declines (returns false) having written
/// nothing, and the general path runs.
enum DirectFilter: Sendable {
    case number(places: Int)
    case upper
    case lower
    case truncate(Int)

    /// Nil for filters that always take the general path.
    init?(_ call: FilterCall) {
        switch call.filter {
        case .number:
            guard case .int(let places)? = call.argument else { return nil }
            self = .number(places: places)
        case .upper: self = .upper
        case .lower: self = .lower
        case .truncate:
            guard case .int(let n)? = call.argument else { return nil }
            self = .truncate(n)
        default: return nil
        }
    }

    func write(_ value: Value, to out: inout OutputBuffer) -> Bool {
        switch self {
        case .number(let places):
            switch value {
            case .double(let d):
                return NumberFormatting.appendFixed(d, places: places, to: &out)
            case .int(let i):
                out.append(i)
                if places > 0 {
                    out.append(UInt8(ascii: "."))
                    for _ in 0..<places { out.append(UInt8(ascii: "0")) }
                }
                return true
            default:
                return false
            }
        case .upper, .lower:
            guard case .string(let s) = value else { return false }
            return Self.appendASCIICased(s, upper: self == .upper, to: &out)
        case .truncate(let n):
            guard case .string(let s) = value else { return false }
            return Self.appendASCIITruncated(s, to: n, out: &out)
        }
    }

    /// `uppercased()` / `lowercased()` of an all-ASCII string change only letters; any other
    /// text declines, as Unicode case mapping is not byte for byte.
    private static func appendASCIICased(_ text: String, upper: Bool, to out: inout OutputBuffer) -> Bool {
        let (from, to): (UInt8, UInt8) = upper ? (UInt8(ascii: "a"), UInt8(ascii: "z")) : (UInt8(ascii: "A"), UInt8(ascii: "Z"))
        return withBytes(of: text) { bytes in
            for byte in bytes where byte >= 0x80 { return false }
            let p = out.writable(bytes.count)
            for i in bytes.indices {
                let byte = bytes[i]
                p[i] = byte >= from && byte <= to ? byte ^ 0x20 : byte
            }
            out.didWrite(bytes.count)
            return true
        }
    }

    /// `truncate: n` counts characters: in ASCII text without CR (which joins an LF after it
    /// into one character) a character is a byte, so the first `n` bytes and `…` are the
    /// answer. Any other text declines, having written nothing.
    private static func appendASCIITruncated(_ text: String, to n: Int, out: inout OutputBuffer) -> Bool {
        withBytes(of: text) { bytes in
            for byte in bytes where byte >= 0x80 || byte == UInt8(ascii: "\r") { return false }
            if bytes.count <= n {
                out.append(bytes)
            } else {
                out.append(UnsafeBufferPointer(rebasing: bytes[..<n]))
                // U+2026 HORIZONTAL ELLIPSIS in UTF-8.
                let p = out.writable(3)
                p[0] = 0xE2
                p[1] = 0x80
                p[2] = 0xA6
                out.didWrite(3)
            }
            return true
        }
    }

    /// The text's UTF-8, without copying the String.
    @inline(__always)
    private static func withBytes(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var text = text
        return text.withUTF8(body)
    }
}

extension DirectFilter: Equatable {}
