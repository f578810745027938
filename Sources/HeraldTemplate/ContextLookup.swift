/// Resolving names against the context stack (Mustache rules): the first segment is
/// found in the innermost frame that has it; later segments only inside that value.
/// A render finds names with `Renderer.find` (the one lookup); this says why a name is
/// missing (`resolve`, `message`) and walks a dotted name's rest inside a list (`descend`).
enum Lookup {
    case found(Value)
    /// `failed` is how much of the path resolved before it broke (0: the first segment).
    case missing(failed: Int, known: [String], brokenValue: Value?)

    /// The value the segments of a dotted name from `start` on name inside `value` (what the
    /// segments before named); `hints[k]` is segment k's.
    static func descend(from value: Value, along path: borrowing NamePath, startingAt start: Int, hints: UnsafeMutablePointer<Int>) -> Value? {
        var value = value
        let segments = path.segments
        var k = start
        while k < segments.count {
            if let next = value.mapValue(forKey: segments[k], hint: hints + k) {
                value = next
            } else if case .list(let items) = value, let index = Int(segments[k]), items.indices.contains(index) {
                value = items[index]
            } else {
                return nil
            }
            k += 1
        }
        return value
    }

    static func resolve(_ path: NamePath, in stack: [Value]) -> Lookup {
        guard let first = path.segments.first else {
            return .found(stack.last ?? .null)
        }
        var current: Value?
        for frame in stack.reversed() {
            if case .map(let map) = frame, let v = map[first] {
                current = v
                break
            }
        }
        guard var value = current else {
            var known: [String] = []
            for frame in stack { if case .map(let map) = frame { known += map.keys } }
            return .missing(failed: 0, known: known, brokenValue: nil)
        }
        for (i, segment) in path.segments.enumerated().dropFirst() {
            switch value {
            case .map(let map):
                guard let next = map[segment] else { return .missing(failed: i, known: map.keys, brokenValue: value) }
                value = next
            case .list(let items):
                // An extension: numeric segments index lists (`items.0`).
                guard let index = Int(segment), items.indices.contains(index) else {
                    return .missing(failed: i, known: [], brokenValue: value)
                }
                value = items[index]
            default:
                return .missing(failed: i, known: [], brokenValue: value)
            }
        }
        return .found(value)
    }

    /// `unknown variable 'a.b': 'a' has no key 'b' — did you mean 'bb'?`
    /// `otherwise` is added when no name is suggested (how to make the name optional, say).
    static func message(_ kind: String, _ path: NamePath, failed: Int, known: [String], brokenValue: Value?, otherwise: String = "") -> String {
        if failed == 0 {
            return "unknown \(kind) '\(path.text)'" + NameSuggestion.hint(for: path.segments[0], among: Set(known), otherwise: otherwise)
        }
        let resolved = path.segments[..<failed].joined(separator: ".")
        let segment = path.segments[failed]
        var message = "unknown \(kind) '\(path.text)': "
        switch brokenValue {
        case .map?:
            message += "'\(resolved)' has no key '\(segment)'" + NameSuggestion.hint(for: segment, among: known, otherwise: otherwise)
            return message
        case .list(let items)?:
            message += "'\(resolved)' is a list of \(items.count) item\(items.count == 1 ? "" : "s"); '\(segment)' is not an index in it"
        case let value?:
            message += "'\(resolved)' is \(value.kindDescription), not a map"
        case nil:
            message += "'\(resolved)' has no key '\(segment)'"
        }
        return message + otherwise
    }
}
