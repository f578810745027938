import Foundation
import HeraldCore
import HeraldSend
import HeraldTemplate
import Hummingbird

/// `POST /events/NAME` (SPEC §11): a payload becomes an event planned by the same stages as a
/// job (`Herald.prepare(job:event:messages:)`), stored with all its requests in one durable
/// transaction, and only then answered 202. Every answer but 202 and 200 stores nothing.
package struct EventIntake: Sendable {
    package let slot: JobSlot
    package let store: any RequestStore
    package let options: ServeOptions
    package let metrics: ServeMetrics
    package let log: ServeLog
    package let doorbell: Doorbell
    package let state: ServerState

    /// What the body of one POST became.
    package func accept(route name: String, body: [UInt8]) async -> Answer {
        let served = slot.job
        guard let route = served.settings.route(named: name) else {
            return .error(.notFound, "no route '\(name)'; this server has \(served.settings.routes.map { "/events/\($0.name)" }.joined(separator: ", "))")
        }
        if let problem = JSONShape.check(body) {
            return finish(route: name, .error(.badRequest, problem.description))
        }
        // The fast reader; what it refuses goes to the reference parser, which also reads YAML,
        // so a body Foundation does not take for JSON is refused first.
        let event: Value
        if let text = String(validating: body, as: UTF8.self), let value = JSONValueReader.read(text), case .map = value {
            event = value
        } else {
            guard (try? JSONSerialization.jsonObject(with: Data(body))) is [String: Any] else {
                return finish(route: name, .error(.badRequest, "the body is not JSON"))
            }
            switch JobPreparation.eventValue(bytes: body, path: "<event>", nestingChecked: true) {
            case .success(let value): event = value
            case .failure(let error):
                return finish(route: name, .error(.badRequest, "the body is not JSON", diagnostics: scrubbed(error, served)))
            }
        }
        let problems = EventPayload.problems(event, format: route.format)
        if !problems.isEmpty {
            return finish(route: name, .error(.unprocessableContent, "the payload is not of the route's format (\(route.format.rawValue))",
                                               diagnostics: problems.map(served.secrets.scrub)))
        }
        let now = Date()
        let dedupeKey: String?
        do {
            dedupeKey = route.dedupe > 0 ? try DedupeKey.key(for: event, route: route, job: served.job, now: now, timeZone: options.timeZone) : nil
        } catch {
            return finish(route: name, .error(.unprocessableContent, "the route's dedupe_key cannot be rendered for this payload",
                                               diagnostics: scrubbed(error, served)))
        }
        var planning = PlanningOptions(now: now, timeZone: options.timeZone, environment: options.environment,
                                       threads: 1, keepsMessages: false, requiresSecrets: true)
        planning.reportsJobWarnings = false
        // On this thread: an event is a few messages (microseconds of rendering, no files), its
        // body nests at most 64 deep, and a thread per event would cost more than the plan.
        let plan: Plan
        switch JobPreparation.prepare(job: served.job.binding(event: event, messages: route.messages), log: DiagnosticLog(), options: planning) {
        case .success(let prepared): plan = prepared.plan
        case .failure(let error):
            return finish(route: name, .error(.unprocessableContent, "the event cannot be planned", diagnostics: scrubbed(error, served)))
        }
        let accepted = AcceptedEvent(route: name, acceptedAt: now, dedupeKey: dedupeKey, dedupeWindow: route.dedupe,
                                     messages: plan.messageCount, requests: plan.requests.map(AcceptedEvent.Request.init))
        guard !state.isDraining else { return finish(route: name, ServeResponder.draining()) }
        let result: AcceptResult
        do {
            result = try await store.accept(accepted)
        } catch {
            state.storeFailed()
            log.error("store", "cannot store an event of route \(name): \(served.secrets.scrub(error.description))")
            var answer = Answer.error(.serviceUnavailable, "the store is unavailable; nothing was stored, try again")
            answer.headers[.retryAfter] = "5"
            return finish(route: name, answer)
        }
        state.storeAnswered()
        switch result {
        case .accepted(let id, let requests):
            doorbell.ring()
            metrics.event(route: name, result: "accepted")
            log.info("event", "route=\(name) id=\(id) result=accepted requests=\(requests) messages=\(plan.messageCount)")
            return Answer(status: .accepted, body: .map(["id": .int(Int(id)), "requests": .int(requests), "messages": .int(plan.messageCount)]))
        case .duplicate(let first):
            metrics.event(route: name, result: "duplicate")
            log.info("event", "route=\(name) id=\(first) result=duplicate requests=0")
            return Answer(status: .ok, body: .map(["duplicate": .bool(true), "id": .int(Int(first))]))
        }
    }

    /// Counts and logs an answer that stored nothing.
    private func finish(route: String, _ answer: Answer) -> Answer {
        let result: String
        switch answer.status.code {
        case 400: result = "bad_request"
        case 413: result = "too_large"
        case 422: result = "unprocessable"
        case 503: result = "unavailable"
        default: result = "error"
        }
        metrics.event(route: route, result: result)
        if case .map(let map) = answer.body, case .string(let message)? = map["error"] {
            var line = "route=\(route) result=\(result) status=\(answer.status.code): \(message)"
            if case .list(let items)? = map["diagnostics"] {
                for case .string(let d) in items.prefix(5) { line += "\n  \(d)" }
            }
            log.warning("event", line)
        }
        return answer
    }

    private func scrubbed(_ error: HeraldError, _ served: ServedJob) -> [String] {
        error.errors.map { served.secrets.scrub($0.description) }
    }
}
