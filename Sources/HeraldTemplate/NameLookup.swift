/// A dotted name (`report.teams`, `weeks.0.rows`) looked up as a template tag looks it up:
/// innermost frame first, numeric segments index lists. For callers outside the engine
/// (`for_each: {var: …}`) so both read names the same way and say the same when one is missing.
public enum NameLookup {
    /// The value, or the engine's own message for the missing name (`unknown variable 'a.b':
    /// 'a' has no key 'b' — did you mean 'bb'?`), where `kind` names what was looked up.
    public static func value(of name: String, in stack: [Value], kind: String = "variable") -> Result<Value, NameLookupError> {
        let path = NamePath(name)
        switch Lookup.resolve(path, in: stack) {
        case .found(let value): return .success(value)
        case .missing(let failed, let known, let broken):
            return .failure(NameLookupError(message: Lookup.message(kind, path, failed: failed, known: known, brokenValue: broken)))
        }
    }
}

public struct NameLookupError: Error, Sendable {
    public var message: String
}
