/// Builds the plan's requests as rendered messages arrive, one message at a time, so a
/// 100k-message job never holds its messages and its request bodies at once: each message's
/// JSON goes straight into the open batch of its link (docs/job-file.md, "The plan and the bytes").
package struct PlanBuilder: Sendable {
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

    package let maxBatch: Int
    /// Only the links' order is kept here (groups of nothing); the lanes hold the bytes.
    private var order = LinkGroups<Never>()
    private var lanes: [Lane] = []

    package init(maxBatch: Int) { self.maxBatch = max(1, maxBatch) }

    /// The lane (the requests to one link) that `add(json:lane:…)` takes: made when the link is
    /// new, whose first message fixes its `sk` and platform. A caller adding many messages for
    /// one recipient asks once and keeps the number (the link is hashed here).
    package mutating func lane(link: String, sk: String?, platform: Platform = .wecom) -> Int {
        let i = order.groupIndex(for: link)
        if i == lanes.count { lanes.append(Lane(link: link, sk: sk, platform: platform)) }
        return i
    }

    /// Adds one message, its exact JSON lent for the call, to `lane` (from `lane(link:…)`).
    package mutating func add(json: UnsafeBufferPointer<UInt8>, lane: Int, messageIndex: Int, part: PartReference? = nil) {
        lanes[lane].append(json, messageIndex: messageIndex, part: part, maxBatch: maxBatch)
    }

    /// Adds a message kept whole (a test's, or a library user's): the same as the two above.
    package mutating func add(_ message: RenderedMessage) {
        let i = lane(link: message.link, sk: message.sk, platform: message.platform)
        message.json.withUnsafeBufferPointer { add(json: $0, lane: i, messageIndex: message.messageIndex, part: message.partReference) }
    }

    /// The requests: links in first-appearance order, each link's requests in order.
    package mutating func finish() -> [PlannedRequest] {
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
