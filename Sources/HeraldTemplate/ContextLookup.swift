/// Resolving names against the context stack (Mustache rules): the first segment is
/// found in the innermost frame that has it; later segments only inside that value.
enum Lookup {
    case found(Value)
    /// `failed` is how much of the path resolved before it broke (0: the first segment).
    case missing(failed: Int, known: [String], brokenValue: Value?)

    /// The value `path` names, or nil when it names nothing (then `resolve` says why).
    /// The common case of every tag, so it builds nothing on the way. `hint` is where the
    /// first segment was found last time (kept per tag by the caller).
    @inline(__always)
    static func find(_ path: NamePath, in stack: [Value], hint: UnsafeMutablePointer<Int>) -> Value? {
        guard path.isSimple else { return findDotted(path, in: stack, hint: hint) }
        var frame = stack.count
        while frame > 0 {
            frame -= 1
            if let value = stack[frame].mapValue(forKey: path.first, hint: hint) { return value }
        }
        return nil
    }

    /// `find` for `.` and dotted names.
    @inline(never)
    private static func findDotted(_ path: NamePath, in stack: [Value], hint: UnsafeMutablePointer<Int>) -> Value? {
        let segments = path.segments
        guard !segments.isEmpty else { return stack.last ?? .null }
        var frame = stack.count
        while frame > 0 {
            frame -= 1
            guard var value = stack[frame].mapValue(forKey: path.first, hint: hint) else { continue }
            for segment in segments[1...] {
                switch value {
                case .map(let inner):
                    guard let next = inner[segment] else { return nil }
                    value = next
                case .list(let items):
                    guard let index = Int(segment), items.indices.contains(index) else { return nil }
                    value = items[index]
                default:
                    return nil
                }
            }
            return value
        }
        return nil
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
