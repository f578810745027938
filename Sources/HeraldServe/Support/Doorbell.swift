import Foundation
import HeraldTemplate

/// Wakes the delivery loop: `ring()` when an event was stored or a send finished; `wait(upTo:)`
/// returns at the first ring after the last wait, or when the time is up. Rings while nobody
/// waits are kept (as one), so a wake-up is never lost between a claim and the next wait.
package final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: (id: Int, continuation: CheckedContinuation<Void, Never>)?
        var nextID = 0
    }
    private let state = Locked(State())

    package init() {}

    package func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let w = state.waiter {
                state.waiter = nil
                return w.continuation
            }
            state.rung = true
            return nil
        }
        waiter?.resume()
    }

    /// One waiter at a time (the loop).
    package func wait(upTo seconds: Double) async {
        let id: Int = state.withLock { $0.nextID += 1; return $0.nextID }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = self.state.withLock { state -> Bool in
                        if state.rung || Task.isCancelled {
                            state.rung = false
                            return true
                        }
                        state.waiter = (id, continuation)
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(max(0, seconds)))
                self.release(id)
            }
            await group.next()
            group.cancelAll()
            self.release(id)
        }
    }

    /// Resumes the waiter `id` if it still waits (its time is up, or it was cancelled).
    private func release(_ id: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let w = state.waiter, w.id == id else { return nil }
            state.waiter = nil
            return w.continuation
        }
        waiter?.resume()
    }
}
