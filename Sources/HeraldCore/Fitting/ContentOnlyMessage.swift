import HeraldTemplate

/// An entry whose messages can take `MessageEncoder`'s content-only branch: a body of
/// `content` alone, no `at` and no mention, of a kind `LimitChecker.checksOnlyContent` says is
/// checked by nothing else. Its content is rendered into the engine's buffer and escaped into
/// the thread's bytes between `prefix` and `suffix`: no String, map, draft or message is made.
/// Worked out once per run (a class: read per message without copying its parts).
///
/// Anything but the usual case — a render error, an empty content, one over the limit — goes
/// on down the general branch, which renders the message again and reports it; so both give
/// the same bytes and the same diagnostics (ContentOnlyBranchTests).
final class ContentOnlyMessage: Sendable {
    let content: Template
    /// `{"msgtype":"markdown","markdown":{"content":"`, and `"}}`.
    let prefix: [UInt8]
    let suffix: [UInt8]
    /// The kind's limit on `content`, in UTF-8 bytes.
    let limit: Int

    /// Nil when the entry's messages go the general way. `wecomKind`: what the entry's body
    /// is for a WeCom robot (`CompiledJob.Entry.wecomKind`); the branch is taken for WeCom robots only.
    init?(_ entry: MessageEntry, wecomKind: MessageKind?) {
        guard entry.template.at == nil, entry.mention == nil, let kind = wecomKind, LimitChecker.checksOnlyContent(kind),
              let long = kind.longField, long.key == "content",
              case .map(let fields) = entry.template.body, fields.count == 1, fields[0].key == "content",
              case .text(let content, _) = fields[0].node else { return nil }
        // The bytes around the content, from the writer of every message: the message with an
        // empty content ends `""}}`, the content going between the quotes.
        let empty = MessageEncoder.json(kind: kind, body: .map(OrderedMap(distinctKeys: ["content"], values: [.string("")])), at: nil)
        guard empty.count > 4, empty.suffix(4).elementsEqual(#"""}}"#.utf8) else { return nil }
        self.content = content
        prefix = Array(empty.dropLast(3))
        suffix = Array(empty.suffix(3))
        limit = long.limit
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
