import Foundation

/// Applies filters at render time. `null` passes through the text filters (so filters
/// before a `default` see null when the name is unknown); errors are messages the
/// renderer places at the tag.
enum FilterEvaluation {
    static func apply(_ call: FilterCall, to value: Value, name: String, timeZone: TimeZone) -> Result<Value, FilterSyntaxError> {
        switch call.filter {
        case .upper: return .success(mapText(value) { $0.uppercased() })
        case .lower: return .success(mapText(value) { $0.lowercased() })
        case .trim: return .success(mapText(value) { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        case .default:
            if case .null = value { return .success(call.argument?.value ?? .null) }
            if case .string("") = value { return .success(call.argument?.value ?? .null) }
            return .success(value)
        case .join:
            let separator: String = { if case .string(let s)? = call.argument { return s } else { return "" } }()
            switch value {
            case .null: return .success(.null)
            case .list(let items): return .success(.string(items.map(\.printed).joined(separator: separator)))
            default: return .failure(.init("filter 'join' needs a list, but '\(name)' is \(value.kindDescription)"))
            }
        case .count:
            switch value {
            case .null: return .success(.int(0))
            case .list(let items): return .success(.int(items.count))
            case .map(let map): return .success(.int(map.count))
            case .string(let s): return .success(.int(s.count))
            default: return .failure(.init("filter 'count' needs a list, a map or a string, but '\(name)' is \(value.kindDescription)"))
            }
        case .truncate:
            guard case .int(let n)? = call.argument else { return .success(value) }
            return .success(mapText(value) { text in
                guard text.count > n else { return text }
                return String(text.prefix(n)) + "…"
            })
        case .date:
            guard case .string(let pattern)? = call.argument else { return .success(value) }
            switch value {
            case .null: return .success(.null)
            case .string(let text):
                guard let date = DateFormatting.parse(text, timeZone: timeZone) else {
                    return .failure(.init("filter 'date' needs an ISO 8601 date like 2026-11-25T09:30:00+08:00, but '\(name)' is '\(text)'"))
                }
                return .success(.string(DateFormatting.format(date, pattern: pattern, timeZone: timeZone)))
            default:
                return .failure(.init("filter 'date' needs an ISO 8601 date string, but '\(name)' is \(value.kindDescription)"))
            }
        case .number:
            guard case .int(let places)? = call.argument else { return .success(value) }
            if case .null = value { return .success(.null) }
            guard let text = NumberFormatting.fixed(value, places: places) else {
                return .failure(.init("filter 'number' needs a number, but '\(name)' is \(value.kindDescription == "a string" ? "'\(value.printed)'" : value.kindDescription)"))
            }
            return .success(.string(text))
        case .json:
            return .success(.string(JSONWriter.string(value)))
        case .first, .skip:
            guard case .int(let n)? = call.argument else { return .success(value) }
            switch value {
            case .null: return .success(.null)
            case .list(let items):
                if call.filter == .first {
                    return .success(n >= items.count ? value : .list(Array(items.prefix(n))))
                }
                return .success(n == 0 ? value : .list(Array(items.dropFirst(n))))
            default:
                return .failure(.init("filter '\(call.filter.rawValue)' needs a list, but '\(name)' is \(value.kindDescription)"))
            }
        }
    }

    private static func mapText(_ value: Value, _ transform: (String) -> String) -> Value {
        if case .null = value { return .null }
        return .string(transform(value.printed))
    }
}

/// ISO 8601 in, Unicode date patterns out, in the zone the caller passes.
enum DateFormatting {
    private static let cache = Locked(Formatters())

    static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        cache.withLock { formatters in
            if let d = ISO8601.parse(text) { return d }
            // A date alone means midnight in the caller's zone.
            guard text.count == 10 else { return nil }
            let f = formatters.formatter(pattern: "yyyy-MM-dd", zone: timeZone)
            guard let d = f.date(from: text), f.string(from: d) == text else { return nil }
            return d
        }
    }

    static func format(_ date: Date, pattern: String, timeZone: TimeZone) -> String {
        cache.withLock { $0.formatter(pattern: pattern, zone: timeZone).string(from: date) }
    }

    /// Formatters are costly to make and not safe to share across threads: made once, used under a lock.
    struct Formatters {
        private var byPattern: [String: DateFormatter] = [:]

        mutating func formatter(pattern: String, zone: TimeZone) -> DateFormatter {
            let key = "\(zone.identifier)\u{0}\(pattern)"
            if let f = byPattern[key] { return f }
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.calendar = Calendar(identifier: .gregorian)
            f.timeZone = zone
            f.dateFormat = pattern
            byPattern[key] = f
            return f
        }
    }
}
