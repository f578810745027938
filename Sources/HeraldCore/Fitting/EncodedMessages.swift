import HeraldTemplate

/// One encoded message as the planner takes it: its exact JSON (valid during the call) and
/// what it is tagged with.
struct EncodedMessage {
    var json: UnsafeBufferPointer<UInt8>
    var tag: MessageTag
    /// The whole message, only when the caller keeps messages (`MessageEncoder.keepsMessages`).
    var kept: RenderedMessage?
}

/// Where an encoded message goes and what it came from.
struct MessageTag: Sendable {
    /// The run's recipient (`CompiledJob.recipients`): the planner finds its lane by it.
    var recipient: Int
    /// 1-based entry of `messages:`.
    var messageIndex: Int
    /// The part of a split message; nil when whole.
    var part: PartReference?
}

/// A thread's encoded messages in order: their JSON one after another in one byte buffer (no
/// allocation per message), each tagged with its recipient, entry and part, and — only when
/// the caller keeps messages — the whole messages beside them. A reference type: one is
/// filled per thread, and handed over whole.
// @unchecked: one thread fills it, then hands it (through the pipeline's queue or its
// per-worker results) to the one consumer; no two threads touch it at once.
final class EncodedMessages: @unchecked Sendable {
    private struct Item: Sendable {
        /// The bytes from the previous message's end up to `end`.
        var end: Int
        var tag: MessageTag
    }

    private var items: [Item] = []
    private let bytes = ByteArena()
    /// Empty, or one per item (`keep`).
    private var kept: [RenderedMessage] = []

    init() {}

    var isEmpty: Bool { items.isEmpty }

    /// Adds a message: `write` writes its JSON, at most `bound` bytes, at the pointer and
    /// returns their end.
    func append(_ tag: MessageTag, atMost bound: Int, _ write: (UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>) {
        bytes.append(atMost: bound, write)
        items.append(Item(end: bytes.count, tag: tag))
    }

    /// The JSON of the message added last.
    var lastJSON: [UInt8] {
        let start = items.count > 1 ? items[items.count - 2].end : 0
        return [UInt8](UnsafeBufferPointer(start: bytes.base + start, count: bytes.count - start))
    }

    /// Keeps the whole message added last (its JSON is `lastJSON`).
    func keep(_ message: RenderedMessage) {
        assert(kept.count == items.count - 1, "keep follows every append, or none")
        kept.append(message)
    }

    /// Hands each message to `consume`, in order.
    func forEach(_ consume: (EncodedMessage) -> Void) {
        var start = 0
        for (i, item) in items.enumerated() {
            consume(EncodedMessage(json: UnsafeBufferPointer(start: bytes.base + start, count: item.end - start), tag: item.tag,
                                   kept: kept.isEmpty ? nil : kept[i]))
            start = item.end
        }
    }

    /// Empty again, keeping the memory.
    func removeAll() {
        // A few removeLast() are far cheaper than removeAll(keepingCapacity:)'s generic path.
        while !items.isEmpty { items.removeLast() }
        while !kept.isEmpty { kept.removeLast() }
        bytes.count = 0
    }
}
