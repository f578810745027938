import Foundation
import HeraldTemplate
import Yams

/// Turns a job file into a validated `Job`, reporting every problem it can find with
/// the file's line:column (docs/job-file.md).
package struct JobLoader {
    /// Every message type key, WeCom's and DingTalk's (text and markdown are both).
    package static let messageTypes = MessageKind.templateKeys
    /// Keys a template may hold beside its one type key.
    static let templateSiblingKeys = ["at"]
    static let topLevelKeys = ["version", "name", "endpoint", "dingtalk_endpoint", "access_token", "max_batch", "template_dirs", "allow_paths",
                               "rate_limit", "overflow", "vars", "vars_files", "people", "recipients", "groups", "partials",
                               "templates", "messages", "serve"]
    static let recipientKeys = ["link", "sk", "platform", "vars"]
    static let personKeys = ["wecom", "dingtalk", "mobile"]
    static let messageKeys = ["template", "to", "vars", "for_each", "as", "overflow", "mention"] + messageTypes + templateSiblingKeys
    package static let defaultEndpoint = Job.defaultEndpoint

    let env: EnvironmentExpansion
    let budget = NodeBudget()
    /// A real send: an unset `${NAME}` in a secret is an error, not a warning (SecretExpansion.swift).
    let requiresSecrets: Bool
    /// A real serve: an unset `${NAME}` in `serve.auth` is an error (ServeLoader.swift).
    let requiresServeSecrets: Bool

    package init(environment: [String: String], requiresSecrets: Bool = false, requiresServeSecrets: Bool = false) {
        self.env = EnvironmentExpansion(environment: environment)
        self.requiresSecrets = requiresSecrets
        self.requiresServeSecrets = requiresServeSecrets
    }

    /// Loads a job, leaving out the parts with errors (reported in the log); `nil` when
    /// nothing sensible is left (unparsable YAML, not a map, another version).
    package func load(_ source: SourceText, log: inout DiagnosticLog) -> Job? {
        let root: Node
        switch YAMLParsing.parse(source) {
        case .failure(let d): log.append(d); return nil
        case .success(nil):
            log.error(SourcePosition(path: source.path, line: 1, column: 1), "job file is empty; it needs at least 'version: 1', 'recipients' and 'messages'")
            return nil
        case .success(let node?): root = node
        }
        let reader = NodeReader(source: source, log: log, budget: budget)
        defer { log = reader.log }
        guard let top = reader.fields(of: root, what: "the job file", known: Self.topLevelKeys) else { return nil }

        // version first: a future format is reported alone rather than as a pile of unknowns.
        if let v = reader.require(top, "version", in: "the job file"), let version = reader.int(v, what: "'version'"), version != 1 {
            reader.error(v, "unsupported job file version \(version); this Herald reads version 1")
            return nil
        }

        var job = Job(path: source.path, directory: source.directory,
                      name: defaultName(source), endpoint: Self.defaultEndpoint, accessToken: nil,
                      maxBatch: 20, rateLimit: 20, templateDirs: [source.directory.appendingPathComponent("templates")],
                      vars: OrderedMap(), recipients: [:], recipientOrder: [], groups: [:],
                      library: TemplateLibrary(), messages: [])

        if let n = top["name"], let name = reader.string(n, what: "'name'") { job.name = name }
        if let e = top["endpoint"], let text = expandedString(e, what: "'endpoint'", reader) {
            if let problem = endpointProblem(text, what: "'endpoint'") { reader.error(e, problem) } else { job.endpoint = text }
        }
        if let e = top["dingtalk_endpoint"], let text = expandedString(e, what: "'dingtalk_endpoint'", reader) {
            if let problem = endpointProblem(text, what: "'dingtalk_endpoint'") { reader.error(e, problem) } else { job.dingtalkEndpoint = text }
        }
        if let o = top["overflow"], let mode = overflowMode(o, reader) { job.overflow = mode }
        if let t = top["access_token"], let token = secretString(t, what: "'access_token'", reader, warnsWhenUnset: false),
           token.unset.isEmpty, !token.text.isEmpty {
            job.accessToken = token.text
        }
        if let m = top["max_batch"], let n = reader.int(m, what: "'max_batch'") {
            if (1...20).contains(n) { job.maxBatch = n } else {
                reader.error(m, "'max_batch' must be between 1 and 20 (the relay takes at most 20 messages per request), got \(n)")
            }
        }
        if let r = top["rate_limit"], let n = reader.int(r, what: "'rate_limit'") {
            if n >= 0 { job.rateLimit = n } else { reader.error(r, "'rate_limit' must be 0 (no pacing) or more messages per minute, got \(n)") }
        }
        if let d = top["template_dirs"], let dirs = reader.stringList(d, what: "'template_dirs'") {
            job.templateDirs = dirs.map { SourceText.resolve($0.0, against: source.directory) }
        }
        var allowed: [URL] = []
        if let a = top["allow_paths"], let dirs = reader.stringList(a, what: "'allow_paths'") {
            allowed = dirs.map { SourceText.resolve($0.0, against: source.directory) }
        }
        // Set before any file is read: every path the job names is checked against it.
        job.paths = PathPolicy(folders: [source.directory] + job.templateDirs + allowed)
        reader.paths = job.paths

        // Variables: job vars, then vars_files merged over them.
        if let v = top["vars"], let vars = varsMap(v, what: "'vars'", reader) { job.vars = vars }
        if let files = top["vars_files"] { loadVarsFiles(files, into: &job, source: source, reader) }

        loadPeople(top, into: &job, reader)
        loadRecipients(top, into: &job, reader)
        loadGroups(top, into: &job, reader)
        var library = TemplateLibraryBuilder(loader: self, templateDirs: job.templateDirs, paths: job.paths)
        loadPartials(top, into: &library, reader)
        loadTemplates(top, into: &library, reader)
        loadMessages(top, into: &job, library: &library, reader)
        if let serve = top["serve"] { job.serve = loadServe(serve, keyNode: top.keyNode("serve"), job: job, top: top, library: &library, reader) }
        library.resolvePartials(log: &reader.log)
        job.library = library.library
        // Broken parts were left out; the rest still expands and renders so `check` reports everything.
        return job
    }

    private func defaultName(_ source: SourceText) -> String {
        if source.path == "<stdin>" { return "stdin" }
        return ((source.path as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    // MARK: Pieces

    func expandedString(_ node: Node, what: String, _ reader: NodeReader) -> String? {
        guard let raw = reader.string(node, what: what) else { return nil }
        switch env.expand(raw) {
        case .success(let s): return s
        case .failure(let f):
            reader.error(node, "\(what): " + EnvironmentExpansion.message(for: f))
            return nil
        }
    }

    func varsMap(_ node: Node, what: String, _ reader: NodeReader) -> OrderedMap? {
        if case .scalar = node, case .null = NodeReader.scalarValue(node) { return OrderedMap() }
        guard case .mapping = node else {
            reader.error(node, "\(what) must be a map of names to values, not \(NodeReader.kind(node))")
            return nil
        }
        guard let value = reader.value(node, what: what) else { return nil }
        switch env.expand(value) {
        case .success(.map(let map)): return map
        case .success: return nil
        case .failure(let f):
            reader.error(node, "\(what): " + EnvironmentExpansion.message(for: f))
            return nil
        }
    }

    /// A YAML or JSON file holding a map of variables (job `vars_files`, `--vars-file`).
    /// `paths`: where the file may be (the job's folders; anywhere for `--vars-file`).
    package func loadVarsFile(_ path: String, relativeTo source: SourceText, at position: SourcePosition, paths: PathPolicy = .unconfined,
                             log: inout DiagnosticLog) -> OrderedMap? {
        let file: SourceText
        switch SourceText.read(path, relativeTo: source.directory, displayBase: (source.path as NSString).deletingLastPathComponent,
                               at: position, what: "vars file", paths: paths) {
        case .failure(let d): log.append(d); return nil
        case .success(let f): file = f
        }
        switch YAMLParsing.parse(file) {
        case .failure(let d): log.append(d); return nil
        case .success(nil): return OrderedMap()
        case .success(let node?):
            let reader = NodeReader(source: file, log: log, budget: budget)
            defer { log = reader.log }
            return varsMap(node, what: "vars file '\(file.path)'", reader)
        }
    }

    func overflowMode(_ node: Node, _ reader: NodeReader) -> OverflowMode? {
        guard let text = reader.string(node, what: "'overflow'") else { return nil }
        if let mode = OverflowMode(rawValue: text) { return mode }
        reader.error(node, "'overflow' must be split, truncate or error, got '\(text)'"
                     + NameSuggestion.hint(for: text, among: OverflowMode.allCases.map(\.rawValue)))
        return nil
    }

    /// `vars_files:` items in order: a path (a map merged over `vars`) or `{name, file}` (the
    /// file's whole content bound to `name`).
    private func loadVarsFiles(_ node: Node, into job: inout Job, source: SourceText, _ reader: NodeReader) {
        let items: [Node]
        switch node {
        case .sequence(let seq): items = Array(seq)
        case .scalar: items = [node]
        default:
            reader.error(node, "'vars_files' must be a list of paths or {name, file} maps, not \(NodeReader.kind(node))")
            return
        }
        for item in items {
            if case .mapping = item {
                guard let fields = reader.fields(of: item, what: "a 'vars_files' entry", known: ["name", "file"]) else { continue }
                guard let nameNode = reader.require(fields, "name", in: "a 'vars_files' entry"),
                      let fileNode = reader.require(fields, "file", in: "a 'vars_files' entry"),
                      let name = reader.string(nameNode, what: "'name'"), let path = reader.string(fileNode, what: "'file'") else { continue }
                guard DataFile.isPlainName(name) else {
                    reader.error(nameNode, "'name' must be a plain variable name like 'rows' (letters, digits, _ and -), got '\(name)'")
                    continue
                }
                if let value = DataFile.load(path, relativeTo: source, at: reader.position(fileNode), paths: reader.paths, log: &reader.log) {
                    job.vars[name] = value
                }
                continue
            }
            guard let path = reader.string(item, what: "each entry of 'vars_files'") else { continue }
            if let vars = loadVarsFile(path, relativeTo: source, at: reader.position(item), paths: reader.paths, log: &reader.log) {
                job.vars = job.vars.merging(vars)
            }
        }
    }

    private func loadPeople(_ top: NodeReader.Fields, into job: inout Job, _ reader: NodeReader) {
        guard let node = top["people"], let people = reader.fields(of: node, what: "'people'", known: []) else { return }
        for (name, keyNode, value) in people.pairs {
            guard let fields = reader.fields(of: value, what: "person '\(name)'", known: Self.personKeys) else { continue }
            var person = Person(name: name, position: reader.position(keyNode))
            for key in Self.personKeys {
                guard let v = fields[key], let id = reader.string(v, what: "'\(key)' of person '\(name)'") else { continue }
                let trimmed = id.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                switch key {
                case "wecom": person.wecom = trimmed
                case "dingtalk": person.dingtalk = trimmed
                default: person.mobile = trimmed
                }
            }
            if person.wecom == nil, person.dingtalk == nil, person.mobile == nil, !fields.hadUnknownKeys {
                reader.error(keyNode, "person '\(name)' has no id: give 'wecom', 'dingtalk' or 'mobile'")
            }
            job.people[name] = person
            job.peopleOrder.append(name)
        }
    }

    private func loadRecipients(_ top: NodeReader.Fields, into job: inout Job, _ reader: NodeReader) {
        guard let node = reader.require(top, "recipients", in: "the job file"),
              let recipients = reader.fields(of: node, what: "'recipients'", known: []) else { return }
        if recipients.pairs.isEmpty { reader.error(node, "'recipients' is empty; name at least one robot") }
        var skByLink: [String: (sk: String, name: String, platform: Platform)] = [:]
        var audiencesByLink: [String: [(name: String, vars: OrderedMap)]] = [:]
        // Sized once: a job of a thousand robots would otherwise rehash every link as they grow.
        skByLink.reserveCapacity(recipients.pairs.count)
        audiencesByLink.reserveCapacity(recipients.pairs.count)
        for (name, keyNode, value) in recipients.pairs {
            guard let fields = reader.fields(of: value, what: "recipient '\(name)'", known: Self.recipientKeys) else { continue }
            // A misspelt `link` was already reported with a suggestion; "missing link" would repeat it.
            if fields["link"] == nil, fields.hadUnknownKeys { continue }
            guard let linkNode = reader.require(fields, "link", in: "recipient '\(name)'", at: keyNode),
                  let expanded = secretString(linkNode, what: "'link' of recipient '\(name)'", reader) else { continue }
            let link = expanded.text
            let check = LinkCheck(what: "'link' of recipient '\(name)'")
            // The link is parsed once: checked, and its host read for the platform. A link with an
            // unset ${NAME} (what sends nothing) is not checked: its raw text stands in.
            var components: URLComponents?
            let host: String
            if expanded.unset.isEmpty {
                if let problem = check.characterProblem(link) {
                    reader.error(linkNode, problem)
                    continue
                }
                guard let parsed = URLComponents(string: link), let parsedHost = httpHost(parsed) else {
                    reader.error(linkNode, "'link' of recipient '\(name)' must be an http(s) URL, got '\(LinkMask.mask(link))'"
                                 + check.notAURLHint(link, platform: fields["platform"]?.scalar?.string == "dingtalk" ? .dingtalk : .wecom))
                    continue
                }
                components = parsed
                host = parsedHost
            } else {
                host = hostOfLinkWithUnset(link, unset: expanded.unset)
            }
            var recipient = Recipient(name: name, link: link, sk: nil, vars: OrderedMap(), position: reader.position(keyNode),
                                      platform: Platform.inferred(fromHost: host))
            var explicitPlatform = false
            if let p = fields["platform"], let text = reader.string(p, what: "'platform' of recipient '\(name)'") {
                if let platform = Platform(rawValue: text) {
                    recipient.platform = platform
                    explicitPlatform = true
                } else {
                    reader.error(p, "'platform' of recipient '\(name)' must be wecom or dingtalk, got '\(text)'"
                                 + NameSuggestion.hint(for: text, among: Platform.allCases.map(\.rawValue)))
                }
            }
            if let skNode = fields["sk"], let sk = secretString(skNode, what: "'sk' of recipient '\(name)'", reader), !sk.text.isEmpty {
                recipient.sk = sk.text
            }
            if let v = fields["vars"], let vars = varsMap(v, what: "'vars' of recipient '\(name)'", reader) { recipient.vars = vars }
            let sk = recipient.sk ?? ""
            if let other = skByLink[link], other.sk != sk {
                reader.error(fields["sk"] ?? linkNode,
                             "recipients '\(other.name)' and '\(name)' share a link but have different 'sk'; a robot link has one signing key")
            } else if let other = skByLink[link], other.platform != recipient.platform {
                reader.error(fields["platform"] ?? linkNode,
                             "recipients '\(other.name)' and '\(name)' share a link but not a platform (\(other.platform.rawValue) and \(recipient.platform.rawValue)); a robot link is on one platform")
            } else {
                if skByLink[link] == nil { skByLink[link] = (sk, name, recipient.platform) }
                // Sharing a link is how one chat gets two audiences (examples/shared-link); with
                // nothing to tell them apart, a message to both is posted there twice.
                if let twin = audiencesByLink[link]?.first(where: { $0.vars == recipient.vars }) {
                    reader.warning(linkNode, "recipients '\(twin.name)' and '\(name)' share a link and the same vars: a message to both is posted to that chat twice; keep one, or give each its own 'vars'")
                }
                audiencesByLink[link, default: []].append((name, recipient.vars))
                for finding in components.map({ check.findings($0, host: host, platform: recipient.platform, explicitPlatform: explicitPlatform) }) ?? [] {
                    switch finding {
                    case .error(let message): reader.error(linkNode, message)
                    case .warning(let message): reader.warning(linkNode, message)
                    case .platformError(let message): reader.error(fields["platform"] ?? linkNode, message)
                    }
                }
            }
            job.recipients[name] = recipient
            job.recipientOrder.append(name)
        }
    }

    private func loadGroups(_ top: NodeReader.Fields, into job: inout Job, _ reader: NodeReader) {
        guard let node = top["groups"], let groups = reader.fields(of: node, what: "'groups'", known: []) else { return }
        let recipientNames = Set(recipients(in: top, reader))
        let groupNames = groups.pairs.map(\.key)
        var clash = Set<String>()
        for (name, keyNode, value) in groups.pairs {
            if recipientNames.contains(name) {
                reader.error(keyNode, "'\(name)' is both a recipient and a group; rename one")
                clash.insert(name)
            }
            guard let members = reader.stringList(value, what: "group '\(name)'") else { continue }
            var refs: [NamedReference] = []
            for (member, memberNode) in members {
                if !recipientNames.contains(member) && !groupNames.contains(member) {
                    reader.error(memberNode, NameSuggestion.unknown("recipient or group", member, among: recipientNames.union(groupNames)))
                    continue
                }
                refs.append(NamedReference(name: member, position: reader.position(memberNode)))
            }
            job.groups[name] = refs
        }
        // Cycles: report each group that can reach itself, once.
        for (name, keyNode, _) in groups.pairs where !clash.contains(name) {
            if let path = cycle(from: name, groups: job.groups) {
                reader.error(keyNode, "group '\(name)' includes itself: \(path.joined(separator: " → "))")
            }
        }
    }

    private func recipients(in top: NodeReader.Fields, _ reader: NodeReader) -> [String] {
        guard case .mapping(let m)? = top["recipients"] else { return [] }
        return m.keys.compactMap { $0.scalar?.string }
    }

    private func cycle(from start: String, groups: [String: [NamedReference]]) -> [String]? {
        var stack: [(String, [String])] = [(start, [start])]
        var visited = Set<String>()
        while let (name, path) = stack.popLast() {
            for member in groups[name] ?? [] where groups[member.name] != nil {
                if member.name == start { return path + [start] }
                if visited.insert(member.name).inserted { stack.append((member.name, path + [member.name])) }
            }
        }
        return nil
    }

    private func loadPartials(_ top: NodeReader.Fields, into library: inout TemplateLibraryBuilder, _ reader: NodeReader) {
        guard let node = top["partials"], let partials = reader.fields(of: node, what: "'partials'", known: []) else { return }
        for (name, _, value) in partials.pairs {
            guard let text = reader.string(value, what: "partial '\(name)'") else { continue }
            let origin = TemplateCompiling.origin(of: value, in: reader.source)
            if let template = TemplateCompiling.compile(text, origin: origin, log: &reader.log) {
                library.addPartial(name, template)
            } else {
                library.markBroken(partial: name)
            }
        }
    }

    private func loadTemplates(_ top: NodeReader.Fields, into library: inout TemplateLibraryBuilder, _ reader: NodeReader) {
        guard let node = top["templates"], let templates = reader.fields(of: node, what: "'templates'", known: []) else { return }
        for (name, _, value) in templates.pairs {
            guard let fields = reader.fields(of: value, what: "template '\(name)'", known: Self.messageTypes + Self.templateSiblingKeys) else {
                library.markBroken(template: name)
                continue
            }
            if let template = messageTemplate(fields, what: "template '\(name)'", name: name, reader) {
                library.addTemplate(name, template)
            } else {
                library.markBroken(template: name)
            }
        }
    }

    /// The one msgtype key of a template map, loaded.
    func messageTemplate(_ fields: NodeReader.Fields, what: String, name: String?, _ reader: NodeReader) -> MessageTemplate? {
        let types = fields.pairs.filter { Self.messageTypes.contains($0.key) }
        guard let first = types.first else {
            reader.error(fields.node, "\(what) needs one message type key: \(Self.messageTypes.joined(separator: ", "))")
            return nil
        }
        if types.count > 1 {
            reader.error(types[1].keyNode, "\(what) has two message types, '\(first.key)' and '\(types[1].key)'; a message has exactly one")
            return nil
        }
        guard case .mapping = first.value else {
            reader.error(first.value, "'\(first.key)' must be a map of the message's fields, not \(NodeReader.kind(first.value))")
            return nil
        }
        let before = reader.log.errorCount
        let body = BodyLoader(reader: reader, msgtype: first.key).load(first.value, topLevel: true)
        var at: BodyNode?
        if let atNode = fields["at"] {
            if case .mapping = atNode {
                at = BodyLoader(reader: reader, msgtype: "at").load(atNode)
            } else {
                reader.error(atNode, "'at' must be a map (atMobiles, atUserIds, isAtAll), not \(NodeReader.kind(atNode))")
            }
        }
        guard reader.log.errorCount == before else { return nil }
        return MessageTemplate(msgtype: first.key, body: body, at: at, position: reader.position(first.keyNode), name: name)
    }

    private func loadMessages(_ top: NodeReader.Fields, into job: inout Job, library: inout TemplateLibraryBuilder, _ reader: NodeReader) {
        // A serve-only job: its messages are its routes' (docs/job-file.md, "serve").
        if top["messages"] == nil, top["serve"] != nil { return }
        guard let node = reader.require(top, "messages", in: "the job file") else { return }
        job.messages = messageList(node, what: "'messages'", job: job, top: top, library: &library, reader)
    }

    /// A `messages:` list — the job's or a route's, one grammar — its broken entries left out.
    func messageList(_ node: Node, what: String, job: Job, top: NodeReader.Fields, library: inout TemplateLibraryBuilder,
                     _ reader: NodeReader) -> [MessageEntry] {
        guard case .sequence(let entries) = node else {
            reader.error(node, "\(what) must be a list of messages, not \(NodeReader.kind(node))")
            return []
        }
        if entries.isEmpty { reader.error(node, "\(what) is empty; add at least one message") }
        let addressable = Set(job.recipientOrder).union(job.groups.keys).union(recipients(in: top, reader))
        var messages: [MessageEntry] = []
        for (offset, entryNode) in entries.enumerated() {
            guard let fields = reader.fields(of: entryNode, what: "a message", known: Self.messageKeys) else { continue }
            if let entry = MessageEntryLoader(loader: self, reader: reader, index: offset + 1, addressable: addressable,
                                              people: job.people, peopleNames: job.peopleOrder)
                .load(fields, library: &library) {
                messages.append(entry)
            }
        }
        return messages
    }

    func validURL(_ text: String) -> Bool { URLComponents(string: text).flatMap(httpHost) != nil }

    /// Why `text` cannot be a relay endpoint: not an http(s) URL, or it carries a login
    /// (the relay authenticates by the access token; a password there would be shown and logged).
    func endpointProblem(_ text: String, what: String) -> String? {
        guard validURL(text) else { return "\(what) must be an http(s) URL, got '\(LinkMask.mask(text))'" }
        if let components = URLComponents(string: text), components.user != nil || components.password != nil {
            return "\(what) carries a user name or password ('\(LinkMask.mask(text))'); the relay takes none in the URL: give the KDocs access token in 'access_token' or KDOCS_ACCESS_TOKEN"
        }
        return nil
    }

    /// The host of an http(s) URL; nil when `text` is not one.
    func httpHost(_ components: URLComponents) -> String? {
        guard let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else { return nil }
        return host
    }
}
