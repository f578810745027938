import HeraldTemplate

/// A fitted message as the planner takes it.
enum FittedMessage {
    /// A message with all that is known of it (what render, preview and pretty output show).
    case whole(RenderedMessage)
    /// The usual message when only the plan is wanted (`DirectEncoding`): its exact JSON,
    /// valid during the call, and where it goes.
    case json(UnsafeBufferPointer<UInt8>, recipient: RenderPlan.RecipientInfo, recipientIndex: Int, messageIndex: Int)
}

/// Fitted messages in order, as a thread makes them: whole messages, and the JSON of direct
/// ones one after another in one byte buffer (no allocation per message). Copies share the
/// buffer: one is kept per thread, or handed over whole.
struct FittedMessages: Sendable {
    private enum Item: Sendable {
        case whole(RenderedMessage)
        /// The bytes from the previous direct message's end up to `end`.
        case json(end: Int, recipient: Int, messageIndex: Int)
    }

    private var items: [Item] = []
    private let bytes = ByteArena()

    init() {}

    var isEmpty: Bool { items.isEmpty }

    mutating func append(_ message: RenderedMessage) { items.append(.whole(message)) }

    /// Adds a direct message: `write` writes at most `bound` bytes at the pointer and returns their end.
    mutating func appendJSON(recipient: Int, messageIndex: Int, atMost bound: Int,
                             _ write: (UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>) {
        bytes.append(atMost: bound, write)
        items.append(.json(end: bytes.count, recipient: recipient, messageIndex: messageIndex))
    }

    /// Hands each message to `consume`, in order.
    func forEach(recipients: [RenderPlan.RecipientInfo], _ consume: (FittedMessage) -> Void) {
        var start = 0
        for item in items {
            switch item {
            case .whole(let message):
                consume(.whole(message))
            case .json(let end, let recipient, let messageIndex):
                consume(.json(UnsafeBufferPointer(start: bytes.base + start, count: end - start),
                              recipient: recipients[recipient], recipientIndex: recipient, messageIndex: messageIndex))
                start = end
            }
        }
    }

    /// Empty again, keeping the memory.
    mutating func removeAll() {
        // A few removeLast() are far cheaper than removeAll(keepingCapacity:)'s generic path.
        while !items.isEmpty { items.removeLast() }
        bytes.count = 0
    }
}
