import Foundation

/// Where `herald serve` keeps what it accepted until it is delivered: queued requests, each
/// robot's recent sends (its budget) and the dedupe keys (SPEC §12): `SQLiteStore` (one
/// machine) or `PostgresStore` (shared by many processes and hosts), each operation one
/// transaction.
/// Every time comes from the caller (`acceptedAt`, `now`, `answeredAt`): the store reads no clock
/// for what it decides.
package protocol RequestStore: Sendable {
    /// Creates or upgrades the schema (versioned) in one transaction; refuses a store written by
    /// a newer Herald. Called once at start, before anything else.
    func migrate() async throws(StoreError)

    /// Stores the event and all its requests in ONE durable transaction (committed, fsynced)
    /// before it returns, or nothing. With an active dedupe key, a key first seen within
    /// `dedupeWindow` seconds before `acceptedAt` makes it a duplicate and nothing is stored;
    /// the window runs from the first event with that key on the route (a duplicate does not extend it).
    func accept(_ event: AcceptedEvent) async throws(StoreError) -> AcceptResult

    /// Requests left `sending` by a crash go back to `queued` (sent again: at-least-once), their
    /// robot sends counted as answered now. At start, before delivery. Returns how many. A shared
    /// store (PostgreSQL) requeues only claims whose lease has ended: other processes may be alive.
    func requeueInFlight() async throws(StoreError) -> Int

    /// Claims (marks `sending`, one more attempt) the head of up to `limit` links, oldest head
    /// first: a link's head is its queued request with the lowest id; a link with a request
    /// `sending` has none; a head whose notBefore is later than `now`, or whose robot has
    /// `rateLimit` messages in the last `window` seconds (answered sends counted at their answer,
    /// claimed ones as sending now) so that the head's messages would not fit, is not claimed.
    /// `rateLimit` 0 = no budget. `nextDue` is the earliest time a link now waiting could be
    /// claimed (`now` when `limit` left some ready; nil when none waits on time: a link waiting
    /// only on its request in flight is woken by `finish`).
    func claim(limit: Int, rateLimit: Int, window: Double, now: Date) async throws(StoreError)
        -> (requests: [StoredRequest], nextDue: Date?)

    /// Records a claimed request's outcome and its robot's send (counted at `answeredAt`) in one
    /// transaction. Throws `.notInFlight` when the request is not `sending`.
    func finish(_ id: Int64, _ result: AttemptResult) async throws(StoreError)

    /// Requests in id order, of one state or all (`herald queue list`).
    func list(state: RequestState?, limit: Int) async throws(StoreError) -> [StoredRequest]

    /// `failed` → `queued`, keeping its id (so it is its link's head again), its give-up time
    /// starting anew. Returns how many changed.
    func retry(_ ids: [Int64]) async throws(StoreError) -> Int

    /// Deletes requests in any state but `sending`. Returns how many.
    func drop(_ ids: [Int64]) async throws(StoreError) -> Int

    /// Counts per state and the oldest queued request (`/metrics`).
    func stats(now: Date) async throws(StoreError) -> QueueStats

    /// True when the store answers (`/readyz`).
    func ping() async -> Bool

    /// Calls `wake` whenever another process may have made work (an event accepted, a request
    /// retried or requeued), for as long as the store is open; returns once it is watching. A
    /// store only this process writes has nothing to watch: the default does nothing.
    func watchForWork(_ wake: @escaping @Sendable () -> Void) async

    /// Finishes what was asked before, then closes; later calls throw `.closed`.
    func close() async
}

extension RequestStore {
    package func watchForWork(_ wake: @escaping @Sendable () -> Void) async {}
}
