/// A quick look at a request body before it is parsed: an object at the top, and no deeper
/// than `maxDepth` (a parser that recurses must never see a body nested a million deep).
/// Strings are skipped with their escapes; everything else is the parser's to judge.
package enum JSONShape {
    package enum Problem: Equatable, CustomStringConvertible {
        case empty, notAnObject, tooDeep(Int)
        package var description: String {
            switch self {
            case .empty: return "the body is empty; send a JSON object"
            case .notAnObject: return "the body is not a JSON object (it must start with '{')"
            case .tooDeep(let limit): return "the body nests deeper than \(limit) levels"
            }
        }
    }

    package static let maxDepth = 64

    package static func check(_ bytes: some Collection<UInt8>, maxDepth: Int = maxDepth) -> Problem? {
        var depth = 0
        var inString = false
        var escaped = false
        var first = true
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                continue
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if first && byte != UInt8(ascii: "{") { return .notAnObject }
                depth += 1
                if depth > maxDepth { return .tooDeep(maxDepth) }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            default:
                break
            }
            if first {
                if byte != UInt8(ascii: "{") { return .notAnObject }
                first = false
            }
        }
        return first ? .empty : nil
    }
}
