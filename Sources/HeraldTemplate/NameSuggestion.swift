/// "did you mean …?" for unknown names, built in one place: the closest candidate by edit
/// distance, if close enough; among equally close ones the first in alphabetical order, so the
/// same input always gets the same suggestion whatever order the candidates come in.
public enum NameSuggestion {
    public static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        let target = Array(name.lowercased())
        let limit = max(1, min(3, target.count / 3))
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let d = distance(target, Array(candidate.lowercased()), limit: limit)
            guard d <= limit else { continue }
            if let current = best, d > current.distance || (d == current.distance && candidate >= current.name) { continue }
            best = (candidate, d)
        }
        return best?.name
    }

    /// ` — did you mean 'x'?` when a candidate is close, else `otherwise` (default nothing).
    public static func hint(for name: String, among candidates: some Sequence<String>, otherwise: String = "") -> String {
        closest(to: name, among: candidates).map { " — did you mean '\($0)'?" } ?? otherwise
    }

    /// `unknown template 'x' — did you mean 'y'?`, or `otherwise` after it when nothing is close.
    public static func unknown(_ what: String, _ name: String, among candidates: some Sequence<String>, otherwise: String = "") -> String {
        "unknown \(what) '\(name)'" + hint(for: name, among: candidates, otherwise: otherwise)
    }

    /// Damerau–Levenshtein (optimal string alignment), bailing out early past `limit`.
    static func distance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prevPrev = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(prev[j] + 1, current[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prevPrev[j - 2] + 1) }
                current[j] = v
                rowMin = min(rowMin, v)
            }
            if rowMin > limit { return limit + 1 }
            (prevPrev, prev, current) = (prev, current, prevPrev)
        }
        return prev[b.count]
    }
}
