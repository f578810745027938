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
        self.init(messageIndex: messageIndex, rowNumber: rowNumber, recipient: recipient, link: link, sk: sk, kind: kind, body: body,
                  at: at, part: part, partCount: partCount, json: Self.encode(msgtype: kind.wireName, body: body, at: at))
    }

    /// The same message, its JSON written into `scratch` (one pass, no measuring first) and
    /// copied out at its size.
    init(messageIndex: Int, rowNumber: Int?, recipient: String, link: String, sk: String?, kind: MessageKind, body: Value,
         at: Value?, scratch: ByteArena) {
        let msgtype = kind.wireName
        var bound = 11 + 2 * (2 + 6 * msgtype.utf8.count) + 3 + JSONWriter.maximumLength(body)
        if let at { bound += 6 + JSONWriter.maximumLength(at) }
        let json = scratch.bytes(atMost: bound) { p in Self.write(msgtype: msgtype, body: body, at: at, to: p) }
        self.init(messageIndex: messageIndex, rowNumber: rowNumber, recipient: recipient, link: link, sk: sk, kind: kind, body: body,
                  at: at, part: nil, partCount: nil, json: json)
    }

    private init(messageIndex: Int, rowNumber: Int?, recipient: String, link: String, sk: String?, kind: MessageKind, body: Value,
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

    /// The message as one value (for pretty printing and JSON output).
    public var value: Value {
        var pairs: [(String, Value)] = [("msgtype", .string(msgtype)), (msgtype, body)]
        if let at { pairs.append(("at", at)) }
        return .map(OrderedMap(pairs))
    }

    /// Its exact length first, then the bytes in place: one allocation of the final size.
    static func encode(msgtype: String, body: Value, at: Value?) -> [UInt8] {
        let typeLength = JSONWriter.stringLength(msgtype)
        var count = 11 + typeLength + 1 + typeLength + 1 + JSONWriter.encodedLength(body) + 1
        if let at { count += 6 + JSONWriter.encodedLength(at) }
        return JSONWriter.bytes(count: count) { write(msgtype: msgtype, body: body, at: at, to: $0) }
    }

    private static func write(msgtype: String, body: Value, at: Value?, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
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
