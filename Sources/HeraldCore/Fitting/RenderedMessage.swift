import HeraldTemplate

/// A rendered message for one recipient, adapted to its platform, checked and fitted: one
/// element of a request's `data`. Made only when a caller keeps the messages
/// (`PlanningOptions.keepsMessages`: render, preview, pretty output); planning reads the JSON
/// `MessageEncoder` writes.
public struct RenderedMessage: Sendable {
    /// 1-based entry of `messages:`.
    public var messageIndex: Int
    public var rowNumber: Int?
    public var recipient: String
    public var link: String
    public var sk: String?
    public var kind: MessageKind
    /// The message type's object, keys in the order written.
    public var body: Value
    /// DingTalk's `at`, sent after the type key.
    public var at: Value?
    /// Part number and count of a split message (`message 3, part 2/3`); nil when whole.
    public var part: Int?
    public var partCount: Int?
    /// `{"msgtype":…,"<msgtype>":…}` (and `"at"`) as exact JSON bytes.
    public var json: [UInt8]

    public init(messageIndex: Int, rowNumber: Int?, recipient: String, link: String, sk: String?, kind: MessageKind, body: Value,
                at: Value? = nil, part: Int? = nil, partCount: Int? = nil) {
        self.init(messageIndex: messageIndex, rowNumber: rowNumber, recipient: recipient, link: link, sk: sk, kind: kind, body: body,
                  at: at, part: part, partCount: partCount, json: MessageEncoder.json(kind: kind, body: body, at: at))
    }

    /// The same, its JSON already written (by `MessageEncoder`).
    init(messageIndex: Int, rowNumber: Int?, recipient: String, link: String, sk: String?, kind: MessageKind, body: Value,
         at: Value?, part: Int?, partCount: Int?, json: [UInt8]) {
        self.messageIndex = messageIndex
        self.rowNumber = rowNumber
        self.recipient = recipient
        self.link = link
        self.sk = sk
        self.kind = kind
        self.body = body
        self.at = at
        self.part = part
        self.partCount = partCount
        self.json = json
    }

    /// The `msgtype` on the wire.
    public var msgtype: String { kind.wireName }
    public var platform: Platform { kind.platform }

    /// Part `part` of `partCount` as the plan records it; nil when whole.
    var partReference: PartReference? {
        guard let part, let partCount else { return nil }
        return PartReference(message: messageIndex, part: part, count: partCount)
    }

    /// The message as one value (for pretty printing and JSON output).
    public var value: Value {
        var pairs: [(String, Value)] = [("msgtype", .string(msgtype)), (msgtype, body)]
        if let at { pairs.append(("at", at)) }
        return .map(OrderedMap(pairs))
    }
}
