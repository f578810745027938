import Foundation
import HeraldTemplate

/// A job built in code rather than read from a file (docs/embedding.md): the same `Job` the
/// loader makes, so planning it is the job file's own path. What the loader checks as it reads
/// (links, names, templates) is checked here as each piece is made, or when it is planned.
extension Job {
    /// Where a job built in code is said to be in diagnostics.
    public static let codePath = "<code>"
    /// The KDocs WeCom relay, a job's `endpoint` unless it says otherwise.
    public static let defaultEndpoint = "https://developer.kdocs.cn/api/v1/openapi/notification/wecom"

    /// A job with no recipients or messages yet; relative paths (data files, images) resolve
    /// against `directory`, by default the working folder.
    public init(name: String, endpoint: String = Job.defaultEndpoint, dingtalkEndpoint: String? = nil,
                accessToken: String? = nil, maxBatch: Int = 20, rateLimit: Int = 20, vars: OrderedMap = OrderedMap(),
                overflow: OverflowMode = .split,
                directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.init(path: Self.codePath, directory: directory, name: name, endpoint: endpoint, dingtalkEndpoint: dingtalkEndpoint,
                  accessToken: accessToken, maxBatch: maxBatch, rateLimit: rateLimit, templateDirs: [], vars: vars,
                  recipients: [:], recipientOrder: [], groups: [:], library: TemplateLibrary(), messages: [], overflow: overflow)
    }

    /// Adds a recipient (after those already added; one of the same name is replaced in place).
    public mutating func add(_ recipient: Recipient) {
        if recipients.updateValue(recipient, forKey: recipient.name) == nil { recipientOrder.append(recipient.name) }
    }

    /// Adds a group: recipients or other groups by name.
    public mutating func addGroup(_ name: String, members: [String]) {
        groups[name] = members.map { NamedReference(name: $0, position: Self.codePosition) }
    }

    /// Adds a person that `mention:` can name.
    public mutating func add(_ person: Person) {
        if people.updateValue(person, forKey: person.name) == nil { peopleOrder.append(person.name) }
    }

    /// Adds a message after those already added (its `index`, `{{message.index}}`, is its place).
    public mutating func add(_ message: MessageEntry) {
        var message = message
        message.index = messages.count + 1
        messages.append(message)
    }

    /// A partial that templates include as `{{> name}}`.
    public mutating func addPartial(named name: String, template source: String) throws(HeraldError) {
        library.partials[name] = try Self.compile(source, what: "partial '\(name)'")
        if !library.knownPartialNames.contains(name) { library.knownPartialNames.append(name) }
    }

    static let codePosition = SourcePosition(path: codePath, line: 1, column: 1)

    static func compile(_ source: String, what: String) throws(HeraldError) -> Template {
        do {
            return try Template.compile(source, origin: TemplateOrigin(path: codePath))
        } catch {
            throw HeraldError(error.diagnostics.map { Diagnostic($0, context: what) })
        }
    }

    /// Every `to:` name and group member that is neither a recipient nor a group (the loader
    /// refuses these in a file; a job built in code, or a route's messages, may still hold them).
    func unknownNames() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        func check(_ ref: NamedReference, _ what: String) {
            guard recipients[ref.name] == nil, groups[ref.name] == nil else { return }
            problems.append(.error(at: ref.position, "\(what) names '\(ref.name)', which is not a recipient or group of this job"
                                   + NameSuggestion.hint(for: ref.name, among: recipientOrder + Array(groups.keys))))
        }
        for name in groups.keys.sorted() { for member in groups[name] ?? [] { check(member, "group '\(name)'") } }
        for message in messages {
            for case .name(let ref) in message.to { check(ref, "'to' of message \(message.index)") }
        }
        return problems
    }
}

extension Recipient {
    /// A robot: its webhook link, and its platform (by default from the link's host).
    public init(name: String, link: String, sk: String? = nil, vars: OrderedMap = OrderedMap(), platform: Platform? = nil) {
        self.init(name: name, link: link, sk: sk, vars: vars, position: Job.codePosition,
                  platform: platform ?? Platform.inferred(fromLink: link))
    }
}

extension Person {
    /// Someone `mention:` can name, with their ids on each platform.
    public init(name: String, wecom: String? = nil, dingtalk: String? = nil, mobile: String? = nil) {
        self.init(name: name, wecom: wecom, dingtalk: dingtalk, mobile: mobile, position: Job.codePosition)
    }
}

extension MessageEntry {
    /// A message whose body is `{msgtype: {content: …}}` (WeCom or DingTalk `text` or `markdown`,
    /// by each recipient's platform), `content` a template; `to` names recipients or groups;
    /// `mention` names people or `@all`. Its `index` is set when it is added to a job.
    public init(msgtype: String = "text", content: String, to: [String], vars: OrderedMap = OrderedMap(),
                mention: [String]? = nil) throws(HeraldError) {
        let position = Job.codePosition
        let body = BodyNode.map([BodyField(key: "content", node: .text(try Job.compile(content, what: "content"), position),
                                           position: position)])
        var mentions: [MentionName]?
        if let mention {
            var names: [MentionName] = []
            for name in mention { names.append(MentionName(template: try Job.compile(name, what: "mention"), position: position)) }
            mentions = names
        }
        self.init(index: 1, position: position, template: MessageTemplate(msgtype: msgtype, body: body, position: position),
                  to: to.map { .name(NamedReference(name: $0, position: position)) }, vars: vars, forEach: nil, rowName: "row",
                  mention: mentions)
    }
}
