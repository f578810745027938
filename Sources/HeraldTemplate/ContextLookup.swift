/// Resolving names against the context stack (Mustache rules): the first segment is
/// found in the innermost frame that has it; later segments only inside that value.
enum Lookup {
    case found(Value)
    /// `failed` is how much of the path resolved before it broke (0: the first segment).
    case missing(failed: Int, known: [String], brokenValue: Value?)

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
    static func message(_ kind: String, _ path: NamePath, failed: Int, known: [String], brokenValue: Value?) -> String {
        if failed == 0 {
            var message = "unknown \(kind) '\(path.text)'"
            if let guess = NameSuggestion.closest(to: path.segments[0], among: Set(known)) {
                message += " — did you mean '\(guess)'?"
            }
            return message
        }
        let resolved = path.segments[..<failed].joined(separator: ".")
        let segment = path.segments[failed]
        var message = "unknown \(kind) '\(path.text)': "
        switch brokenValue {
        case .map?:
            message += "'\(resolved)' has no key '\(segment)'"
            if let guess = NameSuggestion.closest(to: segment, among: known) { message += " — did you mean '\(guess)'?" }
        case .list(let items)?:
            message += "'\(resolved)' is a list of \(items.count) item\(items.count == 1 ? "" : "s"); '\(segment)' is not an index in it"
        case let value?:
            message += "'\(resolved)' is \(value.kindDescription), not a map"
        case nil:
            message += "'\(resolved)' has no key '\(segment)'"
        }
        return message
    }
}
