import Foundation
import HeraldTemplate

/// One message to a few robot links, made into a `Job` in code rather than read from YAML:
/// what `herald notify` sends (docs/notify.md). Everything after it — platforms, mentions,
/// fitting long messages, planning, the exact bytes — is the job file's own path, so the
/// request bodies are the equivalent job file's, byte for byte.
package struct OneMessageJob: Sendable {
    package enum Format: String, Sendable, CaseIterable {
        /// WeCom `text`, DingTalk text.
        case text
        /// WeCom `markdown`, DingTalk markdown (its title from the first line, docs/platforms.md).
        case markdown
    }

    /// Robot webhook links in order; each gets the message (WeCom or DingTalk by its host).
    package var links: [String]
    /// The message as it is: never read as a template.
    package var body: String
    package var format: Format = .text
    /// Written as the message's first line (`# title` in markdown), followed by a blank line;
    /// so it is also DingTalk markdown's notification title.
    package var title: String?
    /// A WeCom or DingTalk userid, a mobile number (11 digits starting with 1) or `@all`.
    package var mentions: [String] = []
    /// Every link's signing key (WeCom) or signing secret (DingTalk).
    package var sk: String?
    /// The WeCom relay; nil is the default (`JobLoader.defaultEndpoint`).
    package var endpoint: String?
    /// The DingTalk relay; nil derives it from `endpoint`.
    package var dingtalkEndpoint: String?
    /// Where the body came from, named in diagnostics about it: `<command line>` or `<stdin>`.
    package var bodySource = "<command line>"

    package init(links: [String], body: String) {
        self.links = links
        self.body = body
    }

    /// The scope name the message's content is bound to (the content template is `{{body}}`).
    static let bodyVariable = "body"

    /// The job named `notify`, with a recipient `link N` per link and one message to them all;
    /// or every problem with the arguments, as `<command line>:1:1: error: …`.
    package func job(directory: URL) -> Result<Job, HeraldError> {
        var warnings: [Diagnostic] = []
        return job(directory: directory, warnings: &warnings)
    }

    /// The same, with the links' warnings (a host that is not the platform's own) in `warnings`.
    package func job(directory: URL, warnings: inout [Diagnostic]) -> Result<Job, HeraldError> {
        var errors: [Diagnostic] = []
        let commandLine = SourcePosition(path: "<command line>", line: 1, column: 1)
        func fail(_ message: String) { errors.append(.error(at: commandLine, message)) }
        let loader = JobLoader(environment: [:])

        var job = Job(path: "<command line>", directory: directory, name: "notify", endpoint: JobLoader.defaultEndpoint,
                      accessToken: nil, maxBatch: 20, rateLimit: 20, templateDirs: [], vars: OrderedMap(),
                      recipients: [:], recipientOrder: [], groups: [:], library: TemplateLibrary(), messages: [])
        if let endpoint {
            if let problem = loader.endpointProblem(endpoint, what: "--endpoint") { fail(problem) } else { job.endpoint = endpoint }
        }
        if let dingtalkEndpoint {
            if let problem = loader.endpointProblem(dingtalkEndpoint, what: "--dingtalk-endpoint") { fail(problem) } else {
                job.dingtalkEndpoint = dingtalkEndpoint
            }
        }

        if links.isEmpty { fail("no robot link: give at least one, like https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY") }
        let sk = sk.flatMap { $0.isEmpty ? nil : $0 }
        var firstIndex: [String: Int] = [:]
        for (offset, link) in links.enumerated() {
            let number = offset + 1
            // The job file's check of a recipient's `link` (JobLoader.loadRecipients), worded for
            // the command line; NotifyCommandTests compares the two verdicts on malformed links.
            let check = LinkCheck(what: "link \(number)")
            if let problem = check.characterProblem(link) {
                fail(problem)
                continue
            }
            guard let components = URLComponents(string: link), let host = loader.httpHost(components) else {
                fail("link \(number) must be an http(s) URL, got '\(LinkMask.mask(link))'" + check.notAURLHint(link, platform: .wecom))
                continue
            }
            let platform = Platform.inferred(fromHost: host)
            var linkFailed = false
            for finding in check.findings(components, host: host, platform: platform, explicitPlatform: false) {
                switch finding {
                case .error(let message), .platformError(let message):
                    fail(message)
                    linkFailed = true
                case .warning(let message):
                    warnings.append(.warning(at: commandLine, message))
                }
            }
            if linkFailed { continue }
            if let first = firstIndex[link] {
                fail("link \(number) is link \(first) again; each robot gets the message once")
                continue
            }
            firstIndex[link] = number
            let name = "link \(number)"
            job.recipients[name] = Recipient(name: name, link: link, sk: sk, vars: OrderedMap(), position: commandLine,
                                             platform: platform)
            job.recipientOrder.append(name)
        }
        let platforms = Set(job.recipients.values.map(\.platform))
        if platforms.contains(.dingtalk), errors.isEmpty, job.relayEndpoint(for: .dingtalk) == nil {
            fail("a DingTalk link needs --dingtalk-endpoint: the endpoint '\(LinkMask.mask(job.endpoint))' does not end in /wecom, so the DingTalk relay cannot be derived from it")
        }

        var content = body
        if let title {
            if title.contains(where: \.isNewline) {
                fail("--title must be one line")
            } else if title.allSatisfy(\.isWhitespace) {
                fail("--title is empty; leave it out, or give the line the message starts with")
            } else {
                content = (format == .markdown ? "# " : "") + title + "\n\n" + body
            }
        }
        let limit = RenderOptions().maxOutputBytes
        if content.utf8.count > limit {
            fail("the message is \(content.utf8.count) bytes, over Herald's \(limit >> 20) MiB limit for one message; send it in pieces")
        } else if body.allSatisfy(\.isWhitespace) {
            fail(bodySource == "<stdin>"
                 ? "the message on standard input is empty; pipe the text in, or give it as the last argument"
                 : "the message is empty; give its text as the last argument, or '-' (or nothing) to read it from standard input")
        }

        var people: [String: Person] = [:]
        var mentionNames: [MentionName] = []
        for written in mentions {
            let id = written.trimmingCharacters(in: .whitespaces)
            if id.isEmpty { fail("--mention is empty; give a userid, a mobile number or @all"); continue }
            // A template that is one run of text renders as itself: an id with a tag in it is no id.
            guard let template = try? Template.compile(id, origin: TemplateOrigin(path: "<command line>")), template.isConstant else {
                fail("--mention '\(id)' is not a userid, mobile number or @all")
                continue
            }
            let mobile = Self.isMobileNumber(id)
            if format == .markdown, platforms.contains(.wecom), id == "@all" || mobile {
                fail("--mention \(id): WeCom markdown can mention only userids (<@userid>); use --text to mention "
                     + (mobile ? "a mobile number" : "everyone"))
                continue
            }
            if id != "@all", people[id] == nil {
                people[id] = Person(name: id, wecom: mobile ? nil : id, dingtalk: mobile ? nil : id, mobile: mobile ? id : nil,
                                    position: commandLine)
                job.peopleOrder.append(id)
            }
            mentionNames.append(MentionName(template: template, position: commandLine))
        }
        job.people = people

        guard errors.isEmpty else { return .failure(HeraldError(errors)) }
        let bodyPosition = SourcePosition(path: bodySource, line: 1, column: 1)
        guard let contentTemplate = try? Template.compile("{{\(Self.bodyVariable)}}", origin: TemplateOrigin(path: bodySource)) else {
            return .failure(HeraldError([.error(at: bodyPosition, "the message's content template does not compile")]))
        }
        let messageBody = BodyNode.map([BodyField(key: "content", node: .text(contentTemplate, bodyPosition), position: bodyPosition)])
        job.messages = [MessageEntry(index: 1, position: bodyPosition,
                                     template: MessageTemplate(msgtype: format.rawValue, body: messageBody, position: bodyPosition),
                                     to: job.recipientOrder.map { .name(NamedReference(name: $0, position: commandLine)) },
                                     vars: OrderedMap([(Self.bodyVariable, .string(content))]), forEach: nil, rowName: "row",
                                     mention: mentionNames.isEmpty ? nil : mentionNames)]
        return .success(job)
    }

    /// The message piped on standard input: UTF-8 (a BOM dropped), its trailing newlines
    /// dropped as `$(cat file)` drops them.
    package static func readStandardInput() -> Result<String, Diagnostic> {
        let position = SourcePosition(path: "<stdin>", line: 1, column: 1)
        switch FileContents.readStandardInput(limit: FileContents.maxTextBytes) {
        case .failure(let f): return .failure(.error(at: position, "the message on standard input \(f.reason)"))
        case .success(let bytes):
            var end = bytes.endIndex
            while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
            return SourceText.decode(Array(bytes[..<end]), path: "<stdin>", directory: URL(fileURLWithPath: "/")).map(\.text)
        }
    }

    /// A mainland mobile number as both platforms' mobile mentions take it: 11 digits starting with 1.
    static func isMobileNumber(_ id: String) -> Bool {
        id.utf8.count == 11 && id.utf8.first == UInt8(ascii: "1") && id.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
