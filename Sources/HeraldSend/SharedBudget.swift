import Crypto
import HeraldTemplate
import Foundation

/// Each robot's budget shared by the herald processes of one machine: a small file per link
/// in the state folder, locked with `flock` while read and rewritten, holding the SHA-256 of
/// the link and the recent sends (wall-clock seconds), never the link itself.
///
/// A send is written when it starts, as open, and counts until its latest possible answer
/// (start + timeout); the answer closes it at the answer's time, from which it counts for
/// the window. A 45009/130101 answer sets `full_until` for everyone.
/// Any problem with the folder or a file is a warning, and that link falls back to the
/// process's own pacing: a message is never held back or lost over this file.
final class SharedBudget: Sendable {
    /// A request's reservation: sent now, or not before a run-clock time.
    enum Reservation: Equatable {
        case granted(id: String)
        case notBefore(Double)
        /// The file cannot be used: go by the process's own pacing.
        case unavailable
    }

    private enum Handle {
        case open(Int32)
        case unavailable
    }

    let directory: String
    private let rateLimit: Int
    private let window: Double
    private let timeout: Double
    /// The longest Retry-After honoured: with the window, the longest a `full_until` can be ahead.
    private let retryAfterCap: Double
    /// Wall-clock seconds minus run-clock seconds: the file holds wall-clock times so that
    /// processes started at different moments agree.
    private let wallOffset: Double
    private let owner = UUID().uuidString.prefix(8).lowercased()
    private let handles = Locked<[String: Handle]>([:])
    private let sequence = Locked(0)
    private let warnedDirectory = Locked(false)
    private let warn: @Sendable (String) -> Void

    init(directory: String, rateLimit: Int, window: Double, timeout: Double, retryAfterCap: Double = 120, wallOffset: Double,
         warn: @escaping @Sendable (String) -> Void) {
        self.directory = directory
        self.retryAfterCap = retryAfterCap
        self.rateLimit = rateLimit
        self.window = window
        self.timeout = timeout
        self.wallOffset = wallOffset
        self.warn = warn
    }

    /// `$XDG_STATE_HOME/herald` when that is an absolute path, else `~/.local/state/herald`.
    static func defaultDirectory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/herald" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/state/herald" }
        return nil
    }

    /// The file's name: the link's SHA-256 (hex).
    static func linkHash(_ link: String) -> String {
        SHA256.hash(data: Array(link.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Wall times are ~1.8e9 s, so converting to and from them rounds by a few 1e-7 s:
    /// differences under 10 µs are rounding, not a wait.
    static let tolerance = 0.00001

    func path(for link: String) -> String { directory + "/" + Self.linkHash(link) + ".json" }

    // MARK: - Operations (run-clock times in and out)

    /// The earliest time ≥ `notBefore` at which `count` messages fit, as the file says now.
    func earliest(link: String, count: Int, notBefore: Double) -> Double {
        var result = notBefore
        _ = withFile(link) { state in
            let at = state.earliest(count: count, limit: rateLimit, window: window, now: notBefore + wallOffset) - wallOffset
            // Rounding through wall times (10 µs) is no wait.
            if at > notBefore + Self.tolerance { result = at }
            return false
        }
        return result
    }

    /// Reserves room for `count` messages sent now, or says when to ask again.
    func reserve(link: String, count: Int, now: Double) -> Reservation {
        let wallNow = now + wallOffset
        var reservation = Reservation.unavailable
        let id = "\(owner)-\(sequence.withLock { $0 += 1; return $0 })"
        _ = withFile(link) { state in
            let at = state.earliest(count: count, limit: rateLimit, window: window, now: wallNow)
            if at > wallNow + Self.tolerance {
                reservation = .notBefore(at - wallOffset)
                return false
            }
            state.sends.append(.init(id: id, start: wallNow, end: wallNow + timeout, count: count, open: true))
            reservation = .granted(id: id)
            return true
        }
        return reservation
    }

    /// The answer (or the failure) of a reserved send came at `at`: it counts from then.
    func answered(link: String, id: String, at: Double) {
        _ = withFile(link) { state in
            guard let i = state.sends.firstIndex(where: { $0.id == id }) else { return false }
            state.sends[i].end = at + wallOffset
            state.sends[i].open = false
            return true
        }
    }

    /// The server said the robot's window is full (45009, 130101): nobody sends before `until`.
    func markFull(link: String, until: Double) {
        _ = withFile(link) { state in
            state.fullUntil = max(state.fullUntil ?? 0, until + wallOffset)
            return true
        }
    }

    func close() {
        handles.withLock { handles in
            for case .open(let fd) in handles.values { Sys.close(fd) }
            handles.removeAll()
        }
    }

    // MARK: - The file

    struct FileState {
        struct Send {
            var id: String
            var start: Double
            /// The answer's time; while open, the latest the answer can come.
            var end: Double
            var count: Int
            var open: Bool
        }
        var sends: [Send] = []
        var fullUntil: Double?

        /// The earliest wall time ≥ `now` at which `count` more messages fit in the window.
        /// An open send counts until its answer, which is at `now` or later.
        func earliest(count: Int, limit: Int, window: Double, now: Double) -> Double {
            var at = now
            if let fullUntil, fullUntil > at { at = fullUntil }
            guard limit > 0 else { return at }
            let allowed = max(0, limit - min(count, limit))
            let leaving = sends.map { (leaves: ($0.open ? max(now, $0.start) : $0.end) + window, count: $0.count) }
                .filter { $0.leaves > now }
                .sorted { $0.leaves > $1.leaves }
            var inWindow = 0
            for send in leaving {
                inWindow += send.count
                if inWindow > allowed { return max(at, send.leaves) }
            }
            return at
        }

        /// Drops what no run can have written by now — a send starting or answered in the
        /// future, a `full_until` beyond a window plus the longest Retry-After (a clock stepped
        /// back, a damaged file) — so the budget never waits longer than that. True if any.
        mutating func dropImpossible(now: Double, window: Double, retryAfterCap: Double) -> Bool {
            let slack = 1.0
            let before = sends.count
            sends.removeAll { $0.start > now + slack || (!$0.open && $0.end > now + slack) || !$0.start.isFinite || !$0.end.isFinite }
            var dropped = sends.count != before
            if let f = fullUntil, !(f <= now + window + retryAfterCap + slack) {
                fullUntil = nil
                dropped = true
            }
            return dropped
        }

        mutating func prune(now: Double, window: Double) {
            sends.removeAll { $0.end + window <= now }
            if let f = fullUntil, f <= now { fullUntil = nil }
        }
    }

    /// Opens (once) and locks the link's file, hands its state to `body`, and writes it back
    /// when `body` returns true. False when the file could not be used (warned once).
    private func withFile(_ link: String, _ body: (inout FileState) -> Bool) -> Bool {
        guard let fd = handle(for: link) else { return false }
        guard Sys.lockExclusive(fd, wait: true) else {
            give(up: link, "cannot lock \(path(for: link)): \(Sys.lastError)")
            return false
        }
        defer { Sys.unlock(fd) }
        let now = Date().timeIntervalSince1970
        var state = FileState()
        guard let bytes = Sys.readAll(fd) else {
            give(up: link, "cannot read \(path(for: link)): \(Sys.lastError)")
            return false
        }
        var rewrite = false
        if !bytes.isEmpty {
            if let parsed = Self.decode(bytes, hash: Self.linkHash(link)) {
                state = parsed
            } else {
                warn("the shared budget file \(path(for: link)) is not herald's state (damaged?); it is started afresh")
                rewrite = true
            }
        }
        if state.dropImpossible(now: now, window: window, retryAfterCap: retryAfterCap) {
            warn("the shared budget file \(path(for: link)) holds send times in the future (a clock stepped back, or a damaged file); they are ignored")
            rewrite = true
        }
        let count = state.sends.count
        state.prune(now: now, window: window)
        if body(&state) || rewrite || state.sends.count != count {
            let data = Self.encode(state, hash: Self.linkHash(link))
            guard Sys.write(fd, data, at: 0), Sys.truncate(fd, data.count) else {
                give(up: link, "cannot write \(path(for: link)): \(Sys.lastError)")
                return false
            }
        }
        return true
    }

    private func handle(for link: String) -> Int32? {
        let existing = handles.withLock { $0[link] }
        switch existing {
        case .open(let fd): return fd
        case .unavailable: return nil
        case nil: break
        }
        var handle = Handle.unavailable
        if Sys.makeDirectories(directory) {
            let fd = Sys.open(path(for: link), Sys.readWriteCreate, 0o600)
            if fd >= 0 {
                handle = .open(fd)
            } else {
                warn("cannot open the shared budget file \(path(for: link)): \(Sys.lastError); this robot is paced by this run alone")
            }
        } else if !warnedDirectory.withLock({ warned in
            let before = warned
            warned = true
            return before
        }) {
            warn("cannot use the state folder \(directory) for the shared budget: \(Sys.lastError); each robot is paced by this run alone")
        }
        return handles.withLock { handles in
            if case .open(let fd)? = handles[link] {
                // Another worker opened it meanwhile (cannot happen for one lane per link, but cheap to handle).
                if case .open(let mine) = handle { Sys.close(mine) }
                return fd
            }
            handles[link] = handle
            if case .open(let fd) = handle { return fd }
            return nil
        }
    }

    private func give(up link: String, _ reason: String) {
        warn("\(reason); this robot is paced by this run alone")
        handles.withLock { handles in
            if case .open(let fd)? = handles[link] { Sys.close(fd) }
            handles[link] = .unavailable
        }
    }

    // `{"version":1,"link_sha256":"…","full_until":…,"sends":[{"id":…,"start":…,"end":…,"messages":…,"open":…}]}`
    static func encode(_ state: FileState, hash: String) -> [UInt8] {
        var object: [String: Any] = [
            "version": 1, "link_sha256": hash,
            "sends": state.sends.map { ["id": $0.id, "start": $0.start, "end": $0.end, "messages": $0.count, "open": $0.open] as [String: Any] },
        ]
        if let f = state.fullUntil { object["full_until"] = f }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return [UInt8](data) + [0x0A]
    }

    static func decode(_ bytes: [UInt8], hash: String) -> FileState? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any],
              object["version"] as? Int == 1, object["link_sha256"] as? String == hash,
              let sends = object["sends"] as? [[String: Any]] else { return nil }
        var state = FileState()
        for send in sends {
            guard let id = send["id"] as? String, let start = (send["start"] as? NSNumber)?.doubleValue,
                  let end = (send["end"] as? NSNumber)?.doubleValue, let count = send["messages"] as? Int,
                  let open = send["open"] as? Bool else { return nil }
            state.sends.append(.init(id: id, start: start, end: end, count: count, open: open))
        }
        state.fullUntil = (object["full_until"] as? NSNumber)?.doubleValue
        return state
    }
}
