/// Builds the plan's requests as rendered messages arrive, one message at a time, so a
/// 100k-message job never holds its messages and its request bodies at once: each message's
/// JSON goes straight into the open batch of its link (docs/job-file.md, "The plan and the bytes").
public struct PlanBuilder: Sendable {
    fileprivate struct Lane: Sendable {
        var link: String
        var sk: String?
        var platform: Platform
        var closed: [PlannedRequest] = []
        var open: [UInt8] = []
        var openCount = 0
        var openSources: [Int] = []
        var openParts: [PartReference] = []
        /// The last request's size: the next one's buffer is made that large at once.
        var expected = 0
    }

    public let maxBatch: Int
    /// Only the links' order is kept here (groups of nothing); the lanes hold the bytes.
    private var order = LinkGroups<Never>()
    private var lanes: [Lane] = []
    /// A lane by the address of its link's bytes: a link's messages share the recipient's
    /// String, so this finds the lane without hashing the link (its text is still compared).
    private var laneByAddress: [Int: Int] = [:]
    /// A lane by the run's recipient index (`add(json:recipient:…)`); -1 for not yet known.
    private var laneByRecipient: [Int] = []

    public init(maxBatch: Int) { self.maxBatch = max(1, maxBatch) }

    public mutating func add(_ message: RenderedMessage) {
        add(json: message.json, link: message.link, sk: message.sk, messageIndex: message.messageIndex, platform: message.platform,
            part: message.part.flatMap { part in message.partCount.map { PartReference(message: message.messageIndex, part: part, count: $0) } })
    }

    /// Adds one message (its exact JSON) for `link`; the first message of a link fixes its `sk` and platform.
    public mutating func add(json: [UInt8], link: String, sk: String?, messageIndex: Int, platform: Platform = .wecom,
                             part: PartReference? = nil) {
        json.withUnsafeBufferPointer { add(json: $0, link: link, sk: sk, messageIndex: messageIndex, platform: platform, part: part) }
    }

    /// The same for recipient `recipient` of the run (its index): its lane is found by the index.
    mutating func add(json: UnsafeBufferPointer<UInt8>, recipient: Int, link: String, sk: String?, messageIndex: Int, platform: Platform) {
        if recipient < laneByRecipient.count, laneByRecipient[recipient] >= 0 {
            lanes[laneByRecipient[recipient]].append(json, messageIndex: messageIndex, part: nil, maxBatch: maxBatch)
            return
        }
        let i = order.groupIndex(for: link)
        if i == lanes.count { lanes.append(Lane(link: link, sk: sk, platform: platform)) }
        while laneByRecipient.count <= recipient { laneByRecipient.append(-1) }
        laneByRecipient[recipient] = i
        lanes[i].append(json, messageIndex: messageIndex, part: nil, maxBatch: maxBatch)
    }

    /// The same, the JSON lent for the call.
    public mutating func add(json: UnsafeBufferPointer<UInt8>, link: String, sk: String?, messageIndex: Int, platform: Platform = .wecom,
                             part: PartReference? = nil) {
        let address = link.utf8.withContiguousStorageIfAvailable { Int(bitPattern: $0.baseAddress) } ?? 0
        let i: Int
        if let known = laneByAddress[address], lanes[known].link == link {
            i = known
        } else {
            i = order.groupIndex(for: link)
            if i == lanes.count { lanes.append(Lane(link: link, sk: sk, platform: platform)) }
            laneByAddress[address] = i
        }
        lanes[i].append(json, messageIndex: messageIndex, part: part, maxBatch: maxBatch)
    }

    /// The requests: links in first-appearance order, each link's requests in order.
    public mutating func finish() -> [PlannedRequest] {
        var requests: [PlannedRequest] = []
        requests.reserveCapacity(lanes.reduce(0) { $0 + $1.closed.count + 1 })
        for i in lanes.indices {
            lanes[i].close()
            for var request in lanes[i].closed {
                request.index = requests.count
                requests.append(request)
            }
            lanes[i].closed = []
        }
        lanes = []
        order = LinkGroups()
        laneByAddress = [:]
        laneByRecipient = []
        return requests
    }
}

fileprivate extension PlanBuilder.Lane {
    mutating func append(_ json: UnsafeBufferPointer<UInt8>, messageIndex: Int, part: PartReference?, maxBatch: Int) {
        if openCount == 0 {
            open = RequestEncoder.prefix(link: link, sk: sk, capacity: max(4096, expected))
        } else {
            open.append(UInt8(ascii: ","))
        }
        open.append(contentsOf: json)
        openCount += 1
        if openSources.last != messageIndex { openSources.append(messageIndex) }
        if let part { openParts.append(part) }
        if openCount == maxBatch { close() }
    }

    mutating func close() {
        guard openCount > 0 else { return }
        RequestEncoder.appendSuffix(to: &open)
        expected = open.count
        // A growing buffer can hold up to twice its bytes: one much larger than its bytes is
        // copied at its size.
        let body: [UInt8]
        if open.capacity - open.count <= open.count / 8 {
            body = open
        } else {
            body = [UInt8](unsafeUninitializedCapacity: open.count) { buffer, count in
                count = buffer.initialize(fromContentsOf: open)
            }
        }
        var request = PlannedRequest(index: 0, link: link, sk: sk, messageCount: openCount, body: body,
                                     sourceMessages: openSources, platform: platform)
        request.parts = openParts
        closed.append(request)
        open = []
        openCount = 0
        openSources = []
        openParts = []
    }
}
