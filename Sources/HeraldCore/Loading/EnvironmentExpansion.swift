import HeraldTemplate

/// `${NAME}`, `${NAME:-fallback}` and `$${` (a literal `${`) in the job's string values
/// that docs/job-file.md names: endpoint, access_token, links, sk and all vars.
struct EnvironmentExpansion: Sendable {
    let environment: [String: String]

    init(environment: [String: String]) { self.environment = environment }

    enum Failure: Error, Equatable {
        case unset(String)
        case unterminated
        case badName(String)
    }

    func expand(_ text: String) -> Result<String, Failure> {
        var unset: [String] = []
        return expand(text, keepingUnset: false, unset: &unset)
    }

    /// For secrets (access_token, sk, links): a `${NAME}` whose variable is unset, with no
    /// fallback, stays in the text as it is and its name goes to `unset`, so what sends
    /// nothing can run without the secret; sending refuses when `unset` is not empty.
    func expandKeepingUnset(_ text: String, unset: inout [String]) -> Result<String, Failure> {
        expand(text, keepingUnset: true, unset: &unset)
    }

    private func expand(_ text: String, keepingUnset: Bool, unset: inout [String]) -> Result<String, Failure> {
        guard text.contains("$") else { return .success(text) }
        var out = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("${") {
                out += "${"
                rest = after.dropFirst(2)
            } else if after.hasPrefix("{") {
                guard let close = after.firstIndex(of: "}") else { return .failure(.unterminated) }
                let inner = after[after.index(after: after.startIndex)..<close]
                let (name, fallback) = split(inner)
                guard isValidName(name) else { return .failure(.badName(String(name))) }
                if let value = environment[String(name)], !(fallback != nil && value.isEmpty) {
                    out += value
                } else if let fallback {
                    out += fallback
                } else if keepingUnset {
                    out += "$" + after.prefix(through: close)
                    unset.append(String(name))
                } else {
                    return .failure(.unset(String(name)))
                }
                rest = after[after.index(after: close)...]
            } else {
                out.append("$")
                rest = after
            }
        }
        out += rest
        return .success(out)
    }

    /// Expands every string leaf of a value.
    func expand(_ value: Value) -> Result<Value, Failure> {
        switch value {
        case .string(let s): return expand(s).map(Value.string)
        case .list(let items):
            var result: [Value] = []
            result.reserveCapacity(items.count)
            for item in items {
                switch expand(item) {
                case .success(let v): result.append(v)
                case .failure(let f): return .failure(f)
                }
            }
            return .success(.list(result))
        case .map(let map):
            var result = OrderedMap()
            for (key, item) in map {
                switch expand(item) {
                case .success(let v): result[key] = v
                case .failure(let f): return .failure(f)
                }
            }
            return .success(.map(result))
        default: return .success(value)
        }
    }

    static func message(for failure: Failure) -> String {
        switch failure {
        case .unset(let name):
            return "environment variable '\(name)' is not set — set it, or give a fallback: ${\(name):-default}"
        case .unterminated:
            return "unterminated '${' — close it with '}', or write '$${' for a literal '${'"
        case .badName(let name):
            return "'${\(name)}' is not a valid environment variable name (letters, digits and '_'); write '$${' for a literal '${'"
        }
    }

    private func split(_ inner: Substring) -> (Substring, String?) {
        guard let range = inner.range(of: ":-") else { return (inner, nil) }
        return (inner[..<range.lowerBound], String(inner[range.upperBound...]))
    }

    private func isValidName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
