import HeraldTemplate

/// `mention:` resolved for one message and recipient (docs/platforms.md#mentions): people's ids into WeCom's
/// lists, WeCom markdown's `<@id>` text, or DingTalk's `at`, each id once.
struct MentionResolver {
    let people: [String: Person]
    let peopleOrder: [String]

    struct Failure: Error {
        var message: String
        /// Index of the `mention:` entry at fault.
        var entry: Int
    }

    /// Updates `body` (WeCom text lists) or `at` (DingTalk) and returns the mention text to
    /// append to the long field ("" when none).
    func apply(_ names: [String], kind: MessageKind, recipient: String, body: inout OrderedMap, at: inout Value?) -> Result<String, Failure> {
        guard let style = kind.mentionStyle else {
            return .failure(Failure(message: "a \(kind.displayName) message cannot mention anyone; mentions work on WeCom text and markdown and DingTalk text and markdown", entry: 0))
        }
        var people: [(index: Int, name: String, person: Person?)] = []
        for (i, name) in names.enumerated() {
            if name == "@all" { people.append((i, name, nil)); continue }
            guard let person = self.people[name] else {
                return .failure(Failure(message: Self.unknownPersonMessage(name, people: peopleOrder), entry: i))
            }
            people.append((i, name, person))
        }
        switch style {
        case .wecomLists:
            var ids = Self.strings(body["mentioned_list"])
            var mobiles = Self.strings(body["mentioned_mobile_list"])
            for (i, name, person) in people {
                if let person {
                    if let id = person.wecom { Self.addOnce(id, to: &ids) } else if let mobile = person.mobile { Self.addOnce(mobile, to: &mobiles) } else {
                        return .failure(Failure(message: "person '\(name)' has no 'wecom' id or 'mobile' to mention on WeCom robot '\(recipient)'", entry: i))
                    }
                } else {
                    Self.addOnce("@all", to: &ids)
                }
            }
            // A list the template wrote keeps its place; a new one goes at the end, only with entries.
            if body["mentioned_list"] != nil || !ids.isEmpty { body["mentioned_list"] = .list(ids.map(Value.string)) }
            if body["mentioned_mobile_list"] != nil || !mobiles.isEmpty { body["mentioned_mobile_list"] = .list(mobiles.map(Value.string)) }
            return .success("")
        case .wecomMarkdownText:
            var ids: [String] = []
            for (i, name, person) in people {
                guard let person else {
                    return .failure(Failure(message: "WeCom markdown cannot mention @all; send a text message to mention everyone", entry: i))
                }
                guard let id = person.wecom else {
                    return .failure(Failure(message: "person '\(name)' has no 'wecom' id, which WeCom markdown needs to mention them; add one under 'people:'", entry: i))
                }
                Self.addOnce(id, to: &ids)
            }
            return .success(ids.isEmpty ? "" : "\n" + ids.map { "<@\($0)>" }.joined(separator: " "))
        case .dingtalkAt:
            let written: OrderedMap
            if case .map(let m)? = at { written = m } else { written = OrderedMap() }
            var mobiles = Self.strings(written["atMobiles"])
            var userIDs = Self.strings(written["atUserIds"])
            var all = written["isAtAll"] == .bool(true)
            var added: [String] = []
            for (i, name, person) in people {
                guard let person else { all = true; continue }
                if let id = person.dingtalk {
                    if Self.addOnce(id, to: &userIDs) { added.append(id) }
                } else if let mobile = person.mobile {
                    if Self.addOnce(mobile, to: &mobiles) { added.append(mobile) }
                } else {
                    return .failure(Failure(message: "person '\(name)' has no 'dingtalk' id or 'mobile' to mention on DingTalk robot '\(recipient)'", entry: i))
                }
            }
            var rebuilt = OrderedMap()
            for (key, value) in written.pairs where !["atMobiles", "atUserIds", "isAtAll"].contains(key) { rebuilt[key] = value }
            if !mobiles.isEmpty { rebuilt["atMobiles"] = .list(mobiles.map(Value.string)) }
            if !userIDs.isEmpty { rebuilt["atUserIds"] = .list(userIDs.map(Value.string)) }
            if all { rebuilt["isAtAll"] = .bool(true) }
            at = rebuilt.isEmpty && at == nil ? nil : .map(rebuilt)
            guard kind == .dingtalkMarkdown, !added.isEmpty else { return .success("") }
            return .success("\n" + added.map { "@\($0)" }.joined(separator: " "))
        }
    }

    static func unknownPersonMessage(_ name: String, people: [String]) -> String {
        if name.isEmpty { return "'mention' is empty for this message; name a person from 'people' or @all" }
        let otherwise = people.isEmpty ? "; add them under 'people:'" : "; 'people' names \(people.prefix(5).joined(separator: ", "))"
        return "unknown person '\(name)' in 'mention'" + NameSuggestion.hint(for: name, among: people + ["@all"], otherwise: otherwise)
    }

    private static func strings(_ value: Value?) -> [String] {
        guard case .list(let items)? = value else { return [] }
        return items.compactMap(\.stringValue)
    }

    @discardableResult
    private static func addOnce(_ id: String, to list: inout [String]) -> Bool {
        guard !list.contains(id) else { return false }
        list.append(id)
        return true
    }
}
