/// A string-keyed map that keeps keys in insertion order (job files promise "key order as written").
public struct OrderedMap: Sendable, Hashable {
    public private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]

    public init() {}

    /// Later duplicates replace the value but keep the first key's position.
    public init(_ pairs: some Sequence<(String, Value)>) {
        for (key, value) in pairs { self[key] = value }
    }

    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// The pairs in key order.
    public var pairs: [(key: String, value: Value)] {
        keys.map { ($0, storage[$0] ?? .null) }
    }

    /// `other`'s values win; keys new to `self` are appended in `other`'s order.
    public func merging(_ other: OrderedMap) -> OrderedMap {
        var result = self
        for key in other.keys { result[key] = other.storage[key] }
        return result
    }

    public static func == (lhs: OrderedMap, rhs: OrderedMap) -> Bool {
        lhs.keys == rhs.keys && lhs.storage == rhs.storage
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        for key in keys { hasher.combine(storage[key]) }
    }
}

extension OrderedMap: Sequence {
    public func makeIterator() -> some IteratorProtocol<(key: String, value: Value)> {
        pairs.makeIterator()
    }
}
