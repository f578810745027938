/// The filters of docs/templates.md, validated at compile time.
enum Filter: String, CaseIterable, Sendable {
    case upper, lower, trim, `default`, join, count, truncate, date, number, json, first, skip

    enum ArgumentKind { case none, string, anyLiteral, wholeNumber(ClosedRange<Int>) }

    var argument: ArgumentKind {
        switch self {
        case .upper, .lower, .trim, .count, .json: return .none
        case .join, .date: return .string
        case .default: return .anyLiteral
        case .truncate: return .wholeNumber(0...1_000_000)
        case .number: return .wholeNumber(0...10)
        case .first, .skip: return .wholeNumber(0...Int.max)
        }
    }

    var example: String {
        switch self {
        case .default: return #"default: "n/a""#
        case .join: return #"join: ", ""#
        case .date: return #"date: "yyyy-MM-dd HH:mm""#
        case .truncate: return "truncate: 40"
        case .number: return "number: 2"
        case .first: return "first: 10"
        case .skip: return "skip: 10"
        default: return rawValue
        }
    }
}

/// An argument as written: a quoted string (`"…"` or `'…'`) or a whole number.
enum FilterArgument: Sendable, Hashable {
    case string(String)
    case int(Int)

    var value: Value {
        switch self {
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        }
    }
}

struct FilterCall: Sendable {
    var filter: Filter
    var argument: FilterArgument?

    /// The call as it could be written (`first: 10`, `default: "n/a"`), for hints in messages.
    var sourceText: String {
        switch argument {
        case nil: return filter.rawValue
        case .int(let n)?: return "\(filter.rawValue): \(n)"
        case .string(let s)?:
            var quoted = "\""
            for ch in s {
                switch ch {
                case "\"": quoted += "\\\""
                case "\\": quoted += "\\\\"
                case "\n": quoted += "\\n"
                case "\t": quoted += "\\t"
                default: quoted.append(ch)
                }
            }
            return "\(filter.rawValue): \(quoted)\""
        }
    }
}

/// Parses `name | filter | filter: arg` from a tag's content.
enum FilterSyntax {
    struct Parsed {
        var name: String
        var filters: [FilterCall]
    }

    /// A tag's content split at the first `|` outside quotes: the name (trimmed) and the
    /// filter text after it (trimmed), nil when there is no `|`.
    static func split(_ content: String) -> (name: String, filters: String?) {
        let parts = splitOnPipes(content)
        let name = parts[0].trimmingCharacters(in: .whitespaces)
        guard parts.count > 1 else { return (name, nil) }
        return (name, parts.dropFirst().joined(separator: "|").trimmingCharacters(in: .whitespaces))
    }

    /// Errors are messages; the caller places them at the tag.
    static func parse(_ content: String) -> Result<Parsed, FilterSyntaxError> {
        let parts = splitOnPipes(content)
        let name = parts[0].trimmingCharacters(in: .whitespaces)
        var filters: [FilterCall] = []
        for part in parts.dropFirst() {
            let text = part.trimmingCharacters(in: .whitespaces)
            let (filterName, argumentText): (String, String?) = {
                guard let colon = text.firstIndex(of: ":") else { return (text, nil) }
                return (text[..<colon].trimmingCharacters(in: .whitespaces),
                        text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }()
            guard !filterName.isEmpty else { return .failure(.init("empty filter after '|'")) }
            guard let filter = Filter(rawValue: filterName) else {
                let names = Filter.allCases.map(\.rawValue)
                return .failure(.init(NameSuggestion.unknown("filter", filterName, among: names,
                                                             otherwise: "; filters are \(names.joined(separator: ", "))")))
            }
            switch argumentCheck(filter, argumentText) {
            case .success(let argument): filters.append(FilterCall(filter: filter, argument: argument))
            case .failure(let e): return .failure(e)
            }
        }
        return .success(Parsed(name: name, filters: filters))
    }

    private static func argumentCheck(_ filter: Filter, _ text: String?) -> Result<FilterArgument?, FilterSyntaxError> {
        let literal = text.flatMap(parseLiteral)
        if let text, !text.isEmpty, literal == nil, case .wholeNumber = filter.argument {
            let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
            if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                return .failure(.init("filter '\(filter.rawValue)' has a whole-number argument too large to use: \(text)"))
            }
            return .failure(.init("filter '\(filter.rawValue)' needs a whole-number argument, like '\(filter.example)', got \(text)"))
        }
        if let text, !text.isEmpty, literal == nil {
            return .failure(.init("filter '\(filter.rawValue)' has an argument that is neither a \"quoted string\" nor a whole number: \(text)"))
        }
        switch filter.argument {
        case .none:
            if text != nil { return .failure(.init("filter '\(filter.rawValue)' takes no argument")) }
            return .success(nil)
        case .string:
            guard case .string? = literal else {
                return .failure(.init("filter '\(filter.rawValue)' needs a quoted string argument, like '\(filter.example)'"))
            }
            return .success(literal)
        case .anyLiteral:
            guard let literal else { return .failure(.init("filter '\(filter.rawValue)' needs an argument, like '\(filter.example)'")) }
            return .success(literal)
        case .wholeNumber(let range):
            guard case .int(let n)? = literal else {
                return .failure(.init("filter '\(filter.rawValue)' needs a whole-number argument, like '\(filter.example)'"))
            }
            guard range.contains(n) else {
                if range.upperBound == Int.max {
                    return .failure(.init("filter '\(filter.rawValue)' needs a whole number of at least \(range.lowerBound), like '\(filter.example)', got \(n)"))
                }
                return .failure(.init("filter '\(filter.rawValue)' takes a whole number from \(range.lowerBound) to \(range.upperBound), got \(n)"))
            }
            return .success(literal)
        }
    }

    private static func parseLiteral(_ text: String) -> FilterArgument? {
        // `'ops'` as well as `"ops"`: YAML job files often quote the whole template with `"`.
        if let quote = text.first, quote == "\"" || quote == "'" {
            var out = ""
            var escaped = false
            var closed = false
            for ch in text.dropFirst() {
                if closed { return nil } // text after the closing quote
                if escaped {
                    switch ch {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    default: out.append(ch)
                    }
                    escaped = false
                } else if ch == "\\" {
                    escaped = true
                } else if ch == quote {
                    closed = true
                } else {
                    out.append(ch)
                }
            }
            return closed ? .string(out) : nil
        }
        return Int(text).map(FilterArgument.int)
    }

    /// Splits on `|` outside quoted strings. A `'` opens a string only where an argument
    /// starts (after a `:`), so an apostrophe elsewhere in a tag means what it always did.
    private static func splitOnPipes(_ content: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        var escaped = false
        var afterColon = false
        for ch in content {
            if let open = quote {
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == open { quote = nil }
                current.append(ch)
            } else if ch == "\"" || (ch == "'" && afterColon) {
                quote = ch
                current.append(ch)
            } else if ch == "|" {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
            if quote == nil, ch != " ", ch != "\t" { afterColon = ch == ":" }
        }
        parts.append(current)
        return parts
    }
}

struct FilterSyntaxError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

import Foundation
