/// Resolving names against the context stack (Mustache rules): the first segment is
/// found in the innermost frame that has it; later segments only inside that value.
enum Lookup {
    case found(Value)
    /// `failed` is how much of the path resolved before it broke (0: the first segment).
    case missing(failed: Int, known: [String], brokenValue: Value?)

    /// The value `path` names, or nil when it names nothing (then `resolve` says why).
    /// The common case of every tag, so it builds nothing on the way. `hints` holds, per
    /// segment of the name, the position it was found at last time (kept per tag by the caller).
    @inline(__always)
    static func find(_ path: NamePath, in stack: [Value], hints: UnsafeMutablePointer<Int>) -> Value? {
        guard path.isSimple else { return findDotted(path, in: stack, hints: hints) }
        var frame = stack.count
        while frame > 0 {
            frame -= 1
            if let value = stack[frame].mapValue(forKey: path.first, hint: hints) { return value }
        }
        return nil
    }

    /// `find` for `.` and dotted names.
    @inline(never)
    private static func findDotted(_ path: NamePath, in stack: [Value], hints: UnsafeMutablePointer<Int>) -> Value? {
        guard path.segments.count > 1 else { return stack.last ?? .null }
        var frame = stack.count
        while frame > 0 {
            frame -= 1
            guard let value = stack[frame].mapValue(forKey: path.first, hint: hints) else { continue }
            return descend(from: value, along: path, startingAt: 1, hints: hints)
        }
        return nil
    }

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
