import HeraldTemplate

/// Runs an operation with a time limit that holds even when the operation does not: a pool
/// waiting for a server that is gone, or a connection whose peer stopped answering, may ignore
/// cancellation, so the caller is answered from whichever finishes first — the operation or the
/// clock — and the operation, cancelled, is left to end on its own.
enum PostgresDeadline {
    struct Expired: Error {}

    static func run<T: Sendable>(seconds: Double, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                race.start(continuation)
                race.add(Task {
                    do { race.finish(.success(try await operation())) } catch { race.finish(.failure(error)) }
                })
                race.add(Task {
                    try? await Task.sleep(for: .seconds(seconds))
                    race.finish(.failure(Expired()))
                })
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// The first result wins; the tasks still running are cancelled.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var tasks: [Task<Void, Never>] = []
            var result: Result<T, any Error>?
        }

        private let state = Locked(State())

        func start(_ continuation: CheckedContinuation<T, any Error>) {
            let early = state.withLock { state -> Result<T, any Error>? in
                if state.result == nil { state.continuation = continuation }
                return state.result
            }
            if let early { continuation.resume(with: early) }
        }

        func add(_ task: Task<Void, Never>) {
            let finished = state.withLock { state -> Bool in
                if state.result == nil { state.tasks.append(task) }
                return state.result != nil
            }
            if finished { task.cancel() }
        }

        func finish(_ result: Result<T, any Error>) {
            let (continuation, tasks) = state.withLock { state -> (CheckedContinuation<T, any Error>?, [Task<Void, Never>]) in
                guard state.result == nil else { return (nil, []) }
                state.result = result
                defer { state.continuation = nil; state.tasks = [] }
                return (state.continuation, state.tasks)
            }
            for task in tasks { task.cancel() }
            continuation?.resume(with: result)
        }
    }
}
