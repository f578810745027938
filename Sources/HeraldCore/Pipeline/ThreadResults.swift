import HeraldTemplate

/// One result slot per parallel worker (`concurrentPerform`); each worker stores only its own,
/// and the caller takes them in order afterwards.
final class ThreadResults<T: Sendable>: Sendable {
    private let slots: Locked<[T?]>

    init(count: Int) { slots = Locked(Array(repeating: nil, count: count)) }

    func store(_ i: Int, _ value: T) {
        slots.withLock { $0[i] = value }
    }

    func take(_ i: Int) -> T? {
        slots.withLock { slots in
            let value = slots[i]
            slots[i] = nil
            return value
        }
    }
}
