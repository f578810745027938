import HeraldTemplate

/// The one message path: each envelope is rendered (`MessageRenderer`), fitted
/// (`MessageFitter`) and encoded here into the slice's bytes (`EncodedMessages`), every
/// message tagged with its recipient, entry and part. One per thread.
///
/// Two branches, one path: an entry `ContentOnlyMessage` accepts has its content rendered
/// straight into its JSON when messages are not kept; everything else, and any message that
/// branch declines, is rendered into a draft, fitted and written by `write(msgtype:body:at:to:)`,
/// the one writer of a message's JSON. `RenderedMessage` values are made only when
/// `keepsMessages`.
final class MessageEncoder {
    let renderer: MessageRenderer
    /// Keep every message whole (render, preview, pretty output); the content-only branch is
    /// then not taken, so keeping is also the reference that branch is checked against.
    let keepsMessages: Bool

    init(renderer: MessageRenderer, keepsMessages: Bool) {
        self.renderer = renderer
        self.keepsMessages = keepsMessages
    }

    /// The envelope's message, or its parts, appended to `out`; what stops it goes to `log`.
    func encode(_ envelope: Envelope, log: inout DiagnosticLog, into out: EncodedMessages) {
        let entry = renderer.compiled.entries[envelope.entry]
        if !keepsMessages, let shape = entry.contentOnly, encodeContentOnly(envelope, shape, messageIndex: entry.index, into: out) { return }
        guard let draft = renderer.render(envelope, log: &log) else { return }
        MessageFitter.fit(draft, log: &log) { part in
            let tag = MessageTag(recipient: envelope.recipient, messageIndex: draft.messageIndex,
                                 part: part.reference(messageIndex: draft.messageIndex))
            let msgtype = draft.kind.wireName
            let body = Value.map(part.body)
            out.append(tag, atMost: Self.bound(msgtype: msgtype, body: body, at: part.at)) {
                Self.write(msgtype: msgtype, body: body, at: part.at, to: $0)
            }
            if keepsMessages {
                out.keep(RenderedMessage(messageIndex: draft.messageIndex, rowNumber: draft.rowNumber, recipient: draft.recipient,
                                         link: draft.link, sk: draft.sk, kind: draft.kind, body: body, at: part.at,
                                         part: part.number, partCount: part.count, json: out.lastJSON))
            }
        }
    }

    /// The content-only branch; false, writing nothing, when the message is not the usual
    /// case (another platform, a render error, an empty content, one over the limit).
    private func encodeContentOnly(_ envelope: Envelope, _ shape: ContentOnlyMessage, messageIndex: Int,
                                   into out: EncodedMessages) -> Bool {
        renderer.renderContent(envelope, shape.content) { content in
            // An empty content is an error, a long one is split: the general branch's.
            guard !content.isEmpty, content.count <= shape.limit else { return false }
            out.append(MessageTag(recipient: envelope.recipient, messageIndex: messageIndex, part: nil),
                       atMost: shape.bound(content.count)) { shape.write(content, to: $0) }
            return true
        }
    }

    // MARK: The JSON of a message

    /// `{"msgtype":…,"<msgtype>":…}` (and `"at"`), compact, as an array of its own size.
    static func json(kind: MessageKind, body: Value, at: Value?) -> [UInt8] {
        let msgtype = kind.wireName
        return [UInt8](unsafeUninitializedCapacity: bound(msgtype: msgtype, body: body, at: at)) { buffer, count in
            guard let base = buffer.baseAddress else { count = 0; return }
            count = write(msgtype: msgtype, body: body, at: at, to: base) - base
        }
    }

    /// The most bytes `write` can take (written in one pass, not measured first).
    static func bound(msgtype: String, body: Value, at: Value?) -> Int {
        var bound = 11 + 2 * (2 + 6 * msgtype.utf8.count) + 3 + JSONWriter.maximumLength(body)
        if let at { bound += 6 + JSONWriter.maximumLength(at) }
        return bound
    }

    /// Writes the message at `p`; returns the end.
    static func write(msgtype: String, body: Value, at: Value?, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var q = put(#"{"msgtype":"#, at: p)
        q = JSONWriter.writeString(msgtype, to: q)
        q = put(",", at: q)
        q = JSONWriter.writeString(msgtype, to: q)
        q = put(":", at: q)
        q = JSONWriter.write(body, to: q)
        if let at {
            q = put(#","at":"#, at: q)
            q = JSONWriter.write(at, to: q)
        }
        return put("}", at: q)
    }

    private static func put(_ text: StaticString, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        p.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        return p + text.utf8CodeUnitCount
    }
}
