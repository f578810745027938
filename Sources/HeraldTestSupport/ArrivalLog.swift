/// What a test relay has received: each request in order, how often each exact body came
/// (a retry's attempt number), and the most in flight at once. Kept under the relay's lock.
struct ArrivalLog<Item: Sendable>: Sendable {
    private(set) var items: [Item] = []
    private var seen: [[UInt8]: Int] = [:]
    private var inFlight = 0
    private(set) var maxInFlight = 0

    /// Records an arrival, made from its 0-based order, and returns it with its body's attempt number (1 = first).
    mutating func arrive(body: [UInt8], _ make: (Int) -> Item) -> (Item, Int) {
        let item = make(items.count)
        items.append(item)
        seen[body, default: 0] += 1
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
        return (item, seen[body] ?? 1)
    }

    /// An arrival has been answered (or dropped).
    mutating func finish() { inFlight -= 1 }

    /// Changes what was recorded of arrival `order` (when it was answered, say).
    mutating func update(_ order: Int, _ change: (inout Item) -> Void) { change(&items[order]) }
}
