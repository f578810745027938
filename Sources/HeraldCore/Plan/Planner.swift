import Foundation

/// Groups rendered messages by robot link, in order of each link's first appearance,
/// keeping expansion order inside a link, and cuts them into requests of at most
/// `max_batch` messages (SPEC §3.3–3.4).
public enum Planner {
    public static func requests(for messages: [RenderedMessage], maxBatch: Int) -> [PlannedRequest] {
        var order: [String: Int] = [:]
        var lanes: [(link: String, sk: String?, messages: [RenderedMessage])] = []
        for message in messages {
            if let i = order[message.link] {
                lanes[i].messages.append(message)
            } else {
                order[message.link] = lanes.count
                lanes.append((message.link, message.sk, [message]))
            }
        }
        var requests: [PlannedRequest] = []
        let batch = max(1, maxBatch)
        for lane in lanes {
            var start = 0
            while start < lane.messages.count {
                let chunk = lane.messages[start..<min(start + batch, lane.messages.count)]
                let body = RequestEncoder.body(link: lane.link, sk: lane.sk, messages: chunk.map(\.json))
                var sources: [Int] = []
                for m in chunk where sources.last != m.messageIndex { sources.append(m.messageIndex) }
                requests.append(PlannedRequest(index: requests.count, link: lane.link, sk: lane.sk, messageCount: chunk.count,
                                               body: body, contentID: RequestEncoder.contentID(link: lane.link, body: body),
                                               sourceMessages: sources))
                start += batch
            }
        }
        return requests
    }
}
