import HeraldTemplate

/// A rendered WeCom message for one recipient, checked against the limits.
public struct RenderedMessage: Sendable {
    /// 1-based entry of `messages:`.
    public var messageIndex: Int
    public var rowNumber: Int?
    public var recipient: String
    public var link: String
    public var sk: String?
    public var msgtype: String
    /// The message type's object, keys in the order written.
    public var body: Value
    /// `{"msgtype":…,"<msgtype>":…}` as exact JSON bytes.
    public var json: [UInt8]

    public init(messageIndex: Int, rowNumber: Int?, recipient: String, link: String, sk: String?, msgtype: String, body: Value) {
        self.messageIndex = messageIndex
        self.rowNumber = rowNumber
        self.recipient = recipient
        self.link = link
        self.sk = sk
        self.msgtype = msgtype
        self.body = body
        self.json = Self.encode(msgtype: msgtype, body: body)
    }

    /// The WeCom message as one value (for pretty printing and JSON output).
    public var value: Value {
        .map(OrderedMap([("msgtype", .string(msgtype)), (msgtype, body)]))
    }

    static func encode(msgtype: String, body: Value) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(contentsOf: #"{"msgtype":"#.utf8)
        JSONWriter.appendString(msgtype, to: &out)
        out.append(UInt8(ascii: ","))
        JSONWriter.appendString(msgtype, to: &out)
        out.append(UInt8(ascii: ":"))
        JSONWriter.append(body, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
