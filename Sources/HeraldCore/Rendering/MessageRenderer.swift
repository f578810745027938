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
    let compiled: CompiledJob
    /// This renderer's engine: its buffers and context stack are reused from message to message.
    private let engine: TemplateRenderer
    /// Whose frames the engine's stack holds, and where the ones that change per message are.
    private var stackOwner: (entry: Int, recipient: Int, slots: ScopeBuilder.FrameHandles)?

    init(job: Job, scopes: ScopeBuilder, images: ImageCache, compiled: CompiledJob) {
        self.job = job
        self.scopes = scopes
        self.images = images
        self.compiled = compiled
        engine = TemplateRenderer(partials: job.library, options: scopes.renderOptions)
    }

    /// The envelope's message, rendered, adapted to its platform, checked and with its
    /// mentions resolved; nil (with the reason in `log`) when it cannot be sent.
    func render(_ envelope: Envelope, log: inout DiagnosticLog) -> MessageDraft? {
        let info = compiled.entries[envelope.entry]
        let recipient = compiled.recipients[envelope.recipient]
        let context = MessageContext(entryIndex: info.index, recipient: recipient.name, rowNumber: envelope.rowNumber)
        setStack(envelope, info, recipient)
        var failed = false
        let rendered = render(info.body, keys: info.bodyKeys, context: context, failed: &failed, log: &log)
        var at = info.at.map { render($0, keys: nil, context: context, failed: &failed, log: &log) }
        guard !failed, case .map(let renderedBody) = rendered else { return nil }

        let adapted: PlatformAdapter.Adapted
        if recipient.platform == .wecom, at == nil, let kind = info.wecomKind {
            // What `adapt` gives a WeCom robot for these body keys, decided once.
            adapted = PlatformAdapter.Adapted(kind: kind, body: renderedBody, sourceLongKey: kind.longField?.key)
        } else {
            switch PlatformAdapter.adapt(key: info.msgtype, body: renderedBody, hasAt: at != nil, platform: recipient.platform,
                                         recipient: recipient.name) {
            case .failure(let refusal):
                log.error(info.templatePosition, "\(refusal.message) (\(context.text))")
                return nil
            case .success(let a): adapted = a
            }
        }
        let kind = adapted.kind
        var body = adapted.body
        for issue in LimitChecker.check(kind: kind, body: body) {
            let position = Self.position(of: issue.field, in: info.body) ?? info.templatePosition
            log.append(Diagnostic(issue.severity, at: position, "\(issue.message) (\(context.text))"))
            if issue.severity == .error { failed = true }
        }
        guard !failed else { return nil }

        var mentionText = ""
        if let mention = info.entry.mention {
            var names: [String] = []
            for name in mention {
                guard let text = render(name.template, context: context, log: &log) else { return nil }
                names.append(trimmedFast(text))
            }
            switch MentionResolver(people: job.people, peopleOrder: job.peopleOrder)
                .apply(names, kind: kind, recipient: recipient.name, body: &body, at: &at) {
            case .success(let text): mentionText = text
            case .failure(let f):
                log.error(mention.indices.contains(f.entry) ? mention[f.entry].position : info.entry.position, "\(f.message) (\(context.text))")
                return nil
            }
        }

        return MessageDraft(messageIndex: info.index, rowNumber: envelope.rowNumber, recipient: recipient.name, link: recipient.link,
                            sk: recipient.sk, kind: kind, body: body, at: at, mentionText: mentionText,
                            overflow: info.entry.overflow ?? job.overflow, longFieldPosition: info.longFieldPosition(adapted.sourceLongKey),
                            context: context)
    }

    /// The envelope's `content` template rendered for a WeCom robot, lent to `use` in the
    /// engine's buffer (MessageEncoder's content-only branch); false when the recipient is not
    /// a WeCom robot, the template fails, or `use` declines.
    func renderContent(_ envelope: Envelope, _ content: Template, _ use: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        let info = compiled.entries[envelope.entry]
        let recipient = compiled.recipients[envelope.recipient]
        guard recipient.platform == .wecom else { return false }
        setStack(envelope, info, recipient)
        do {
            return try engine.render(content, use)
        } catch {
            return false
        }
    }

    /// The envelope's frames on the engine's stack: only those that differ from the previous
    /// message's (its recipient, its row) when the rest are the same.
    private func setStack(_ envelope: Envelope, _ info: CompiledJob.Entry, _ recipient: CompiledJob.RecipientInfo) {
        if let owner = stackOwner, owner.entry == envelope.entry, (owner.slots.row != nil) == (envelope.row != nil),
           (owner.slots.recipient != nil) == (recipient.frames.recipient != nil),
           (owner.slots.recipientVars != nil) == (recipient.frames.vars != nil) {
            var replaced = true
            if owner.recipient != envelope.recipient {
                if let i = owner.slots.recipient, let frame = recipient.frames.recipient { replaced = replaced && engine.replace(i, with: frame) }
                if let i = owner.slots.recipientVars, let frame = recipient.frames.vars { replaced = replaced && engine.replace(i, with: frame) }
            }
            if let i = owner.slots.row, let row = envelope.row { replaced = replaced && scopes.replaceRow(row, rowName: info.rowName, at: i, in: engine) }
            if replaced {
                stackOwner = (envelope.entry, envelope.recipient, owner.slots)
                return
            }
        }
        var slots = ScopeBuilder.FrameHandles()
        let rowFrame = scopes.rowFrame(entry: info.entry, row: envelope.row)
        engine.setStack { slots = scopes.fill(&$0, entry: info.frames, recipient: recipient.frames, rowFrame: rowFrame) }
        stackOwner = (envelope.entry, envelope.recipient, slots)
    }

    private func render(_ template: Template, context: MessageContext, log: inout DiagnosticLog) -> String? {
        if template.isConstant { return template.source }
        do {
            return try engine.render(template)
        } catch {
            for d in error.diagnostics { log.append(Diagnostic(d, context: context.text)) }
            return nil
        }
    }

    /// `keys`: the map's keys when `node` is a map of plain fields with different keys.
    private func render(_ node: BodyNode, keys: [String]?, context: MessageContext, failed: inout Bool, log: inout DiagnosticLog) -> Value {
        switch node {
        case .literal(let v):
            return v
        case .text(let template, _):
            if template.isConstant { return .string(template.source) }
            do {
                return .string(try engine.render(template))
            } catch {
                failed = true
                for d in error.diagnostics { log.append(Diagnostic(d, context: context.text)) }
                return .null
            }
        case .list(let items):
            return .list(items.map { render($0, keys: nil, context: context, failed: &failed, log: &log) })
        case .map(let fields):
            if let keys {
                // The same map as below, its keys array shared with every message of the entry.
                var values: [Value] = []
                values.reserveCapacity(fields.count)
                for field in fields { values.append(render(field.node, keys: nil, context: context, failed: &failed, log: &log)) }
                return .map(OrderedMap(distinctKeys: keys, values: values))
            }
            var map = OrderedMap()
            for field in fields {
                if case .imagePath(let template, let position) = field.node {
                    guard let image = image(template, at: position, context: context, failed: &failed, log: &log) else { continue }
                    map["base64"] = .string(image.base64)
                    map["md5"] = .string(image.md5)
                } else {
                    map[field.key] = render(field.node, keys: nil, context: context, failed: &failed, log: &log)
                }
            }
            return .map(map)
        case .imagePath:
            return .null // only meaningful as a map field, handled above
        }
    }

    private func image(_ template: Template, at position: SourcePosition, context: MessageContext,
                       failed: inout Bool, log: inout DiagnosticLog) -> ImageAttachment? {
        let path: String
        do {
            path = try engine.render(template)
        } catch {
            failed = true
            for d in error.diagnostics { log.append(Diagnostic(d, context: context.text)) }
            return nil
        }
        let url = SourceText.resolve(path, against: job.directory)
        let result = images.image(at: url.path) {
            ImageAttachment.read(url, displayPath: SourceText.displayPath(path, displayBase: (job.path as NSString).deletingLastPathComponent),
                                 paths: job.paths)
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
    /// The entry's 1-based index.
    let entryIndex: Int
    let recipient: String?
    let rowNumber: Int?

    var text: String { Expander.context(entryIndex, recipient, rowNumber) }
}
