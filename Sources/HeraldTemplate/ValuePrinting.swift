/// How values print in `{{x}}` (SPEC §2): integers as integers, floats in shortest
/// round-trip form, booleans as true/false, null as nothing, lists and maps as compact JSON.
extension Value {
    public var printed: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return JSONWriter.formatDouble(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        case .list, .map: return JSONWriter.string(self)
        }
    }
}

enum HTMLEscaping {
    /// Spec mode only: Herald itself never escapes.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
