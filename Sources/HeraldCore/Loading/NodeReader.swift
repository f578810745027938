import Foundation
import HeraldTemplate
import Yams

/// Reads Yams nodes of one file with positions, collecting diagnostics instead of throwing.
///
/// Every conversion to a `Value` draws from a node budget shared by the whole load, so a
/// "billion laughs" alias bomb is refused instead of expanded.
final class NodeReader {
    let source: SourceText
    /// Reading a `.json` data file: numbers are numbers, however large.
    var readsJSONNumbers = false
    /// Where the files this file names may be (the job's `PathPolicy`).
    var paths = PathPolicy.unconfined
    var log: DiagnosticLog
    private let budget: NodeBudget

    init(source: SourceText, log: DiagnosticLog = DiagnosticLog(), budget: NodeBudget) {
        self.source = source
        self.log = log
        self.budget = budget
    }

    var path: String { source.path }

    func position(_ node: Node) -> SourcePosition {
        let mark = node.mark
        return SourcePosition(path: source.path, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    func error(_ node: Node, _ message: String) { log.error(position(node), message) }
    func warning(_ node: Node, _ message: String) { log.warning(position(node), message) }

    static func kind(_ node: Node) -> String {
        switch node {
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            switch scalarValue(node) {
            case .string: return "a string"
            case .int: return "an integer"
            case .double: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            default: return "a value"
            }
        }
    }

    // MARK: Maps with known keys

    /// The pairs of a map node, keys as strings; reports unknown keys (with a suggestion)
    /// and non-string keys. Returns nil (after reporting) when the node is not a map.
    func fields(of node: Node, what: String, known: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error(node, "\(what) must be a map, not \(Self.kind(node))")
            return nil
        }
        var fields = Fields(node: node)
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let key) = keyNode else {
                error(keyNode, "keys of \(what) must be strings")
                continue
            }
            if !known.isEmpty, !known.contains(key.string) {
                error(keyNode, "unknown key '\(key.string)' in \(what)"
                      + NameSuggestion.hint(for: key.string, among: known, otherwise: "; expected one of: \(known.joined(separator: ", "))"))
                fields.hadUnknownKeys = true
                continue
            }
            fields.pairs.append((key.string, keyNode, valueNode))
        }
        return fields
    }

    struct Fields {
        let node: Node
        var pairs: [(key: String, keyNode: Node, value: Node)] = []
        /// An unknown key was reported (so "missing key" errors would only repeat it).
        var hadUnknownKeys = false

        subscript(key: String) -> Node? { pairs.first { $0.key == key }?.value }
        func keyNode(_ key: String) -> Node? { pairs.first { $0.key == key }?.keyNode }
    }

    /// `at` names where to report a missing key (e.g. the recipient's name), default the map itself.
    func require(_ fields: Fields, _ key: String, in what: String, at place: Node? = nil) -> Node? {
        if let node = fields[key] { return node }
        error(place ?? fields.node, "\(what) is missing required key '\(key)'")
        return nil
    }

    // MARK: Scalars

    func string(_ node: Node, what: String) -> String? {
        guard case .scalar = node, case .string(let s) = Self.scalarValue(node) else {
            if case .scalar(let scalar) = node, case .int = Self.scalarValue(node) { return scalar.string }
            error(node, "\(what) must be a string, not \(Self.kind(node))")
            return nil
        }
        return s
    }

    func int(_ node: Node, what: String) -> Int? {
        guard case .int(let i) = Self.scalarValue(node) else {
            error(node, "\(what) must be a whole number, not \(Self.kind(node))")
            return nil
        }
        return i
    }

    func stringList(_ node: Node, what: String) -> [(String, Node)]? {
        switch node {
        case .scalar:
            return string(node, what: what).map { [($0, node)] }
        case .sequence(let seq):
            var items: [(String, Node)] = []
            for item in seq {
                if let s = string(item, what: "each entry of \(what)") { items.append((s, item)) }
            }
            return items
        default:
            error(node, "\(what) must be a string or a list of strings, not \(Self.kind(node))")
            return nil
        }
    }

    /// YAML 1.2 core schema for plain scalars (so `yes`, `on` and `2026-11-25` stay strings);
    /// quoted and block scalars are always strings; `!!str` forces a string.
    static func scalarValue(_ node: Node) -> Value {
        guard case .scalar(let scalar) = node else { return .null }
        let text = scalar.string
        let tag = scalar.tag.rawValue
        if tag == Tag.Name.str.rawValue { return .string(text) }
        guard scalar.style == .plain || scalar.style == .any else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        if let i = integer(text) { return .int(i) }
        if isFloat(text), let d = Double(text) { return .double(d) }
        return .string(text)
    }

    static func isWholeNumber(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.utf8.dropFirst() : text.utf8[...]
        return !digits.isEmpty && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    private static func integer(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard let first = bytes.first else { return nil }
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
        let digits = (first == UInt8(ascii: "-") || first == UInt8(ascii: "+")) ? bytes.dropFirst() : bytes[...]
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }

    private static func isFloat(_ text: String) -> Bool {
        // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        var s = Substring(text)
        if s.first == "-" || s.first == "+" { s = s.dropFirst() }
        let mantissaEnd = s.firstIndex { $0 == "e" || $0 == "E" } ?? s.endIndex
        let mantissa = s[..<mantissaEnd]
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              parts.contains(where: { !$0.isEmpty }) else { return false }
        if mantissaEnd == s.endIndex { return parts.count == 2 }
        var exponent = s[s.index(after: mantissaEnd)...]
        if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
        return !exponent.isEmpty && exponent.allSatisfy { $0.isASCII && $0.isNumber }
    }

    // MARK: Values

    /// Converts a node to a Value, keeping key order; nil (after reporting) on bad input.
    func value(_ node: Node, what: String) -> Value? {
        var failed = false
        let v = convert(node, what: what, depth: 0, failed: &failed)
        return failed ? nil : v
    }

    private func convert(_ node: Node, what: String, depth: Int, failed: inout Bool) -> Value {
        guard !failed else { return .null }
        guard budget.take() else {
            error(node, "YAML expands to more than \(budget.limit) nodes (an alias bomb?); refusing to expand it")
            failed = true
            return .null
        }
        switch node {
        case .scalar:
            var v = Self.scalarValue(node)
            // A JSON data file: a whole number too large for an integer is still a number.
            if readsJSONNumbers, case .string(let text) = v, node.scalar?.style == .plain, Self.isWholeNumber(text), let d = Double(text) {
                v = .double(d)
            }
            if case .double(let d) = v, !d.isFinite {
                error(node, "\(what): '\(node.scalar?.string ?? "")' is not a finite number; JSON cannot carry it — quote it to make it a string")
                failed = true
            }
            return v
        case .sequence(let seq):
            var items: [Value] = []
            items.reserveCapacity(seq.count)
            for item in seq { items.append(convert(item, what: what, depth: depth + 1, failed: &failed)) }
            return .list(items)
        case .mapping(let mapping):
            var map = OrderedMap()
            for (k, v) in mapping {
                guard case .scalar(let key) = k else {
                    error(k, "keys in \(what) must be strings")
                    failed = true
                    return .null
                }
                map[key.string] = convert(v, what: what, depth: depth + 1, failed: &failed)
            }
            return .map(map)
        case .alias:
            error(node, "unresolved YAML alias in \(what)")
            failed = true
            return .null
        }
    }
}

/// How many YAML nodes one load may turn into values: one budget for the job file, its vars
/// files and its template files together (a data file bound to a name has its own, sized by
/// the file, since plain data cannot expand).
final class NodeBudget: Sendable {
    let limit: Int
    private let remaining: Locked<Int>

    init(limit: Int = 200_000) {
        self.limit = limit
        self.remaining = Locked(limit)
    }

    func take() -> Bool {
        remaining.withLock { remaining in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
    }
}
