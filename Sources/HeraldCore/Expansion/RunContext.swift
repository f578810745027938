import Foundation
import HeraldTemplate

/// What a run adds to every scope: the time, the zone, and `--var` / `--vars-file` overrides.
struct RunContext: Sendable {
    var now: Date
    var timeZone: TimeZone
    /// Command-line variables, the innermost scope.
    var overrides: OrderedMap

    init(now: Date, timeZone: TimeZone, overrides: OrderedMap = OrderedMap()) {
        self.now = now
        self.timeZone = timeZone
        self.overrides = overrides
    }

    /// `2026-11-25T09:30:00+08:00` in the zone in effect, `Z` for UTC.
    var nowText: String { ISO8601.format(now, in: timeZone) }
}
