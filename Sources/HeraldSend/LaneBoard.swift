import HeapModule
import HeraldCore
import HeraldTemplate

/// One link's requests and where its head request stands. Owned by the board while parked,
/// by one worker while that worker sends its head request.
struct Lane: Sendable {
    let requests: [PlannedRequest]
    var next = 0
    var pacing: PacingSchedule
    /// Set after a final failure: the later requests are not sent, to keep the order.
    var blockedBy: String?
    /// The head request's outcome so far (attempts, waits); nil until it becomes the head.
    var current: RequestOutcome?
    /// When the head request became the head.
    var began: Double
    /// The wait under way: since when, and what it is for (each reason up to a time, in order).
    var waitStart: Double
    var segments: [(reason: WaitReason, until: Double)] = []
    /// While waiting to retry: why the last attempt failed.
    var retryReason: String?

    init(requests: [PlannedRequest], pacing: PacingSchedule, start: Double) {
        self.requests = requests
        self.pacing = pacing
        self.began = start
        self.waitStart = start
    }

    /// Books the time since `waitStart` on the head request, by reason; what exceeds the
    /// planned segments was a wait for a free slot (`concurrency`).
    mutating func accountWait(until now: Double) {
        guard var outcome = current else { return }
        var cursor = waitStart
        for segment in segments where segment.until > cursor && cursor < now {
            let end = min(segment.until, now)
            outcome.addWait(end - cursor, segment.reason)
            cursor = end
        }
        let rest = now - cursor
        if rest > 0 {
            // A timer's own lateness (milliseconds) belongs to the wait that just ended.
            if rest < 0.05, let last = segments.last { outcome.addWait(rest, last.reason) } else { outcome.addWait(rest, .concurrency) }
        }
        current = outcome
        waitStart = now
        segments = []
    }
}

/// The lanes of a run between their requests: which may go now, when the others may, and
/// how many are with a worker. Workers take the lane that is due first; a lane waiting for
/// its time is parked here and holds no worker, so `--concurrency` bounds only requests in flight.
final class LaneBoard: Sendable {
    enum Take {
        case lane(Int, Lane)
        /// Nothing is due: the earliest parked time (nil when none is parked), whether other
        /// workers hold lanes, and the generation to wait on for a change.
        case idle(until: Double?, othersBusy: Bool, generation: Int)
        case done
    }

    struct Status: Sendable {
        var sending: Int
        var waiting: [WaitReason: Int]
        var nextIn: Double?
    }

    private struct Parked: Comparable {
        var at: Double
        var lane: Int
        /// What the lane waits for, each up to a time (the progress line names the current one).
        var segments: [(reason: WaitReason, until: Double)]

        /// Due first; among lanes due at once, plan order.
        static func < (a: Parked, b: Parked) -> Bool { a.at < b.at || (a.at == b.at && a.lane < b.lane) }
        static func == (a: Parked, b: Parked) -> Bool { a.at == b.at && a.lane == b.lane }
    }

    private struct State {
        var lanes: [Lane?]
        var heap = Heap<Parked>()
        var busy = 0
        var remaining: Int
        var generation = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var cancelledWaiters: Set<Int> = []
        var nextWaiter = 0

        /// Bumps the generation and hands back the waiters to resume (outside the lock).
        mutating func changed() -> [CheckedContinuation<Void, Never>] {
            generation += 1
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
    }

    private let state: Locked<State>

    /// Every lane parked at `start`, in plan order.
    init(lanes: [Lane], start: Double) {
        var s = State(lanes: lanes, remaining: lanes.count)
        for i in lanes.indices { s.heap.insert(Parked(at: start, lane: i, segments: [])) }
        state = Locked(s)
    }

    /// The lane due first, if it is due (every parked lane is, once the run is stopping, so
    /// its requests can be reported).
    func take(now: Double, stopping: Bool) -> Take {
        state.withLock { s in
            if s.remaining == 0 { return .done }
            if let top = s.heap.min, stopping || top.at <= now {
                _ = s.heap.popMin()
                s.busy += 1
                let lane = s.lanes[top.lane]!
                s.lanes[top.lane] = nil
                return .lane(top.lane, lane)
            }
            return .idle(until: s.heap.min?.at, othersBusy: s.busy > 0, generation: s.generation)
        }
    }

    /// A worker hands a lane back, due at `at`.
    func park(_ index: Int, _ lane: Lane, at: Double) {
        let waiters = state.withLock { s in
            s.lanes[index] = lane
            s.heap.insert(Parked(at: at, lane: index, segments: lane.segments))
            s.busy -= 1
            return s.changed()
        }
        for w in waiters { w.resume() }
    }

    /// A worker is done with a lane for good.
    func finish(_ index: Int) {
        let waiters = state.withLock { s in
            s.busy -= 1
            s.remaining -= 1
            return s.changed()
        }
        for w in waiters { w.resume() }
    }

    /// Wakes idle workers (an interrupt).
    func poke() {
        let waiters = state.withLock { $0.changed() }
        for w in waiters { w.resume() }
    }

    /// Returns once the board changed after `generation` (at once if it already has), or
    /// when the task is cancelled.
    func waitForChange(after generation: Int) async {
        let id = state.withLock { s in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s in
                    if s.generation != generation || s.cancelledWaiters.contains(id) { return true }
                    s.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { s in
                if let c = s.waiters.removeValue(forKey: id) { return Optional(c) }
                s.cancelledWaiters.insert(id)
                return nil
            }
            continuation?.resume()
        }
        state.withLock { _ = $0.cancelledWaiters.remove(id) }
    }

    /// For the progress line: lanes sending, lanes waiting by reason, and the next due time.
    func status(now: Double) -> Status {
        state.withLock { s in
            var waiting: [WaitReason: Int] = [:]
            var next: Double?
            for p in s.heap.unordered {
                if p.at <= now {
                    waiting[.concurrency, default: 0] += 1
                } else {
                    waiting[p.segments.first { $0.until > now }?.reason ?? .pacing, default: 0] += 1
                    next = min(next ?? p.at, p.at)
                }
            }
            return Status(sending: s.busy, waiting: waiting, nextIn: next.map { $0 - now })
        }
    }
}
