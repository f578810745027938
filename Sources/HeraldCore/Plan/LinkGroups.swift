/// Groups by robot link in order of each link's first appearance, keeping order inside a
/// link: how the planner, the plan's lanes, the preview and the dry run's message lists all
/// group. Incremental, so the planner can add one message at a time.
struct LinkGroups<Item> {
    private var index: [String: Int] = [:]
    private(set) var links: [String] = []
    private(set) var groups: [[Item]] = []

    init() {}

    init(_ items: some Sequence<Item>, link: (Item) -> String) {
        for item in items { append(item, link: link(item)) }
    }

    /// The group of `link`, made (last) when the link is new.
    mutating func groupIndex(for link: String) -> Int {
        if let i = index[link] { return i }
        index[link] = groups.count
        links.append(link)
        groups.append([])
        return groups.count - 1
    }

    mutating func append(_ item: Item, link: String) {
        groups[groupIndex(for: link)].append(item)
    }

    func group(of link: String) -> [Item]? { index[link].map { groups[$0] } }
}
extension LinkGroups: Sendable where Item: Sendable {}
