import Foundation
import HeraldTemplate

/// The rendering stage: an envelope becomes a message draft — every string leaf through the
/// template engine, image paths into base64 + md5, then the recipient's platform
/// (PlatformAdapter), the kind's checks (LimitChecker) and mentions (MentionResolver). The
/// fitting stage (MessageFitter) comes next.
final class MessageRenderer {
    let job: Job
    let scopes: ScopeBuilder
    let images: ImageCache

    init(job: Job, scopes: ScopeBuilder, images: ImageCache = ImageCache()) {
        self.job = job
        self.scopes = scopes
        self.images = images
    }

    /// The envelope's message, rendered, adapted to its platform, checked and with its
    /// mentions resolved; nil (with the reason in `log`) when it cannot be sent.
    func render(_ envelope: Envelope, log: inout DiagnosticLog) -> MessageDraft? {
        let entry = job.messages[envelope.entry]
        guard let recipient = job.recipients[envelope.recipient] else { return nil }
        let context = MessageContext(entry: entry, recipient: recipient.name, rowNumber: envelope.rowNumber)
        let stack = scopes.stack(entry: entry, recipient: recipient, rowFrame: envelope.rowFrame)
        var failed = false
        let rendered = render(entry.template.body, stack: stack, context: context, failed: &failed, log: &log)
        var at = entry.template.at.map { render($0, stack: stack, context: context, failed: &failed, log: &log) }
        guard !failed, case .map(let renderedBody) = rendered else { return nil }

        let template = entry.template
        let adapted: PlatformAdapter.Adapted
        switch PlatformAdapter.adapt(key: template.msgtype, body: renderedBody, hasAt: at != nil, platform: recipient.platform,
                                     recipient: recipient.name) {
        case .failure(let refusal):
            log.error(template.position, "\(refusal.message) (\(context.text))")
            return nil
        case .success(let a): adapted = a
        }
        let kind = adapted.kind
        var body = adapted.body
        for issue in LimitChecker.check(kind: kind, body: body) {
            let position = Self.position(of: issue.field, in: template.body) ?? template.position
            log.append(Diagnostic(issue.severity, at: position, "\(issue.message) (\(context.text))"))
            if issue.severity == .error { failed = true }
        }
        guard !failed else { return nil }

        var mentionText = ""
        if let mention = entry.mention {
            var names: [String] = []
            for name in mention {
                guard let text = render(name.template, stack: stack, context: context, log: &log) else { return nil }
                names.append(Expander.trimmed(text))
            }
            switch MentionResolver(people: job.people, peopleOrder: job.peopleOrder)
                .apply(names, kind: kind, recipient: recipient.name, body: &body, at: &at) {
            case .success(let text): mentionText = text
            case .failure(let f):
                log.error(mention.indices.contains(f.entry) ? mention[f.entry].position : entry.position, "\(f.message) (\(context.text))")
                return nil
            }
        }

        let longPosition = adapted.sourceLongKey.flatMap { Self.position(of: [$0], in: template.body) } ?? template.position
        return MessageDraft(messageIndex: entry.index, rowNumber: envelope.rowNumber, recipient: recipient.name, link: recipient.link,
                            sk: recipient.sk, kind: kind, body: body, at: at, mentionText: mentionText,
                            overflow: entry.overflow ?? job.overflow, longFieldPosition: longPosition, context: context)
    }

    private func render(_ template: Template, stack: [Value], context: MessageContext, log: inout DiagnosticLog) -> String? {
        if template.isConstant { return template.source }
        do {
            return try template.render(stack, partials: job.library, options: scopes.renderOptions)
        } catch {
            for d in error.diagnostics { log.append(Diagnostic(d, context: context.text)) }
            return nil
        }
    }

    private func render(_ node: BodyNode, stack: [Value], context: MessageContext, failed: inout Bool, log: inout DiagnosticLog) -> Value {
        switch node {
        case .literal(let v):
            return v
        case .text(let template, _):
            if template.isConstant { return .string(template.source) }
            do {
                return .string(try template.render(stack, partials: job.library, options: scopes.renderOptions))
            } catch {
                failed = true
                for d in error.diagnostics { log.append(Diagnostic(d, context: context.text)) }
                return .null
            }
        case .list(let items):
            return .list(items.map { render($0, stack: stack, context: context, failed: &failed, log: &log) })
        case .map(let fields):
            var map = OrderedMap()
            for field in fields {
                if case .imagePath(let template, let position) = field.node {
                    guard let image = image(template, at: position, stack: stack, context: context, failed: &failed, log: &log) else { continue }
                    map["base64"] = .string(image.base64)
                    map["md5"] = .string(image.md5)
                } else {
                    map[field.key] = render(field.node, stack: stack, context: context, failed: &failed, log: &log)
                }
            }
            return .map(map)
        case .imagePath:
            return .null // only meaningful as a map field, handled above
        }
    }

    private func image(_ template: Template, at position: SourcePosition, stack: [Value], context: MessageContext,
                       failed: inout Bool, log: inout DiagnosticLog) -> ImageAttachment? {
        let path: String
        do {
            path = try template.render(stack, partials: job.library, options: scopes.renderOptions)
        } catch {
            failed = true
            for d in error.diagnostics { log.append(Diagnostic(d, context: context.text)) }
            return nil
        }
        let url = SourceText.resolve(path, against: job.directory)
        let result = images.image(at: url.path) {
            ImageAttachment.read(url, displayPath: SourceText.displayPath(path, displayBase: (job.path as NSString).deletingLastPathComponent))
        }
        switch result {
        case .success(let image): return image
        case .failure(let f):
            failed = true
            log.error(position, "\(f.message) (\(context.text))")
            return nil
        }
    }

    /// Where a body field was written, following keys and list indexes.
    static func position(of field: [String], in body: BodyNode) -> SourcePosition? {
        var node = body
        var found: SourcePosition?
        for step in field {
            switch node {
            case .map(let fields):
                guard let f = fields.first(where: { $0.key == step }) else { return found }
                found = f.position
                node = f.node
            case .list(let items):
                guard let i = Int(step), items.indices.contains(i) else { return found }
                node = items[i]
                if case .map(let fields) = node, let first = fields.first { found = first.position }
            default:
                return found
            }
        }
        return found
    }
}

/// Names the message in a diagnostic; the text is made only when something is reported.
struct MessageContext: Sendable {
    let entry: MessageEntry
    let recipient: String?
    let rowNumber: Int?

    var text: String { Expander.context(entry, recipient, rowNumber) }
}
