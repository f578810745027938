import NIOConcurrencyHelpers

/// State shared between tasks and threads, behind a pthread mutex (NIOLockedValueBox).
/// Synchronization's Mutex locks with futexes inside a library ThreadSanitizer cannot see,
/// so under `make sanitize` every contended Mutex looked like a race; this lock it sees.
package struct Locked<Value: Sendable>: Sendable {
    private let box: NIOLockedValueBox<Value>

    package init(_ value: Value) { box = NIOLockedValueBox(value) }

    package func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        try box.withLockedValue(body)
    }
}
