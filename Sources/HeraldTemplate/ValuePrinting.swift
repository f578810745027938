/// How values print in `{{x}}` (docs/templates.md): integers as integers, floats in shortest
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

extension OutputBuffer {
    /// `value.printed`, with spec mode's HTML escaping when asked, without building the String
    /// for strings and integers.
    mutating func append(_ value: Value, htmlEscaped: Bool) {
        switch value {
        case .string(let s):
            if htmlEscaped { appendHTMLEscaped(s) } else { append(s) }
        case .int(let i):
            append(i)
        case .null:
            break
        case .bool, .double, .list, .map:
            if htmlEscaped { appendHTMLEscaped(value.printed) } else { append(value.printed) }
        }
    }
}
