import DequeModule
import HeraldTemplate

/// Hands items from one thread to another in order, holding at most `capacity`: the producer
/// waits when it is full, the consumer when it is empty; `finish()` ends it.
final class BoundedQueue<Element: Sendable>: Sendable {
    private struct State {
        var items = Deque<Element>()
        var finished = false
    }
    private let state = Locked(State())
    private let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func put(_ item: Element) {
        let capacity = self.capacity
        state.withLock(waitingUntil: { $0.items.count < capacity }) { $0.items.append(item) }
    }

    func finish() {
        state.withLock(waitingUntil: { _ in true }) { $0.finished = true }
    }

    /// The next item, or nil once the queue is finished and empty.
    func next() -> Element? {
        state.withLock(waitingUntil: { !$0.items.isEmpty || $0.finished }) { $0.items.popFirst() }
    }
}
