import SQLiteNIO

/// The one path through which everything runs on the store's connection: jobs run one at a
/// time, in the order they were given, so one caller's transaction is never interleaved with
/// another's statements and the process never contends with itself for SQLite's write lock.
final class SQLiteSerialPath: Sendable {
    typealias Job = @Sendable (SQLiteSession) async -> Void

    private let jobs: AsyncStream<Job>.Continuation
    private let runner: Task<Void, Never>
    let session: SQLiteSession

    init(session: SQLiteSession) {
        let (stream, jobs) = AsyncStream<Job>.makeStream()
        self.jobs = jobs
        self.session = session
        runner = Task {
            for await job in stream { await job(session) }
            // The stream ends when the store closes, or is dropped unclosed: close the connection either way.
            if !session.connection.isClosed { try? await session.connection.close() }
        }
    }

    /// Queues `job`; false when the path is closed.
    func enqueue(_ job: @escaping Job) -> Bool {
        if case .terminated = jobs.yield(job) { return false }
        return true
    }

    /// Runs `body` on the path and hands back its value or error.
    func run<T: Sendable>(_ body: @escaping @Sendable (SQLiteSession) async throws(StoreError) -> T) async throws(StoreError) -> T {
        let result = await withCheckedContinuation { (done: CheckedContinuation<Result<T, StoreError>, Never>) in
            let queued = enqueue { session in
                do throws(StoreError) { done.resume(returning: .success(try await body(session))) } catch {
                    done.resume(returning: .failure(error))
                }
            }
            if !queued { done.resume(returning: .failure(closedError)) }
        }
        return try result.get()
    }

    var closedError: StoreError { StoreError(.closed, store: session.path, "the store is closed") }

    /// Runs what was queued, closes the connection, and refuses anything later.
    func close() async {
        jobs.finish()
        await runner.value
    }
}
