import HeraldCore

/// Plans whole messages the way a run does, through `PlanBuilder` (tests build their
/// messages by hand).
package enum Planner {
    package static func requests(for messages: [RenderedMessage], maxBatch: Int) -> [PlannedRequest] {
        var builder = PlanBuilder(maxBatch: maxBatch)
        for message in messages { builder.add(message) }
        return builder.finish()
    }
}
