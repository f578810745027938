import Foundation
import HeraldTemplate
import HeraldCore
import HeraldSend

/// A relay in memory: a `RelayTransport` answering as a script says, recording each arrival
/// with the run clock's time. Retry, pacing, order and interrupt tests run on the virtual
/// clock with it, without sockets.
public final class InMemoryRelay: RelayTransport {
    public struct Arrival: Sendable {
        public var body: [UInt8]
        public var platform: Platform
        /// 0-based arrival order.
        public var order: Int
        /// The clock's time when it arrived, and when its answer left.
        public var time: Double
        public var answeredAt: Double?

        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
        public var link: String? { json?["link"] as? String }
        public var messages: [[String: Any]] { json?["data"] as? [[String: Any]] ?? [] }
    }

    public indirect enum Answer: Sendable {
        case respond(status: Int, retryAfter: String?, body: String)
        case fail(TransportError)
        /// `answer`, `seconds` later: the virtual clock moves on while this request is in
        /// flight (for one-link tests: other links' requests would see the jump too).
        case after(seconds: Double, Answer)

        public static let accept = Answer.respond(status: 200, retryAfter: nil, body: #"{"code":0,"data":{}}"#)

        public static func json(_ status: Int, _ body: String, retryAfter: String? = nil) -> Answer {
            .respond(status: status, retryAfter: retryAfter, body: body)
        }
    }

    /// Chooses the answer: the arrival, and how many times this exact body has arrived (1 = first).
    public typealias Script = @Sendable (Arrival, Int) -> Answer

    private let state = Locked(ArrivalLog<Arrival>())
    private let clock: any RunClock
    private let script: Script

    public init(clock: any RunClock, script: @escaping Script = { _, _ in .accept }) {
        self.clock = clock
        self.script = script
    }

    public var requests: [Arrival] { state.withLock { $0.items } }
    public var maxInFlight: Int { state.withLock { $0.maxInFlight } }

    public func post(body: [UInt8], platform: Platform) async throws(TransportError) -> RelayResponse {
        let now = clock.now()
        let (arrival, attempt) = state.withLock { log in
            log.arrive(body: body) { Arrival(body: body, platform: platform, order: $0, time: now) }
        }
        // Give other workers the chance to be in flight at the same time, as over a socket.
        for _ in 0..<3 { await Task.yield() }
        let result = resolve(script(arrival, attempt))
        let answeredAt = clock.now()
        state.withLock { log in
            log.finish()
            log.update(arrival.order) { $0.answeredAt = answeredAt }
        }
        return try result.get()
    }

    private func resolve(_ answer: Answer) -> Result<RelayResponse, TransportError> {
        switch answer {
        case .respond(let status, let retryAfter, let text):
            return .success(RelayResponse(status: status, retryAfter: retryAfter, body: Array(text.utf8)))
        case .fail(let error):
            return .failure(error)
        case .after(let seconds, let next):
            (clock as? VirtualClock)?.advance(by: seconds)
            return resolve(next)
        }
    }

    public func shutdown() async {}
}

/// A flag set once, read from any thread (a relay's script, a test).
public final class TestFlag: Sendable {
    private let value = Locked(false)
    public init() {}
    public func set() { value.withLock { $0 = true } }
    public var isSet: Bool { value.withLock { $0 } }
}

/// Text collected from any thread (a progress line, warnings).
public final class TestText: Sendable {
    private let value = Locked("")
    public init() {}
    public func append(_ s: String) { value.withLock { $0 += s } }
    public var text: String { value.withLock { $0 } }
}

/// A value set later and read from any thread (a runner a relay's script must reach).
public final class TestBox<Value: Sendable>: Sendable {
    private let value = Locked<Value?>(nil)
    public init() {}
    public func set(_ newValue: Value) { value.withLock { $0 = newValue } }
    public var get: Value? { value.withLock { $0 } }
}
