/// Where a stored request is in its life: `queued` (waiting, or waiting again after an
/// attempt to be retried), `sending` (claimed by a sender), `failed` (final; kept until
/// `herald queue retry` or `drop`), `delivered` (kept a while, then pruned).
package enum RequestState: String, Sendable, CaseIterable {
    case queued, sending, failed, delivered
}
