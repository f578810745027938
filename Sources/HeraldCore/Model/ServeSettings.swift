import Foundation
import HeraldTemplate

/// The job's `serve:` key (SPEC §11; docs/job-file.md, "serve"): where `herald serve` listens,
/// how callers prove who they are, and the routes that turn a posted event into messages.
public struct ServeSettings: Sendable {
    public static let defaultListen = ListenAddress(host: "127.0.0.1", port: 9095)
    public static let defaultMaxBody = 1_048_576

    /// `listen:`; `--listen HOST:PORT` overrides it.
    public var listen: ListenAddress = Self.defaultListen
    /// `auth:`; nil serves without auth (loopback only).
    public var auth: ServeAuth?
    /// `max_body:` in bytes.
    public var maxBody: Int = Self.defaultMaxBody
    /// `routes:` in file order; POST /events/NAME.
    public var routes: [EventRoute] = []
    /// The `serve:` key, for start-up errors.
    public var position: SourcePosition?
    /// `${NAME}`s in `auth` left unset (a dry run or `check` keeps the raw text; a real serve
    /// loads with `PlanningOptions.requiresServeSecrets`, which refuses them at load).
    public var unsetSecrets: [String] = []

    public init(listen: ListenAddress = Self.defaultListen, auth: ServeAuth? = nil, maxBody: Int = Self.defaultMaxBody,
                routes: [EventRoute] = [], position: SourcePosition? = nil) {
        self.listen = listen
        self.auth = auth
        self.maxBody = maxBody
        self.routes = routes
        self.position = position
    }

    public func route(named name: String) -> EventRoute? { routes.first { $0.name == name } }

    /// The route names in file order.
    public var routeNames: [String] { routes.map(\.name) }
}

/// `serve.auth`: a bearer token or a user name and password (compared in constant time by the server).
public enum ServeAuth: Sendable, Equatable {
    case bearer(token: String)
    case basic(username: String, password: String)
}

/// What a route's payload must be.
public enum EventFormat: String, Sendable, CaseIterable {
    /// Any JSON object.
    case json
    /// Alertmanager's webhook payload (version "4") or Grafana's (version "1").
    case alertmanager

    /// `dedupe:` when the route does not say: 10 minutes for alerts (an HA pair posts twice), off for json.
    public var defaultDedupe: Double { self == .alertmanager ? 600 : 0 }
}

/// One entry of `serve.routes`: POST /events/NAME turns the payload, bound as `event`, into
/// these messages.
public struct EventRoute: Sendable {
    public var name: String
    public var format: EventFormat
    /// Seconds within which an event with the same key is a duplicate; 0 is off.
    public var dedupe: Double
    /// `dedupe_key:` (json routes; required when `dedupe` > 0). Alertmanager routes key on
    /// the group (`DedupeKey`).
    package var dedupeKey: Template?
    /// The route's `messages:`, loaded as the top-level ones are.
    public var messages: [MessageEntry]
    /// The route's name in the job file.
    public var position: SourcePosition

    package init(name: String, format: EventFormat, dedupe: Double, dedupeKey: Template?, messages: [MessageEntry], position: SourcePosition) {
        self.name = name
        self.format = format
        self.dedupe = dedupe
        self.dedupeKey = dedupeKey
        self.messages = messages
        self.position = position
    }

    /// Whether a route name is usable in a URL path: ASCII letters, digits, `-` and `_`.
    package static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
        }
    }
}

extension EventRoute {
    /// A usable name near `name` (spaces and dots as `-`, other characters dropped); nil when none is left.
    package static func suggestedName(_ name: String) -> String? {
        let mapped = String(name.map { $0 == " " || $0 == "." || $0 == "/" ? "-" : $0 }.filter { isValidName(String($0)) })
        return mapped.isEmpty ? nil : mapped
    }
}
