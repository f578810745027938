import Foundation
import HeraldTemplate

/// Renders envelopes into WeCom messages (SPEC §3.2): every string leaf through the
/// template engine, image paths into base64 + md5, then the limits.
final class MessageRenderer {
    let job: Job
    let scopes: ScopeBuilder
    let images: ImageCache

    init(job: Job, scopes: ScopeBuilder, images: ImageCache = ImageCache()) {
        self.job = job
        self.scopes = scopes
        self.images = images
    }

    func render(_ envelope: Envelope, log: inout DiagnosticLog) -> RenderedMessage? {
        let entry = job.messages[envelope.entry]
        guard let recipient = job.recipients[envelope.recipient] else { return nil }
        let context = MessageContext(entry: entry, recipient: recipient.name, rowNumber: envelope.rowNumber)
        let stack = scopes.stack(entry: entry, recipient: recipient, rowFrame: envelope.rowFrame)
        var failed = false
        let body = render(entry.template.body, stack: stack, context: context, failed: &failed, log: &log)
        guard !failed else { return nil }

        let msgtype = entry.template.msgtype
        for issue in LimitChecker.check(msgtype: msgtype, body: body) {
            let position = Self.position(of: issue.field, in: entry.template.body) ?? entry.template.position
            log.append(Diagnostic(issue.severity, at: position, "\(issue.message) (\(context.text))"))
            if issue.severity == .error { failed = true }
        }
        guard !failed else { return nil }
        return RenderedMessage(messageIndex: entry.index, rowNumber: envelope.rowNumber, recipient: recipient.name,
                               link: recipient.link, sk: recipient.sk, msgtype: msgtype, body: body)
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
struct MessageContext {
    let entry: MessageEntry
    let recipient: String?
    let rowNumber: Int?

    var text: String { Expander.context(entry, recipient, rowNumber) }
}
