/// A tag's last filter printing its result straight into the output, for the common inputs
/// where that is simple: no intermediate String, no Value. It either writes exactly what
/// `FilterEvaluation.apply` and printing would, or declines (returns false) having written
/// nothing, and the general path runs.
enum DirectFilter: Sendable {
    case number(places: Int)
    case upper
    case lower

    /// Nil for filters that always take the general path.
    init?(_ call: FilterCall) {
        switch call.filter {
        case .number:
            guard case .int(let places)? = call.argument else { return nil }
            self = .number(places: places)
        case .upper: self = .upper
        case .lower: self = .lower
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
        }
    }

    /// `uppercased()` / `lowercased()` of an all-ASCII string change only letters; any other
    /// text declines (and is taken back out), as Unicode case mapping is not byte for byte.
    private static func appendASCIICased(_ text: String, upper: Bool, to out: inout OutputBuffer) -> Bool {
        let start = out.count
        let (from, to): (UInt8, UInt8) = upper ? (UInt8(ascii: "a"), UInt8(ascii: "z")) : (UInt8(ascii: "A"), UInt8(ascii: "Z"))
        for byte in text.utf8 {
            guard byte < 0x80 else {
                out.removeLast(out.count - start)
                return false
            }
            out.append(byte >= from && byte <= to ? byte ^ 0x20 : byte)
        }
        return true
    }
}

extension DirectFilter: Equatable {}
