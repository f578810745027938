/// Groups rendered messages by robot link, in order of each link's first appearance,
/// keeping expansion order inside a link, and cuts them into requests of at most
/// `max_batch` messages (docs/job-file.md, "The plan and the bytes").
enum Planner {
    static func requests(for messages: [RenderedMessage], maxBatch: Int) -> [PlannedRequest] {
        var builder = PlanBuilder(maxBatch: maxBatch)
        for message in messages { builder.add(message) }
        return builder.finish()
    }
}
