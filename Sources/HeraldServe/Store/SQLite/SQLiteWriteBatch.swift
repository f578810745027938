import Foundation
import SQLiteNIO
import HeraldTemplate

/// Group commit: the writes (`accept`, `finish`) that come in while the path is busy are
/// collected and committed together in ONE transaction, so a burst of events costs one fsync,
/// not one each. Each caller is resumed after that commit, and events are stored in the order
/// they came, so dedupe sees an earlier event of the same batch.
final class SQLiteWriteBatch: Sendable {
    enum Write: Sendable {
        case accept(AcceptedEvent, CheckedContinuation<Result<AcceptResult, StoreError>, Never>)
        case finish(Int64, AttemptResult, CheckedContinuation<Result<Void, StoreError>, Never>)
    }

    private struct Pending {
        var writes: [Write] = []
        /// A commit job is queued on the path and has not taken the writes yet.
        var scheduled = false
    }

    private let path: SQLiteSerialPath
    private let pending = Locked(Pending())
    private let committed = Locked(0)

    /// Transactions committed so far (StoreBench's batch size; the group-commit test).
    var transactions: Int { committed.withLock { $0 } }
    /// Writes waiting for the next commit.
    var waiting: Int { pending.withLock { $0.writes.count } }

    init(path: SQLiteSerialPath) {
        self.path = path
    }

    func accept(_ event: AcceptedEvent) async throws(StoreError) -> AcceptResult {
        let result = await withCheckedContinuation { add(.accept(event, $0)) }
        return try result.get()
    }

    func finish(_ id: Int64, _ result: AttemptResult) async throws(StoreError) {
        let outcome = await withCheckedContinuation { add(.finish(id, result, $0)) }
        try outcome.get()
    }

    private func add(_ write: Write) {
        let schedule = pending.withLock { pending in
            pending.writes.append(write)
            defer { pending.scheduled = true }
            return !pending.scheduled
        }
        guard schedule else { return }
        let queued = path.enqueue { [self] session in
            let writes = pending.withLock { pending in
                pending.scheduled = false
                defer { pending.writes = [] }
                return pending.writes
            }
            await commit(writes, session)
        }
        if !queued {
            let writes = pending.withLock { pending in
                defer { pending.writes = []; pending.scheduled = false }
                return pending.writes
            }
            for write in writes { write.resume(path.closedError) }
        }
    }

    /// One transaction for all of `writes`. If a write fails, the transaction is rolled back and
    /// each write is tried again alone, so one bad write fails only its own caller.
    private func commit(_ writes: [Write], _ session: SQLiteSession) async {
        guard !writes.isEmpty else { return }
        do throws(StoreError) {
            try await session.execute("BEGIN IMMEDIATE")
        } catch {
            for write in writes { write.resume(error) }
            return
        }
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(writes.count)
        do throws(StoreError) {
            // The batch's events go in together, in arrival order; a finish concerns a request
            // committed before (it was claimed), so its place among them does not matter.
            var accepted = try await SQLiteAccept.accept(writes.compactMap(\.event), session).makeIterator()
            for write in writes {
                switch write {
                case .accept:
                    guard let result = accepted.next() else { throw StoreError(.unavailable, store: session.path, "internal: an event without a result") }
                    outcomes.append(.accepted(result))
                case .finish(let id, let result, _):
                    outcomes.append(try await SQLiteFinish.finish(id, result, session) ? .finished
                        : .failed(StoreError(.notInFlight(id: id), store: session.path, "request \(id) is not being sent")))
                }
            }
            try await session.execute("COMMIT")
            committed.withLock { $0 += 1 }
        } catch {
            await session.rollback()
            if writes.count == 1 || error.kind == .closed {
                for write in writes { write.resume(error) }
            } else {
                for write in writes { await commit([write], session) }
            }
            return
        }
        for (write, outcome) in zip(writes, outcomes) { write.resume(outcome) }
    }

    /// What a write's caller is told once the batch is committed.
    enum Outcome {
        case accepted(AcceptResult)
        case finished
        case failed(StoreError)
    }
}

extension SQLiteWriteBatch.Write {
    var event: AcceptedEvent? {
        if case .accept(let event, _) = self { return event }
        return nil
    }

    func resume(_ outcome: SQLiteWriteBatch.Outcome) {
        switch (self, outcome) {
        case (.accept(_, let done), .accepted(let result)): done.resume(returning: .success(result))
        case (.finish(_, _, let done), .finished): done.resume(returning: .success(()))
        case (_, .failed(let error)): resume(error)
        // An outcome of the other kind of write cannot happen: `apply` answers each write in kind.
        case (.accept(_, let done), .finished): done.resume(returning: .failure(StoreError(.unavailable, store: "", "internal: no result")))
        case (.finish(_, _, let done), .accepted): done.resume(returning: .success(()))
        }
    }

    func resume(_ error: StoreError) {
        switch self {
        case .accept(_, let done): done.resume(returning: .failure(error))
        case .finish(_, _, let done): done.resume(returning: .failure(error))
        }
    }
}
