import Foundation
import HeraldCore
import HeraldTemplate
import Hummingbird
import NIOCore

/// Every path `herald serve` answers (SPEC §11): `POST /events/NAME`, `GET /healthz`,
/// `/readyz` and `/metrics`; anything else is a JSON 404 or 405. One responder rather than a
/// router: the table's answers (JSON bodies, `Allow`, `WWW-Authenticate`) are all written here.
package struct ServeResponder: HTTPResponder {
    package typealias Context = BasicRequestContext
    package let intake: EventIntake

    package func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        await answer(request).response
    }

    func answer(_ request: Request) async -> Answer {
        let path = request.uri.path
        let served = intake.slot.job
        switch path {
        case "/healthz":
            guard request.method == .get || request.method == .head else { return Self.methodNotAllowed("GET") }
            return Answer(status: .ok, body: .map(["status": .string("ok")]))
        case "/readyz":
            guard request.method == .get || request.method == .head else { return Self.methodNotAllowed("GET") }
            if intake.state.isDraining { return Self.draining() }
            guard await intake.store.ping() else {
                intake.state.storeFailed()
                var answer = Answer.error(.serviceUnavailable, "the store does not answer")
                answer.headers[.retryAfter] = "5"
                return answer
            }
            intake.state.storeAnswered()
            return Answer(status: .ok, body: .map(["status": .string("ready")]))
        case "/metrics":
            guard request.method == .get || request.method == .head else { return Self.methodNotAllowed("GET") }
            if let refused = authenticate(request, served) { return refused }
            if let stats = try? await intake.store.stats(now: Date()) { intake.metrics.queue(stats) }
            var answer = Answer(status: .ok, body: .null)
            answer.text = intake.metrics.text()
            return answer
        default:
            guard path.hasPrefix("/events/"), path.count > "/events/".count else {
                return .error(.notFound, "no such path; events are posted to /events/ROUTE (\(served.settings.routes.map(\.name).joined(separator: ", ")))")
            }
            let name = String(path.dropFirst("/events/".count))
            guard served.settings.route(named: name) != nil else {
                return .error(.notFound, "no route '\(name)'; this server has \(served.settings.routes.map { "/events/\($0.name)" }.joined(separator: ", "))")
            }
            guard request.method == .post else { return Self.methodNotAllowed("POST") }
            if let refused = authenticate(request, served) {
                intake.metrics.event(route: name, result: "unauthorized")
                return refused
            }
            if intake.state.isDraining { return Self.draining() }
            let limit = served.settings.maxBody
            if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
                intake.metrics.event(route: name, result: "too_large")
                return .error(.contentTooLarge, "the body is over max_body (\(limit) bytes)")
            }
            let body: [UInt8]
            switch await collect(request, limit: limit) {
            case .success(let bytes): body = bytes
            case .failure(let problem):
                intake.metrics.event(route: name, result: problem == .tooLarge ? "too_large" : "bad_request")
                return problem == .tooLarge ? .error(.contentTooLarge, "the body is over max_body (\(limit) bytes)")
                    : .error(.requestTimeout, "the body did not arrive within \(Int(intake.options.bodyTimeout)) s")
            }
            return await intake.accept(route: name, body: body)
        }
    }

    private enum BodyProblem: Error { case tooLarge, tooSlow }

    /// The body, at most `limit` bytes, within the body timeout: a client that trickles its
    /// body holds no thread, and not its connection for long either.
    private func collect(_ request: Request, limit: Int) async -> Result<[UInt8], BodyProblem> {
        let timeout = intake.options.bodyTimeout
        return await withTaskGroup(of: Result<[UInt8], BodyProblem>?.self) { group in
            group.addTask {
                do {
                    var buffer = try await request.body.collect(upTo: limit)
                    return .success(buffer.readBytes(length: buffer.readableBytes) ?? [])
                } catch is NIOTooManyBytesError {
                    return .failure(.tooLarge)
                } catch {
                    return .failure(.tooSlow)
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return Task.isCancelled ? nil : .failure(.tooSlow)
            }
            var result: Result<[UInt8], BodyProblem> = .failure(.tooSlow)
            if let first = await group.next(), let value = first { result = value }
            group.cancelAll()
            return result
        }
    }

    private func authenticate(_ request: Request, _ served: ServedJob) -> Answer? {
        guard let auth = served.settings.auth else { return nil }
        switch CallerAuthentication.check(request.headers[.authorization], against: auth) {
        case .allowed: return nil
        case .missing, .wrong:
            var answer = Answer.error(.unauthorized, "authentication required: the job's serve.auth (docs/serving.md)")
            answer.headers[.wwwAuthenticate] = CallerAuthentication.challenge(for: auth)
            return answer
        }
    }

    static func methodNotAllowed(_ allowed: String) -> Answer {
        var answer = Answer.error(.methodNotAllowed, "method not allowed; use \(allowed)")
        answer.headers[.allow] = allowed
        return answer
    }

    static func draining() -> Answer {
        var answer = Answer.error(.serviceUnavailable, "the server is shutting down; try again shortly")
        answer.headers[.retryAfter] = "5"
        return answer
    }
}
