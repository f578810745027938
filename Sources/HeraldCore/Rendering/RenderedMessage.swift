import HeraldTemplate

/// A rendered message for one recipient, adapted to its platform, checked and fitted: one
/// element of a request's `data`.
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
        self.json = Self.encode(msgtype: kind.wireName, body: body, at: at)
    }

    /// The `msgtype` on the wire.
    public var msgtype: String { kind.wireName }
    public var platform: Platform { kind.platform }

    /// The message as one value (for pretty printing and JSON output).
    public var value: Value {
        var pairs: [(String, Value)] = [("msgtype", .string(msgtype)), (msgtype, body)]
        if let at { pairs.append(("at", at)) }
        return .map(OrderedMap(pairs))
    }

    static func encode(msgtype: String, body: Value, at: Value?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(contentsOf: #"{"msgtype":"#.utf8)
        JSONWriter.appendString(msgtype, to: &out)
        out.append(UInt8(ascii: ","))
        JSONWriter.appendString(msgtype, to: &out)
        out.append(UInt8(ascii: ":"))
        JSONWriter.append(body, to: &out)
        if let at {
            out.append(contentsOf: #","at":"#.utf8)
            JSONWriter.append(at, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
