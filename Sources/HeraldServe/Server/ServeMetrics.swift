import Foundation
import HeraldCore
import Prometheus

/// The §11 metrics, in swift-prometheus's registry; `/metrics` prints its text format. Labels
/// are route names, platforms, results and states — never a link, key or token.
package final class ServeMetrics: Sendable {
    package let registry = PrometheusCollectorRegistry()
    private let queued: Gauge
    private let sending: Gauge
    private let failed: Gauge
    private let oldest: Gauge
    private let robotWait: Counter

    package init() {
        queued = registry.makeGauge(name: "herald_queue_requests", labels: [("state", "queued")], help: "Requests in the store by state")
        sending = registry.makeGauge(name: "herald_queue_requests", labels: [("state", "sending")], help: "Requests in the store by state")
        failed = registry.makeGauge(name: "herald_queue_requests", labels: [("state", "failed")], help: "Requests in the store by state")
        oldest = registry.makeGauge(name: "herald_queue_oldest_seconds", help: "Age of the oldest queued request, seconds")
        robotWait = registry.makeCounter(name: "herald_robot_wait_seconds_total",
                                         help: "Seconds requests waited for their robot's budget (rate_limit per minute)")
    }

    package func event(route: String, result: String) {
        registry.makeCounter(name: "herald_events_total", labels: [("route", route), ("result", result)],
                             help: "Events posted, by route and result").increment()
    }

    package func request(platform: Platform, result: String) {
        registry.makeCounter(name: "herald_requests_total", labels: [("platform", platform.rawValue), ("result", result)],
                             help: "Relay request attempts, by platform and result").increment()
    }

    package func robotWaited(seconds: Double) {
        if seconds > 0 { robotWait.increment(by: seconds) }
    }

    package func queue(_ stats: QueueStats) {
        queued.set(Double(stats[.queued]))
        sending.set(Double(stats[.sending]))
        failed.set(Double(stats[.failed]))
        oldest.set(stats.oldestQueuedSeconds)
    }

    package func text() -> String { registry.emitToString() }
}
