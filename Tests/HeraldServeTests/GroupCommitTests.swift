import Foundation
@testable import HeraldServe
import Synchronization
import Testing

/// Accepts that come in while the store is busy are committed in one transaction, in the
/// order they came: the serial path is held until all of them wait, then released.
@Suite struct GroupCommitTests {
    typealias S = Sample

    @Test func waitingAcceptsShareOneCommitAndDedupeInOrder() async throws {
        let store = try await SQLiteStore.open(path: temporaryStorePath())
        try await store.migrate()
        let before = store.writeTransactions
        let gate = Gate()
        let holder = Task { try await store.holdSerialPath { await gate.wait() } }
        while !gate.isWaiting { try await Task.sleep(for: .milliseconds(5)) }
        // Events 0…63, in this order; keys repeat every 16 events.
        var accepts: [Task<AcceptResult, any Error>] = []
        for n in 0..<64 {
            accepts.append(Task { try await store.accept(S.event([S.request("l\(n % 5)", n)], key: "key-\(n % 16)", window: 600)) })
            while store.waitingWrites < n + 1 { try await Task.sleep(for: .milliseconds(1)) }
        }
        gate.open()
        try await holder.value
        var results: [AcceptResult] = []
        for accept in accepts { results.append(try await accept.value) }
        #expect(store.writeTransactions - before == 1, "64 events, one transaction")
        // The first event with each key is stored; the three later ones are its duplicates.
        for n in 0..<64 {
            if n < 16 {
                #expect(results[n].eventID != nil)
            } else {
                #expect(results[n] == .duplicate(firstID: try #require(results[n % 16].eventID)))
            }
        }
        let stored = try await store.list(state: nil, limit: 100)
        #expect(stored.map { S.number($0) } == Array(0..<16), "stored in acceptance order")
        await store.close()
    }
}

/// Opens once; `wait` returns when it is open.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiting: CheckedContinuation<Void, Never>?)>((false, nil))

    var isWaiting: Bool { state.withLock { $0.waiting != nil } }

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.open { return true }
                state.waiting = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.open = true
            defer { state.waiting = nil }
            return state.waiting
        }
        waiting?.resume()
    }
}
