import Foundation

/// One result slot per parallel worker (`concurrentPerform`); each worker stores only its own,
/// and the caller takes them in order afterwards.
final class Slots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ i: Int, _ value: T) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    func take(_ i: Int) -> T? {
        lock.lock()
        defer { lock.unlock() }
        let value = slots[i]
        slots[i] = nil
        return value
    }
}
