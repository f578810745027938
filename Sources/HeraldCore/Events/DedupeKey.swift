import Crypto
import Foundation
import HeraldTemplate

/// An event's dedupe key (SPEC §11, "Dedupe"): the same group posted twice — an Alertmanager
/// HA pair, a retry after a lost answer — has the same key, so the second is a duplicate.
/// The store compares keys within a route (`route`, `key`).
package enum DedupeKey {
    /// nil when the route does not dedupe (`dedupe: 0`).
    /// `alertmanager`: lowercase hex SHA-256 of `groupKey` "\n" `status` "\n" then each alert's
    /// "fingerprint:status", sorted (the order alerts arrive in does not matter), joined by "\n".
    /// `json`: the route's `dedupe_key` rendered with the event bound (as its messages are);
    /// a render error, or an empty key, is a `HeraldError` with the diagnostics.
    /// `event` is checked already (`EventPayload.problems`).
    package static func key(for event: Value, route: EventRoute, job: Job, now: Date, timeZone: TimeZone) throws(HeraldError) -> String? {
        guard route.dedupe > 0 else { return nil }
        switch route.format {
        case .alertmanager:
            return alertmanagerKey(event)
        case .json:
            guard let template = route.dedupeKey else { return nil }
            let bound = job.binding(event: event, messages: [])
            let scopes = ScopeBuilder(job: bound, run: RunContext(now: now, timeZone: timeZone))
            let engine = TemplateRenderer(partials: bound.library, options: scopes.renderOptions)
            engine.setStack { scopes.fill(&$0, entry: ScopeBuilder.EntryFrames(), recipient: nil, rowFrame: nil) }
            let context = "dedupe_key of route '\(route.name)'"
            let key: String
            do {
                key = try engine.render(template)
            } catch {
                throw HeraldError(error.diagnostics.map { Diagnostic($0, context: context) })
            }
            guard !key.isEmpty else {
                throw HeraldError([.error(at: route.position, "the \(context) is empty for this event; it must name the event (e.g. {{event.id}})")])
            }
            return key
        }
    }

    /// The key of an Alertmanager or Grafana group; missing fields count as empty.
    package static func alertmanagerKey(_ event: Value) -> String {
        let map = event.mapValue ?? OrderedMap()
        let alerts = (map["alerts"]?.listValue ?? []).map { alert -> String in
            let fields = alert.mapValue ?? OrderedMap()
            return (fields["fingerprint"]?.stringValue ?? "") + ":" + (fields["status"]?.stringValue ?? "")
        }
        let text = ([map["groupKey"]?.stringValue ?? "", map["status"]?.stringValue ?? ""] + alerts.sorted()).joined(separator: "\n")
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
