import HeraldTemplate

/// The usual message straight to its JSON, when only the plan is wanted (sending, the exact
/// dry run): a WeCom text or markdown message whose body is `content` alone, to a WeCom robot,
/// with no `at` and no mention. Its content is rendered into the engine's buffer and escaped
/// into the thread's batch: no String, map, draft or message is made for it.
///
/// Anything but the usual case — a render error, an empty content, one over the limit — is
/// left to the general path (MessageRenderer → MessageFitter), which renders the message again
/// and reports it; so both give the same bytes and the same diagnostics (DirectEncodingTests).
enum DirectEncoding {
    /// What an entry's usual message is made of, worked out once per run (a class: read per
    /// message without copying its parts).
    final class Shape: Sendable {
        let content: Template
        /// `{"msgtype":"markdown","markdown":{"content":"`, and `"}}`.
        let prefix: [UInt8]
        let suffix: [UInt8]
        /// The kind's limit on `content`, in UTF-8 bytes.
        let limit: Int

        init(content: Template, prefix: [UInt8], suffix: [UInt8], limit: Int) {
            self.content = content
            self.prefix = prefix
            self.suffix = suffix
            self.limit = limit
        }

        /// The most bytes the message can take for a content of `count` bytes.
        func bound(_ count: Int) -> Int { prefix.count + 6 * count + suffix.count }

        /// The message's JSON for `content` at `p`; returns the end.
        func write(_ content: UnsafeBufferPointer<UInt8>, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
            var q = prefix.withUnsafeBufferPointer { copy($0, to: p) }
            q = JSONWriter.writeEscaped(content, to: q)
            return suffix.withUnsafeBufferPointer { copy($0, to: q) }
        }

        private func copy(_ bytes: UnsafeBufferPointer<UInt8>, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
            guard let base = bytes.baseAddress else { return p }
            p.update(from: base, count: bytes.count)
            return p + bytes.count
        }
    }

    /// The entry's shape, or nil when its messages go the general way. `wecomKind`: what the
    /// entry's body is for a WeCom robot (`RenderPlan.Entry.wecomKind`).
    static func shape(for entry: MessageEntry, wecomKind: MessageKind?) -> Shape? {
        guard entry.template.at == nil, entry.mention == nil, let kind = wecomKind, kind == .wecomText || kind == .wecomMarkdown,
              let long = kind.longField, long.key == "content",
              case .map(let fields) = entry.template.body, fields.count == 1, fields[0].key == "content",
              case .text(let content, _) = fields[0].node else { return nil }
        // The bytes around the content, from the writer every message goes through: the
        // message with an empty content ends `""}}`, the content going between the quotes.
        let empty = RenderedMessage.encode(msgtype: kind.wireName, body: .map(OrderedMap(distinctKeys: ["content"], values: [.string("")])),
                                           at: nil)
        guard empty.count > 4, empty.suffix(4).elementsEqual(#"""}}"#.utf8) else { return nil }
        return Shape(content: content, prefix: Array(empty.dropLast(3)), suffix: Array(empty.suffix(3)), limit: long.limit)
    }
}
