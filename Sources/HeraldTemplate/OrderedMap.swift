/// A string-keyed map that keeps keys in insertion order (job files promise "key order as written").
///
/// Template contexts are mostly small maps looked up many times per message, so up to
/// `indexThreshold` keys are found by a linear scan; larger maps keep a hash index.
public struct OrderedMap: Sendable, Hashable {
    public private(set) var keys: [String] = []
    private var values: [Value] = []
    private var index: [String: Int]?
    private static let indexThreshold = 12

    public init() {}

    /// Later duplicates replace the value but keep the first key's position.
    public init(_ pairs: some Sequence<(String, Value)>) {
        for (key, value) in pairs { self[key] = value }
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return keys.firstIndex(of: key)
    }

    public subscript(key: String) -> Value? {
        get { position(of: key).map { values[$0] } }
        set {
            if let newValue {
                if let i = position(of: key) {
                    values[i] = newValue
                } else {
                    keys.append(key)
                    values.append(newValue)
                    if index != nil {
                        index?[key] = keys.count - 1
                    } else if keys.count > Self.indexThreshold {
                        index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
                    }
                }
            } else if let i = position(of: key) {
                keys.remove(at: i)
                values.remove(at: i)
                if index != nil { index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) }) }
            }
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// The pairs in key order.
    public var pairs: [(key: String, value: Value)] {
        Array(zip(keys, values))
    }

    /// `other`'s values win; keys new to `self` are appended in `other`'s order.
    public func merging(_ other: OrderedMap) -> OrderedMap {
        var result = self
        for (key, value) in zip(other.keys, other.values) { result[key] = value }
        return result
    }

    public static func == (lhs: OrderedMap, rhs: OrderedMap) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        hasher.combine(values)
    }
}

extension OrderedMap: Sequence {
    public func makeIterator() -> some IteratorProtocol<(key: String, value: Value)> {
        zip(keys, values).lazy.map { (key: $0, value: $1) }.makeIterator()
    }
}

extension OrderedMap: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Value)...) { self.init(elements) }
}
