import Foundation
import HeraldTemplate

/// Time for pacing and backoff, injectable so tests do not wait real minutes.
public protocol RunClock: Sendable {
    /// Seconds since the clock's start.
    func now() -> Double
    /// Sleeps until `deadline`, until `interrupted` turns true (checked often), or until the
    /// task is cancelled.
    func sleep(until deadline: Double, interrupted: @Sendable () -> Bool) async
    /// Whether time passes while requests are in flight. The real clock's does; a virtual
    /// clock's does not (requests take no virtual time), so the runner lets it move on only
    /// when nothing is in flight, and a run's virtual times do not depend on thread timing.
    var passesDuringRequests: Bool { get }
}

extension RunClock {
    public var passesDuringRequests: Bool { true }
}

/// The real clock.
public struct SystemClock: RunClock {
    private let start = ContinuousClock.now

    public init() {}

    public func now() -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    public func sleep(until deadline: Double, interrupted: @Sendable () -> Bool) async {
        while !interrupted() {
            let left = deadline - now()
            if left <= 0 { return }
            // Short naps so an interrupt is noticed promptly; cancellation ends a nap at once.
            try? await Task.sleep(for: .milliseconds(Int(min(left, 0.1) * 1000) + 1))
            if Task.isCancelled { return }
        }
    }
}

/// A clock for tests: sleeping jumps virtual time forward at once, and records the waits.
public final class VirtualClock: RunClock {
    private struct State {
        var current: Double = 0
        var waits: [Double] = []
    }
    private let state = Locked(State())

    public init() {}

    public var passesDuringRequests: Bool { false }

    public func now() -> Double { state.withLock { $0.current } }

    public func sleep(until deadline: Double, interrupted: @Sendable () -> Bool) async {
        state.withLock { state in
            if deadline > state.current {
                state.waits.append(deadline - state.current)
                state.current = deadline
            }
        }
        await Task.yield()
    }

    /// Moves time on without recording a wait: a test transport's answer that takes a while.
    public func advance(by seconds: Double) {
        state.withLock { $0.current += max(0, seconds) }
    }

    /// Every wait so far, in seconds.
    public var recordedWaits: [Double] { state.withLock { $0.waits } }
}
