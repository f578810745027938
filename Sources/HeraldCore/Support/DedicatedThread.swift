import Foundation

/// Runs blocking work on a thread of its own and resumes the caller with its result. Preparing
/// a job reads files and runs the pipeline synchronously; on a cooperative-pool thread it would
/// hold that thread (and the async sender waiting for it) for the whole preparation. One hop per
/// preparation, none per message.
package enum DedicatedThread {
    package static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.stackSize = 8 << 20  // templates recurse through sections and partials
            thread.start()
        }
    }
}
