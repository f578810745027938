import Foundation

/// Time for pacing and backoff, injectable so tests do not wait real minutes.
public protocol RunClock: Sendable {
    /// Seconds since the clock's start.
    func now() -> Double
    /// Sleeps until `deadline` or until `interrupted` turns true (checked often).
    func sleep(until deadline: Double, interrupted: @Sendable () -> Bool) async
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
            // Short naps so an interrupt is noticed promptly.
            try? await Task.sleep(for: .milliseconds(Int(min(left, 0.1) * 1000) + 1))
            if Task.isCancelled { return }
        }
    }
}

/// A clock for tests: sleeping jumps virtual time forward at once, and records the waits.
public final class VirtualClock: RunClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Double = 0
    private var waits: [Double] = []

    public init() {}

    public func now() -> Double {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func sleep(until deadline: Double, interrupted: @Sendable () -> Bool) async {
        advance(to: deadline)
        await Task.yield()
    }

    private func advance(to deadline: Double) {
        lock.withLock {
            if deadline > current {
                waits.append(deadline - current)
                current = deadline
            }
        }
    }

    /// Every wait so far, in seconds.
    public var recordedWaits: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return waits
    }
}
