#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The package's one lock: a value that threads and tasks share, behind a pthread mutex, with
/// a condition for the few places that wait (a queue between threads, a parser thread's
/// answer). pthread because ThreadSanitizer sees it on every platform (Synchronization's
/// Mutex locks with futexes it cannot see on Linux, so contended Mutexes looked like races),
/// and in the lowest target so every target uses the same one.
// Unchecked: `value` is only touched with `mutex` held; the pointers are owned by this object
// and never escape it.
package final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var value: Value

    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    package func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    /// Waits (blocking the thread) until `ready` holds, then runs `body` with the lock still
    /// held and wakes every other waiter, since `body` may have changed what they wait for.
    package func withLock<T>(waitingUntil ready: (Value) -> Bool, _ body: (inout Value) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !ready(value) { pthread_cond_wait(condition, mutex) }
        defer { pthread_cond_broadcast(condition) }
        return try body(&value)
    }
}
