import Foundation
import HeraldTemplate
import Yams

/// `serve:` (SPEC §11; docs/job-file.md, "serve"): listen, auth, max_body and the routes,
/// whose `messages:` go through the loader of the top-level `messages:`.
extension JobLoader {
    static let serveKeys = ["listen", "auth", "max_body", "routes"]
    static let authKinds = ["bearer", "basic"]
    static let basicKeys = ["username", "password"]
    static let routeKeys = ["format", "dedupe", "dedupe_key", "messages"]
    /// Bodies are read whole into memory before they are stored: a cap against a typo's gigabyte.
    static let maxBodyLimit = 64 * 1_048_576

    func loadServe(_ node: Node, keyNode: Node?, job: Job, top: NodeReader.Fields, library: inout TemplateLibraryBuilder,
                   _ reader: NodeReader) -> ServeSettings? {
        guard let fields = reader.fields(of: node, what: "'serve'", known: Self.serveKeys) else { return nil }
        var settings = ServeSettings(position: reader.position(keyNode ?? node))
        if let l = fields["listen"], let text = reader.string(l, what: "'serve.listen'") {
            if let address = ListenAddress.parse(text) {
                settings.listen = address
            } else {
                reader.error(l, "'serve.listen' must be HOST:PORT with an IPv4 address, [IPv6] or localhost and a port 0–65535, like 127.0.0.1:9095, [::1]:9095 or 0.0.0.0:9095; got '\(text)'")
            }
        }
        if let a = fields["auth"] { settings.auth = loadAuth(a, unset: &settings.unsetSecrets, reader) }
        if let m = fields["max_body"] { settings.maxBody = maxBody(m, reader) ?? settings.maxBody }
        if let r = reader.require(fields, "routes", in: "'serve'", at: keyNode) {
            settings.routes = loadRoutes(r, job: job, top: top, library: &library, reader)
        }
        return settings
    }

    private func loadAuth(_ node: Node, unset: inout [String], _ reader: NodeReader) -> ServeAuth? {
        guard let fields = reader.fields(of: node, what: "'serve.auth'", known: Self.authKinds) else { return nil }
        if fields["bearer"] != nil, let basic = fields.keyNode("basic") {
            reader.error(basic, "'serve.auth' takes one of 'bearer' and 'basic', not both; keep the one your callers send")
            return nil
        }
        if let b = fields["bearer"] {
            guard let token = serveSecret(b, what: "'serve.auth.bearer'", unset: &unset, reader) else { return nil }
            return .bearer(token: token)
        }
        if let b = fields["basic"] {
            guard let basic = reader.fields(of: b, what: "'serve.auth.basic'", known: Self.basicKeys) else { return nil }
            if basic.hadUnknownKeys { return nil }
            guard let u = reader.require(basic, "username", in: "'serve.auth.basic'"),
                  let p = reader.require(basic, "password", in: "'serve.auth.basic'"),
                  let username = serveSecret(u, what: "'serve.auth.basic.username'", unset: &unset, reader),
                  let password = serveSecret(p, what: "'serve.auth.basic.password'", unset: &unset, reader) else { return nil }
            if username.contains(":") {
                reader.error(u, "'serve.auth.basic.username' cannot hold ':' (HTTP basic auth separates the user name from the password with it)")
                return nil
            }
            return .basic(username: username, password: password)
        }
        if !fields.hadUnknownKeys {
            reader.error(node, "'serve.auth' needs 'bearer: TOKEN' or 'basic: {username, password}'; leave 'auth' out to serve on loopback without auth")
        }
        return nil
    }

    /// A secret of `auth`: `${NAME}` expanded as `access_token` is. Unset, the raw text stands
    /// in (nothing checks it before a real serve, which loads with `requiresServeSecrets`).
    private func serveSecret(_ node: Node, what: String, unset: inout [String], _ reader: NodeReader) -> String? {
        guard let raw = reader.string(node, what: what) else { return nil }
        var missing: [String] = []
        switch env.expandKeepingUnset(raw, unset: &missing) {
        case .failure(let f):
            reader.error(node, "\(what): " + EnvironmentExpansion.message(for: f))
            return nil
        case .success(let text):
            if requiresServeSecrets, let name = missing.first {
                reader.error(node, "\(what): environment variable '\(name)' is not set; 'herald serve' needs it — set it (check and dry runs work without it)")
                return nil
            }
            if missing.isEmpty, text.isEmpty {
                reader.error(node, "\(what) is empty; give the secret callers send, e.g. ${HERALD_SERVE_TOKEN}")
                return nil
            }
            unset += missing
            return text
        }
    }

    private func maxBody(_ node: Node, _ reader: NodeReader) -> Int? {
        guard case .scalar(let scalar) = node, NodeReader.kind(node) == "a string" || NodeReader.kind(node) == "an integer" else {
            reader.error(node, "'serve.max_body' must be a size like 1MiB, 512KiB or 2048B, not \(NodeReader.kind(node))")
            return nil
        }
        guard let bytes = ByteSize.bytes(scalar.string) else {
            reader.error(node, "'serve.max_body' must be a whole number of B, KiB or MiB, like 1MiB, 512KiB or 2048B (a bare number is bytes); got '\(scalar.string)'"
                         + ByteSize.unitHint(scalar.string))
            return nil
        }
        guard bytes > 0, bytes <= Self.maxBodyLimit else {
            reader.error(node, "'serve.max_body' must be between 1B and 64MiB, got '\(scalar.string)'")
            return nil
        }
        return bytes
    }

    private func loadRoutes(_ node: Node, job: Job, top: NodeReader.Fields, library: inout TemplateLibraryBuilder, _ reader: NodeReader) -> [EventRoute] {
        guard let routes = reader.fields(of: node, what: "'serve.routes'", known: []) else { return [] }
        if routes.pairs.isEmpty { reader.error(node, "'serve.routes' is empty; name at least one route (POST /events/NAME)") }
        var result: [EventRoute] = []
        for (name, keyNode, value) in routes.pairs {
            guard EventRoute.isValidName(name) else {
                reader.error(keyNode, "route name '\(name)' must be letters, digits, '-' and '_' (it is the path /events/NAME)"
                             + EventRoute.suggestedName(name).map { ", e.g. '\($0)'" }.orEmpty)
                continue
            }
            if let route = loadRoute(name, keyNode: keyNode, value, job: job, top: top, library: &library, reader) { result.append(route) }
        }
        return result
    }

    private func loadRoute(_ name: String, keyNode: Node, _ node: Node, job: Job, top: NodeReader.Fields,
                           library: inout TemplateLibraryBuilder, _ reader: NodeReader) -> EventRoute? {
        let what = "route '\(name)'"
        guard let fields = reader.fields(of: node, what: what, known: Self.routeKeys) else { return nil }
        let before = reader.log.errorCount
        var format = EventFormat.json
        if let f = fields["format"], let text = reader.string(f, what: "'format' of \(what)") {
            if let known = EventFormat(rawValue: text) { format = known } else {
                reader.error(f, "'format' of \(what) must be json or alertmanager (Alertmanager's and Grafana's webhooks), got '\(text)'"
                             + NameSuggestion.hint(for: text, among: EventFormat.allCases.map(\.rawValue)))
            }
        }
        var dedupe = format.defaultDedupe
        if let d = fields["dedupe"] {
            if case .scalar(let scalar) = d, let seconds = DurationText.seconds(scalar.string) {
                dedupe = seconds
            } else {
                let text = d.scalar?.string ?? NodeReader.kind(d)
                reader.error(d, "'dedupe' of \(what) must be a duration like \(DurationText.examples) (0 turns it off), got '\(text)'"
                             + (NodeReader.isWholeNumber(text) ? "; add a unit: '\(text)s' or '\(text)m'" : ""))
            }
        }
        var dedupeKey: Template?
        if let k = fields["dedupe_key"] {
            if format == .alertmanager {
                reader.error(fields.keyNode("dedupe_key") ?? k, "\(what) has format alertmanager, whose events are keyed by their group (groupKey, status and each alert's fingerprint and status); remove 'dedupe_key'")
            } else if let text = reader.string(k, what: "'dedupe_key' of \(what)") {
                dedupeKey = TemplateCompiling.compile(text, origin: TemplateCompiling.origin(of: k, in: reader.source), log: &reader.log)
                if dedupe == 0, fields["dedupe"] != nil {
                    reader.warning(k, "'dedupe_key' of \(what) has no effect with 'dedupe: 0'; give a window like 'dedupe: 10m'")
                }
            }
        } else if format == .json, dedupe > 0 {
            reader.error(fields.keyNode("dedupe") ?? keyNode, "\(what) dedupes (format json) but has no 'dedupe_key'; add one, like dedupe_key: \"{{event.id}}\", or set 'dedupe: 0'")
        }
        var messages: [MessageEntry] = []
        if let m = fields["messages"] {
            messages = messageList(m, what: "'messages' of \(what)", job: job, top: top, library: &library, reader)
        } else if !fields.hadUnknownKeys {
            reader.error(keyNode, "\(what) is missing required key 'messages' (the messages an event becomes, as the top-level 'messages')")
        }
        guard reader.log.errorCount == before else { return nil }
        return EventRoute(name: name, format: format, dedupe: dedupe, dedupeKey: dedupeKey, messages: messages, position: reader.position(keyNode))
    }
}

private extension Optional where Wrapped == String {
    var orEmpty: String { self ?? "" }
}
