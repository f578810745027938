import HeraldTemplate

/// The job compiled for a run: what expansion and rendering need of each message entry and
/// recipient, looked up once per run instead of once per message; shared (read only) by every
/// thread's renderer and the expansion.
struct CompiledJob: Sendable {
    /// One per entry of `job.messages`, same order.
    let entries: [Entry]
    /// One per recipient, in `job.recipientOrder`; envelopes name them by index.
    let recipients: [RecipientInfo]
    let recipientIndex: [String: Int]

    final class Entry: Sendable {
        let entry: MessageEntry
        // The entry's fields rendering reads, apart: reading them off `entry` copied it whole.
        let index: Int
        let body: BodyNode
        let at: BodyNode?
        let msgtype: String
        /// `as:`, the name a row goes by.
        let rowName: String
        let templatePosition: SourcePosition
        let frames: ScopeBuilder.EntryFrames
        /// What a WeCom robot gets when there is no `at`: decided by the type key and the
        /// body's keys alone, so once (nil when the keys are not known before rendering, or
        /// the message cannot go to WeCom).
        let wecomKind: MessageKind?
        /// The body's top-level keys when they are plain fields (no image path), all
        /// different: the rendered body's map shares this array.
        let bodyKeys: [String]?
        /// Where each top-level body field was written (the long field's position in warnings),
        /// first of each key; a few, searched in order.
        let fieldPositions: [(key: String, position: SourcePosition)]
        /// The entry's usual message when it can take MessageEncoder's content-only branch.
        let contentOnly: ContentOnlyMessage?

        init(_ entry: MessageEntry, scopes: ScopeBuilder) {
            self.entry = entry
            index = entry.index
            body = entry.template.body
            at = entry.template.at
            msgtype = entry.template.msgtype
            rowName = entry.rowName
            templatePosition = entry.template.position
            frames = scopes.entryFrames(entry)
            var positions: [(key: String, position: SourcePosition)] = []
            if case .map(let fields) = entry.template.body {
                let keys = fields.map(\.key)
                let plain = !fields.contains { if case .imagePath = $0.node { return true } else { return false } }
                bodyKeys = plain && Set(keys).count == keys.count ? keys : nil
                for field in fields where !positions.contains(where: { $0.key == field.key }) {
                    if let p = MessageRenderer.position(of: [field.key], in: entry.template.body) { positions.append((field.key, p)) }
                }
            } else {
                bodyKeys = nil
            }
            fieldPositions = positions
            if let bodyKeys, case .success(let adapted) = PlatformAdapter.adapt(
                key: entry.template.msgtype, body: OrderedMap(distinctKeys: bodyKeys, values: bodyKeys.map { _ in .null }),
                hasAt: false, platform: .wecom, recipient: "") {
                wecomKind = adapted.kind
            } else {
                wecomKind = nil
            }
            contentOnly = ContentOnlyMessage(entry, wecomKind: wecomKind)
        }

        /// `MessageRenderer.position(of: [key], in: body)`, or the template's position.
        func longFieldPosition(_ key: String?) -> SourcePosition {
            guard let key else { return templatePosition }
            return fieldPositions.first { $0.key == key }?.position ?? templatePosition
        }
    }

    final class RecipientInfo: Sendable {
        let name: String
        let link: String
        let sk: String?
        let platform: Platform
        let frames: ScopeBuilder.RecipientFrames

        init(_ recipient: Recipient, scopes: ScopeBuilder) {
            name = recipient.name
            link = recipient.link
            sk = recipient.sk
            platform = recipient.platform
            frames = scopes.recipientFrames(recipient)
        }
    }

    init(job: Job, scopes: ScopeBuilder) {
        entries = job.messages.map { Entry($0, scopes: scopes) }
        var recipients: [RecipientInfo] = []
        var recipientIndex: [String: Int] = [:]
        for name in job.recipientOrder where recipientIndex[name] == nil {
            guard let recipient = job.recipients[name] else { continue }
            recipientIndex[name] = recipients.count
            recipients.append(RecipientInfo(recipient, scopes: scopes))
        }
        // Recipients not in the written order (a job built by hand) still get their place.
        for (name, recipient) in job.recipients.sorted(by: { $0.key < $1.key }) where recipientIndex[name] == nil {
            recipientIndex[name] = recipients.count
            recipients.append(RecipientInfo(recipient, scopes: scopes))
        }
        self.recipients = recipients
        self.recipientIndex = recipientIndex
    }
}
