import Foundation
import HeraldCore
@testable import HeraldServe
import Testing

/// The store contract (RequestStore.swift), run against every kind of store (`StoreMaker.all`).
@Suite struct StoreConformanceTests {
    typealias S = Sample

    // MARK: accept

    @Test(arguments: StoreMaker.all) func acceptStoresEveryRequestInPlanOrder(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            let result = try await store.accept(S.event([S.request("a", 1), S.request("b", 2, messages: 3), S.request("a", 3)]))
            let eventID = try #require(result.eventID)
            #expect(result == .accepted(eventID: eventID, requests: 3))
            let stored = try await store.list(state: nil, limit: 100)
            #expect(stored.map { S.number($0) } == [1, 2, 3])
            #expect(stored.map(\.id) == stored.map(\.id).sorted() && Set(stored.map(\.id)).count == 3)
            #expect(stored.allSatisfy { $0.eventID == eventID && $0.route == "alerts" && $0.state == .queued && $0.attempts == 0 })
            #expect(stored.map(\.messageCount) == [1, 3, 1])
            #expect(stored[1].link == S.link("b") && stored[1].contentID == "content-b-2" && stored[1].platform == .wecom)
            #expect(stored[1].body == S.request("b", 2).body)
            #expect(same(stored[0].acceptedAt, S.base))
            #expect(stored.allSatisfy { $0.firstAttemptAt == nil && $0.notBefore == nil && $0.lastError == nil })
        }
    }

    @Test(arguments: StoreMaker.all) func anEventWithNoRequestsIsAcceptedEmpty(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            let result = try await store.accept(S.event([]))
            #expect(result.eventID != nil && result == .accepted(eventID: result.eventID ?? 0, requests: 0))
            #expect(try await store.list(state: nil, limit: 10).isEmpty)
        }
    }

    /// A request that cannot be stored fails its whole event, and only its event: the others of
    /// the same group commit are stored.
    @Test(arguments: StoreMaker.all) func anEventIsStoredWholeOrNotAtAll(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, location in
            try await maker.poisonLink(location, S.link("poison"))
            do throws(StoreError) {
                _ = try await store.accept(S.event([S.request("a", 1), S.request("b", 2), S.request("poison", 3)]))
                Issue.record("an event with a request that cannot be stored was accepted")
            } catch {
                #expect(error.description.hasPrefix(maker.shownAs(location) + ": "))
                #expect(!error.description.contains("secret"), "the error names the store, not the link's key")
            }
            #expect(try await store.list(state: nil, limit: 10).isEmpty, "no request of the failed event is stored")
            let results = await withTaskGroup(of: (Int, Bool).self) { group in
                for n in 0..<16 {
                    group.addTask {
                        let requests = n == 7 ? [S.request("a", n), S.request("poison", n)] : [S.request("a", n), S.request("b", n)]
                        return (n, (try? await store.accept(S.event(requests))) != nil)
                    }
                }
                var results: [Int: Bool] = [:]
                for await (n, ok) in group { results[n] = ok }
                return results
            }
            #expect(results.filter { !$0.value }.map(\.key) == [7])
            let stored = try await store.list(state: nil, limit: 100)
            #expect(stored.count == 30)
            #expect(!stored.contains { S.number($0) == 7 })
        }
    }

    @Test(arguments: StoreMaker.all) func idsFollowAcceptanceAcrossEvents(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            var eventIDs: [Int64] = []
            for n in 0..<5 {
                eventIDs.append(try #require(try await store.accept(S.event([S.request("a", 2 * n), S.request("b", 2 * n + 1)])).eventID))
            }
            #expect(eventIDs == eventIDs.sorted() && Set(eventIDs).count == 5)
            let stored = try await store.list(state: nil, limit: 100)
            #expect(stored.map { S.number($0) } == Array(0..<10))
            #expect(stored.map(\.eventID) == eventIDs.flatMap { [$0, $0] })
        }
    }

    @Test(arguments: StoreMaker.all) func concurrentAcceptsAreAllStored(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            let ids = try await withThrowingTaskGroup(of: Int64?.self) { group in
                for n in 0..<200 { group.addTask { try await store.accept(S.event([S.request("l\(n % 7)", n), S.request("x", n)])).eventID } }
                var ids: [Int64] = []
                for try await id in group { ids.append(try #require(id)) }
                return ids
            }
            #expect(Set(ids).count == 200)
            let stored = try await store.list(state: nil, limit: 1000)
            #expect(stored.count == 400)
            for id in ids { #expect(stored.filter { $0.eventID == id }.count == 2) }
            // An event's requests keep plan order even when the events are committed together.
            let byEvent = Dictionary(grouping: stored, by: \.eventID)
            #expect(byEvent.values.allSatisfy { $0[0].link != S.link("x") && $0[1].link == S.link("x") && $0[0].id < $0[1].id })
        }
    }

    // MARK: claim

    @Test(arguments: StoreMaker.all) func claimTakesEachLinksHeadOneInFlightPerLink(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            _ = try await store.accept(S.event([S.request("a", 1), S.request("b", 2)]))
            _ = try await store.accept(S.event([S.request("a", 3), S.request("c", 4), S.request("a", 5)]))
            let now = S.base
            let first = try await store.claim(limit: 10, rateLimit: 0, window: 60, now: now)
            #expect(first.requests.map { S.number($0) } == [1, 2, 4])
            #expect(first.requests.allSatisfy { $0.state == .sending && $0.attempts == 1 && $0.firstAttemptAt != nil })
            #expect(first.nextDue == nil)
            #expect(try await store.claim(limit: 10, rateLimit: 0, window: 60, now: now).requests.isEmpty,
                    "a link with a request sending has no head")
            try await store.finish(first.requests[0].id, .delivered(answeredAt: now))
            let second = try await store.claim(limit: 10, rateLimit: 0, window: 60, now: now)
            #expect(second.requests.map { S.number($0) } == [3])
            try await store.finish(second.requests[0].id, .delivered(answeredAt: now))
            #expect(try await store.claim(limit: 10, rateLimit: 0, window: 60, now: now).requests.map { S.number($0) } == [5])
            #expect(try await store.list(state: .delivered, limit: 10).map { S.number($0) } == [1, 3])
        }
    }

    @Test(arguments: StoreMaker.all) func claimStopsAtTheLimitAndSaysMoreIsReady(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            _ = try await store.accept(S.event((1...5).map { S.request("l\($0)", $0) }))
            let claimed = try await store.claim(limit: 2, rateLimit: 0, window: 60, now: S.base)
            #expect(claimed.requests.map { S.number($0) } == [1, 2])
            #expect(claimed.nextDue == S.base)
            #expect(try await store.claim(limit: 0, rateLimit: 0, window: 60, now: S.base).requests.isEmpty)
        }
    }

    @Test(arguments: StoreMaker.all) func aRetryWaitsForItsNotBeforeAndStaysTheHead(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            _ = try await store.accept(S.event([S.request("a", 1), S.request("a", 2)]))
            let now = S.base
            let first = try #require(try await store.claim(limit: 5, rateLimit: 0, window: 60, now: now).requests.first)
            try await store.finish(first.id, .retry(reason: "relay answered 503", notBefore: now + 30, answeredAt: now))
            let waiting = try await store.claim(limit: 5, rateLimit: 0, window: 60, now: now + 10)
            #expect(waiting.requests.isEmpty, "the head waits; the link's next request does not overtake it")
            #expect(same(waiting.nextDue, now + 30))
            let queued = try #require(try await store.list(state: .queued, limit: 5).first)
            #expect(queued.id == first.id && queued.lastError == "relay answered 503" && same(queued.notBefore, now + 30))
            let again = try #require(try await store.claim(limit: 5, rateLimit: 0, window: 60, now: now + 30).requests.first)
            #expect(again.id == first.id && again.attempts == 2)
            #expect(again.firstAttemptAt == first.firstAttemptAt, "give-up time counts from the first attempt")
        }
    }

    @Test(arguments: StoreMaker.all) func theBudgetCountsAnsweredSendsInTheWindow(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            _ = try await store.accept(S.event([S.request("a", 1), S.request("a", 2), S.request("a", 3), S.request("b", 4, messages: 2)]))
            let t = S.base
            func claim(_ at: Date) async throws -> (requests: [StoredRequest], nextDue: Date?) {
                try await store.claim(limit: 10, rateLimit: 2, window: 60, now: at)
            }
            let first = try await claim(t)
            #expect(first.requests.map { S.number($0) } == [1, 4], "2 messages fit a budget of 2")
            for request in first.requests { try await store.finish(request.id, .delivered(answeredAt: t + 1)) }
            let second = try await claim(t + 2)
            #expect(second.requests.map { S.number($0) } == [2], "a has sent 1 of 2; b's 2 fill its window")
            try await store.finish(second.requests[0].id, .delivered(answeredAt: t + 3))
            let full = try await claim(t + 4)
            #expect(full.requests.isEmpty)
            #expect(same(full.nextDue, t + 61),
                    "a fits again when its first send leaves the window")
            #expect(try await claim(t + 61.5).requests.map { S.number($0) } == [3])
        }
    }

    /// An answered retry charged the robot; one never answered did not.
    @Test(arguments: StoreMaker.all) func aRetryChargesTheBudgetOnlyWhenAnswered(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            _ = try await store.accept(S.event([S.request("a", 1), S.request("b", 2)]))
            let t = S.base
            let claimed = try await store.claim(limit: 10, rateLimit: 1, window: 60, now: t).requests
            #expect(claimed.count == 2)
            let a = try #require(claimed.first { S.number($0) == 1 }), b = try #require(claimed.first { S.number($0) == 2 })
            try await store.finish(a.id, .retry(reason: "relay answered 502", notBefore: t, answeredAt: t))
            try await store.finish(b.id, .retry(reason: "relay not reached", notBefore: t, answeredAt: nil))
            let next = try await store.claim(limit: 10, rateLimit: 1, window: 60, now: t + 1)
            #expect(next.requests.map { S.number($0) } == [2])
            #expect(same(next.nextDue, t + 60))
        }
    }

    @Test(arguments: StoreMaker.all) func aFailedRequestDoesNotBlockItsLink(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            _ = try await store.accept(S.event([S.request("a", 1), S.request("a", 2)]))
            let first = try #require(try await store.claim(limit: 5, rateLimit: 0, window: 60, now: S.base).requests.first)
            try await store.finish(first.id, .failed(reason: "relay code 40058: invalid data", answeredAt: S.base))
            #expect(try await store.claim(limit: 5, rateLimit: 0, window: 60, now: S.base).requests.map { S.number($0) } == [2])
            let failed = try await store.list(state: .failed, limit: 5)
            #expect(failed.map(\.id) == [first.id] && failed[0].lastError == "relay code 40058: invalid data")
        }
    }

    @Test(arguments: StoreMaker.all) func finishingARequestNotInFlightIsRefused(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            _ = try await store.accept(S.event([S.request("a", 1)]))
            let queued = try #require(try await store.list(state: nil, limit: 5).first)
            do throws(StoreError) {
                try await store.finish(queued.id, .delivered(answeredAt: S.base))
                Issue.record("finish of a queued request succeeded")
            } catch {
                #expect(error.kind == .notInFlight(id: queued.id))
            }
            #expect(try await store.list(state: .queued, limit: 5).map(\.id) == [queued.id])
        }
    }

    // MARK: retry, drop, requeue

    @Test(arguments: StoreMaker.all) func retryRequeuesFailedRequestsUnderTheirIDs(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            _ = try await store.accept(S.event([S.request("a", 1), S.request("a", 2), S.request("b", 3)]))
            let t = S.base
            let claimed = try await store.claim(limit: 5, rateLimit: 0, window: 60, now: t).requests
            let a1 = try #require(claimed.first { S.number($0) == 1 })
            try await store.finish(a1.id, .failed(reason: "given up after 1h", answeredAt: t))
            #expect(try await store.retry([a1.id, a1.id, 999_999]) == 1, "only failed requests, each once")
            let b = try #require(claimed.first { S.number($0) == 3 })
            #expect(try await store.retry([b.id]) == 0, "a request sending is not failed")
            let queued = try await store.list(state: .queued, limit: 5)
            #expect(queued.map { S.number($0) } == [1, 2])
            #expect(queued[0].id == a1.id && queued[0].firstAttemptAt == nil)
            let again = try await store.claim(limit: 5, rateLimit: 0, window: 60, now: t + 1).requests
            #expect(again.map(\.id) == [a1.id], "a retried request is its link's head again")
            #expect(again[0].attempts == 2)
            #expect(try await store.retry([]) == 0)
        }
    }

    @Test(arguments: StoreMaker.all) func dropDeletesAnythingButSending(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            _ = try await store.accept(S.event([S.request("a", 1), S.request("a", 2), S.request("b", 3), S.request("c", 4)]))
            let claimed = try await store.claim(limit: 5, rateLimit: 0, window: 60, now: S.base).requests
            #expect(claimed.map { S.number($0) } == [1, 3, 4])
            try await store.finish(claimed[2].id, .failed(reason: "no", answeredAt: S.base))
            let all = try await store.list(state: nil, limit: 10)
            #expect(try await store.drop(all.map(\.id)) == 2, "the queued and the failed one; not the two sending")
            #expect(try await store.list(state: nil, limit: 10).map { S.number($0) } == [1, 3])
            #expect(try await store.drop([]) == 0)
        }
    }

    @Test(arguments: StoreMaker.all) func requeueInFlightPutsSendingBackInOrder(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            _ = try await store.accept(S.event([S.request("a", 1), S.request("a", 2), S.request("b", 3)]))
            let t = Date()
            // Claimed long ago, by a process that then crashed: a shared store's lease has ended too.
            let claimed = try await store.claim(limit: 5, rateLimit: 1, window: 60, now: t - 1000).requests
            #expect(claimed.count == 2)
            #expect(try await store.requeueInFlight() == 2)
            #expect(try await store.list(state: .sending, limit: 5).isEmpty)
            #expect(try await store.requeueInFlight() == 0)
            // The sends may have reached the robots: with a budget of 1 a minute, nothing goes yet.
            let blocked = try await store.claim(limit: 5, rateLimit: 1, window: 60, now: t + 1)
            #expect(blocked.requests.isEmpty && blocked.nextDue != nil)
            let again = try await store.claim(limit: 5, rateLimit: 0, window: 60, now: t + 1).requests
            #expect(again.map(\.id) == claimed.map(\.id), "each link's head again")
            #expect(again.allSatisfy { $0.attempts == 2 })
        }
    }

    // MARK: dedupe

    @Test(arguments: StoreMaker.all) func aKeySeenWithinTheWindowIsADuplicate(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            let t = S.base
            let first = try await store.accept(S.event([S.request("a", 1)], at: t, key: "k", window: 600))
            let firstID = try #require(first.eventID)
            #expect(try await store.accept(S.event([S.request("a", 2)], at: t + 599, key: "k", window: 600)) == .duplicate(firstID: firstID))
            #expect(try await store.list(state: nil, limit: 10).count == 1, "a duplicate queues nothing")
            // Another route with the same key, or a route that does not dedupe: not duplicates.
            #expect(try await store.accept(S.event([S.request("a", 3)], route: "other", at: t + 1, key: "k", window: 600)).eventID != nil)
            #expect(try await store.accept(S.event([S.request("a", 4)], at: t + 2, key: "k", window: 0)).eventID != nil)
            // The window runs from the first event: past it, the key is new again.
            let later = try await store.accept(S.event([S.request("a", 5)], at: t + 600, key: "k", window: 600))
            let laterID = try #require(later.eventID)
            #expect(try await store.accept(S.event([S.request("a", 6)], at: t + 700, key: "k", window: 600)) == .duplicate(firstID: laterID))
            #expect(try await store.list(state: nil, limit: 10).map { S.number($0) } == [1, 3, 4, 5])
        }
    }

    /// An Alertmanager HA pair posts the same group at once: the posts are committed together,
    /// and one is stored.
    @Test(arguments: StoreMaker.all) func duplicatesInOneGroupCommitAreDuplicates(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            let results = try await withThrowingTaskGroup(of: AcceptResult.self) { group in
                for n in 0..<32 {
                    group.addTask { try await store.accept(S.event([S.request("a", n)], key: "group-\(n % 2)", window: 600)) }
                }
                var results: [AcceptResult] = []
                for try await result in group { results.append(result) }
                return results
            }
            let accepted = results.compactMap(\.eventID)
            #expect(accepted.count == 2)
            let duplicates = results.compactMap { result -> Int64? in
                if case .duplicate(let first) = result { return first }
                return nil
            }
            #expect(duplicates.count == 30 && Set(duplicates) == Set(accepted))
            #expect(try await store.list(state: nil, limit: 100).count == 2)
        }
    }

    // MARK: schema, stats, lifecycle

    @Test(arguments: StoreMaker.all) func migrationsCreateReopenAndRefuseNewer(_ maker: StoreMaker) async throws {
        let location = try await maker.newLocation()
        let store = try await maker.open(location)
        try await store.migrate()
        try await store.migrate()
        #expect(await store.ping())
        _ = try await store.accept(S.event([S.request("a", 1)]))
        await store.close()

        let reopened = try await maker.open(location)
        try await reopened.migrate()
        #expect(try await reopened.list(state: nil, limit: 5).map { S.number($0) } == [1], "kept across a restart")
        await reopened.close()

        try await maker.stampSchema(location, 99)
        let newer = try await maker.open(location)
        do throws(StoreError) {
            try await newer.migrate()
            Issue.record("a store from a newer Herald was migrated")
        } catch {
            #expect(error.kind == .newerSchema(found: 99, known: maker.schemaVersion))
            #expect(error.description.contains("newer") && error.description.contains(maker.shownAs(location)))
        }
        await newer.close()
        await maker.dispose(location)
    }

    @Test(arguments: StoreMaker.all) func statsCountEachStateAndTheOldestQueued(_ maker: StoreMaker) async throws {
        try await withStore(maker) { store, _ in
            let t = S.base
            #expect(try await store.stats(now: t) == QueueStats(counts: [:], oldestQueuedAt: nil, now: t))
            _ = try await store.accept(S.event([S.request("a", 1), S.request("b", 2), S.request("c", 3)], at: t))
            _ = try await store.accept(S.event([S.request("a", 4), S.request("d", 5)], at: t + 5))
            let claimed = try await store.claim(limit: 3, rateLimit: 0, window: 60, now: t + 6).requests
            try await store.finish(claimed[0].id, .delivered(answeredAt: t + 7))
            try await store.finish(claimed[1].id, .failed(reason: "no", answeredAt: t + 7))
            let stats = try await store.stats(now: t + 10)
            #expect(stats[.queued] == 2 && stats[.sending] == 1 && stats[.failed] == 1 && stats[.delivered] == 1)
            #expect(same(stats.oldestQueuedAt, t + 5))
            #expect(abs(stats.oldestQueuedSeconds - 5) < 0.001)
        }
    }

    @Test(arguments: StoreMaker.all) func aClosedStoreRefusesEverything(_ maker: StoreMaker) async throws {
        let (store, location) = try await maker.fresh()
        await store.close()
        await maker.dispose(location)
        #expect(await !store.ping())
        do throws(StoreError) {
            _ = try await store.accept(S.event([S.request("a", 1)]))
            Issue.record("a closed store accepted")
        } catch {
            #expect(error.kind == .closed)
        }
        await #expect(throws: StoreError.self) { try await store.claim(limit: 1, rateLimit: 0, window: 60, now: S.base) }
        await store.close()
    }
}
