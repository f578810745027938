import Foundation
@testable import HeraldServe
import HeraldTemplate
import Testing

/// What only a store shared by several processes must do (the contract both stores keep is
/// `StoreConformanceTests`). Two `PostgresStore`s on one database are two processes: each has
/// its own pool and its own claimer id.
@Suite(.enabled(if: PostgresTestDatabase.isConfigured)) struct PostgresStoreTests {
    typealias S = Sample

    /// Two stores on a fresh database, migrated; both closed and the database dropped after `body`.
    func withTwoStores(lease: Double = 120, _ body: (PostgresStore, PostgresStore) async throws -> Void) async throws {
        let url = try await PostgresTestDatabase.create()
        let location = try PostgresLocation.parse(url)
        let one = PostgresStore(location: location, lease: lease), two = PostgresStore(location: location, lease: lease)
        do {
            try await one.migrate()
            try await two.migrate()
            try await body(one, two)
        } catch {
            await one.close(); await two.close(); await PostgresTestDatabase.drop(url)
            throw error
        }
        await one.close(); await two.close(); await PostgresTestDatabase.drop(url)
    }

    @Test func twoServersMigratingTogetherBothSucceed() async throws {
        let url = try await PostgresTestDatabase.create()
        let location = try PostgresLocation.parse(url)
        let stores = (0..<4).map { _ in PostgresStore(location: location) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in stores { group.addTask { try await store.migrate() } }
            try await group.waitForAll()
        }
        for store in stores { #expect(await store.ping()); await store.close() }
        await PostgresTestDatabase.drop(url)
    }

    @Test func twoProcessesClaimingTogetherNeverGetTheSameRequest() async throws {
        try await withTwoStores { one, two in
            for n in 0..<60 { _ = try await one.accept(S.event((0..<5).map { S.request("l\(($0 + n) % 12)", n * 5 + $0) })) }
            let claims = Locked<[(store: Int, request: StoredRequest)]>([])
            let now = Date()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, store) in [one, two].enumerated() {
                    for _ in 0..<3 {
                        group.addTask {
                            while true {
                                let claimed = try await store.claim(limit: 4, rateLimit: 0, window: 60, now: now)
                                if claimed.requests.isEmpty {
                                    let left = try await store.stats(now: now)
                                    if left[.queued] == 0 && left[.sending] == 0 { return }
                                    await Task.yield()
                                    continue
                                }
                                claims.withLock { $0 += claimed.requests.map { (index, $0) } }
                                for request in claimed.requests { try await store.finish(request.id, .delivered(answeredAt: now)) }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let all = claims.withLock { $0 }
            #expect(all.count == 300, "every request claimed exactly once")
            #expect(Set(all.map(\.request.id)).count == 300)
            #expect(Set(all.map(\.store)) == [0, 1], "both processes took part")
            // Claimed in order per link: a link's next request is claimed only after the one before finished.
            for (_, claimed) in Dictionary(grouping: all.map(\.request), by: \.link) {
                #expect(claimed.map(\.id) == claimed.map(\.id).sorted())
            }
            #expect(try await two.stats(now: now)[.delivered] == 300)
        }
    }

    @Test func theBudgetHoldsAcrossTwoProcessesOnOneRobot() async throws {
        try await withTwoStores { one, two in
            for n in 0..<40 { _ = try await one.accept(S.event([S.request("robot", n)])) }
            let now = Date()
            let delivered = Locked(0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for store in [one, two] {
                    for _ in 0..<3 {
                        group.addTask {
                            // Until the robot's budget is spent: after it, nothing fits before a minute.
                            for _ in 0..<200 {
                                let claimed = try await store.claim(limit: 8, rateLimit: 20, window: 60, now: now)
                                for request in claimed.requests {
                                    try await store.finish(request.id, .delivered(answeredAt: now))
                                    delivered.withLock { $0 += 1 }
                                }
                                if claimed.requests.isEmpty, let due = claimed.nextDue, due > now { return }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(delivered.withLock { $0 } == 20, "20 messages in the window, whichever process sent them")
            let later = try await two.claim(limit: 8, rateLimit: 20, window: 60, now: now + 60)
            #expect(later.requests.count == 1, "the window has passed: the robot's next head goes")
        }
    }

    @Test func aCrashedProcessesClaimIsTakenOverAfterItsLease() async throws {
        try await withTwoStores(lease: 5) { crashed, survivor in
            _ = try await crashed.accept(S.event([S.request("a", 1), S.request("a", 2)]))
            let t = Date()
            let taken = try #require(try await crashed.claim(limit: 5, rateLimit: 0, window: 60, now: t).requests.first)
            let during = try await survivor.claim(limit: 5, rateLimit: 0, window: 60, now: t + 1)
            #expect(during.requests.isEmpty, "the claim holds for its lease")
            #expect(during.nextDue.map { abs($0.timeIntervalSince(t + 5)) < 0.001 } == true, "woken when the lease ends")
            let after = try await survivor.claim(limit: 5, rateLimit: 0, window: 60, now: t + 6)
            #expect(after.requests.map(\.id) == [taken.id], "taken over, still the link's head")
            #expect(after.requests.first?.attempts == 2)
            do throws(StoreError) {
                try await crashed.finish(taken.id, .delivered(answeredAt: t + 7))
                Issue.record("the first claimer finished a request taken over from it")
            } catch {
                #expect(error.kind == .notInFlight(id: taken.id))
            }
            try await survivor.finish(taken.id, .delivered(answeredAt: t + 7))
            #expect(try await survivor.claim(limit: 5, rateLimit: 0, window: 60, now: t + 7).requests.map { S.number($0) } == [2])
        }
    }

    @Test func requeueAtStartLeavesLiveClaimsOfOtherProcesses() async throws {
        try await withTwoStores(lease: 600) { alive, restarted in
            _ = try await alive.accept(S.event([S.request("a", 1)]))
            let claimed = try await alive.claim(limit: 5, rateLimit: 0, window: 60, now: Date()).requests
            #expect(claimed.count == 1)
            #expect(try await restarted.requeueInFlight() == 0, "another process is sending it")
            #expect(try await restarted.list(state: .sending, limit: 5).map(\.id) == claimed.map(\.id))
        }
    }

    @Test func aDuplicatePostedToTwoReplicasIsQueuedOnce() async throws {
        try await withTwoStores { one, two in
            let results = try await withThrowingTaskGroup(of: AcceptResult.self) { group in
                for n in 0..<20 {
                    let store = n % 2 == 0 ? one : two
                    group.addTask { try await store.accept(S.event([S.request("a", n)], key: "group", window: 600)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.compactMap(\.eventID).count == 1)
            #expect(try await one.list(state: nil, limit: 50).count == 1)
        }
    }

    @Test func anotherProcessesAcceptRingsTheDoorbell() async throws {
        try await withTwoStores { server, other in
            let (rings, ring) = AsyncStream.makeStream(of: Void.self)
            await server.watchForWork { ring.yield() }
            _ = try await other.accept(S.event([S.request("a", 1)]))
            var iterator = rings.makeAsyncIterator()
            #expect(await iterator.next() != nil)
        }
    }

    @Test func thePasswordIsNeverInAnError() async throws {
        // Nothing listens on port 1: the connection fails, and its error names the store masked.
        let location = try PostgresLocation.parse("postgres://herald:pa55-w0rd-secret@127.0.0.1:1/herald?sslmode=disable")
        let store = PostgresStore(location: location, timeout: 3)
        do throws(StoreError) {
            try await store.migrate()
            Issue.record("migrated a store nobody serves")
        } catch {
            #expect(error.kind == .unavailable)
            #expect(!error.description.contains("pa55-w0rd-secret"))
            #expect(error.description.hasPrefix("postgres://herald:***@127.0.0.1:1/herald: "))
        }
        #expect(await !store.ping())
        await store.close()
    }
}
