import Foundation
import HeraldTemplate

/// What a run adds to every scope: the time, the zone, and `--var` / `--vars-file` overrides.
public struct RunContext: Sendable {
    public var now: Date
    public var timeZone: TimeZone
    /// Command-line variables, the innermost scope.
    public var overrides: OrderedMap

    public init(now: Date, timeZone: TimeZone, overrides: OrderedMap = OrderedMap()) {
        self.now = now
        self.timeZone = timeZone
        self.overrides = overrides
    }

    /// `2026-11-25T09:30:00+08:00` in the zone in effect, `Z` for UTC.
    public var nowText: String { ISO8601.format(now, in: timeZone) }

    /// `YYYY-MM-DD` in the zone in effect.
    public var todayText: String { String(ISO8601.format(now, in: timeZone).prefix(10)) }
}
