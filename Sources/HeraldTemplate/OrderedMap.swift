/// A string-keyed map that keeps keys in insertion order (job files promise "key order as written").
///
/// Template contexts are mostly small maps looked up many times per message, so up to
/// `indexThreshold` keys are found by a linear scan; larger maps keep a hash index.
public struct OrderedMap: Sendable, Hashable {
    // One reference, copied on write: a map inside a Value costs one retain to pass around.
    var storage: Storage
    private static let indexThreshold = 12

    public init() { storage = Storage() }

    /// Later duplicates replace the value but keep the first key's position.
    public init(_ pairs: some Sequence<(String, Value)>) {
        storage = Storage()
        for (key, value) in pairs { self[key] = value }
    }

    /// Pairs `keys` (which must be distinct) with `values`, sharing the keys array: CSV rows
    /// all use their header's. Mismatched counts fall back to pairing one by one.
    public init(distinctKeys keys: [String], values: [Value]) {
        let storage = Storage()
        if keys.count == values.count {
            storage.keys = keys
            storage.values = values
            if keys.count > Self.indexThreshold {
                storage.index = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            }
        } else {
            for (key, value) in zip(keys, values) { storage.set(key, value, indexThreshold: Self.indexThreshold) }
        }
        self.storage = storage
    }

    public var keys: [String] { storage.keys }

    public subscript(key: String) -> Value? {
        get { storage.position(of: key).map { storage.values[$0] } }
        set {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            storage.set(key, newValue, indexThreshold: Self.indexThreshold)
        }
    }

    /// Sets the value at `position` (< `count`), keys as they are.
    mutating func replaceValue(at position: Int, with value: Value) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        storage.values[position] = value
    }

    public var count: Int { storage.keys.count }
    public var isEmpty: Bool { storage.keys.isEmpty }

    /// The pairs in key order.
    public var pairs: [(key: String, value: Value)] {
        Array(zip(storage.keys, storage.values))
    }

    /// Visits the pairs in key order without building an array of them.
    public func forEachPair(_ body: (String, Value) throws -> Void) rethrows {
        let keys = storage.keys, values = storage.values
        // Through the buffers: each pair is lent to `body`, not copied for it.
        try keys.withUnsafeBufferPointer { keys in
            try values.withUnsafeBufferPointer { values in
                for i in 0..<Swift.min(keys.count, values.count) { try body(keys[i], values[i]) }
            }
        }
    }

    /// `other`'s values win; keys new to `self` are appended in `other`'s order.
    public func merging(_ other: OrderedMap) -> OrderedMap {
        var result = self
        for (key, value) in zip(other.storage.keys, other.storage.values) { result[key] = value }
        return result
    }

    public static func == (lhs: OrderedMap, rhs: OrderedMap) -> Bool {
        lhs.storage === rhs.storage || (lhs.storage.keys == rhs.storage.keys && lhs.storage.values == rhs.storage.values)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.keys)
        hasher.combine(storage.values)
    }

    fileprivate var values: [Value] { storage.values }
}

extension Value {
    /// The value for `key` when this is a map: the lookup every tag makes, so it does not
    /// retain the map on the way (`self` holds it throughout). `hint`: see `Storage.value`.
    @inline(__always)
    func mapValue(forKey key: String, hint: UnsafeMutablePointer<Int>) -> Value? {
        guard case .map(let map) = self else { return nil }
        return Unmanaged.passUnretained(map.storage)._withUnsafeGuaranteedRef { $0.value(forKey: key, hint: hint) }
    }
}

extension Value {
    /// The map's keys, which maps of one CSV file or one scope share (one array, so comparing
    /// them is one compare): two maps with equal keys find every key at the same position.
    /// Nil when this is not a map or has no keys.
    var mapKeys: [String]? {
        guard case .map(let map) = self, !map.storage.keys.isEmpty else { return nil }
        return map.storage.keys
    }
}

extension OrderedMap {
    /// Mutated only while uniquely referenced (copy on write), so sharing it across threads is safe.
    final class Storage: @unchecked Sendable {
        // Read on every lookup; the dynamic exclusivity check cost more than the lookup itself.
        // Safe unchecked: written only through `OrderedMap`'s mutators, on a uniquely held copy.
        @exclusivity(unchecked) var keys: [String] = []
        @exclusivity(unchecked) var values: [Value] = []
        @exclusivity(unchecked) var index: [String: Int]?

        init() {}

        func copy() -> Storage {
            let s = Storage()
            s.keys = keys
            s.values = values
            s.index = index
            return s
        }

        /// The value for `key`, trying position `hint` first and leaving there where the key
        /// was found: maps from one list or one CSV file put their keys at the same positions,
        /// so a template's tag finds its key on the first compare.
        @inline(__always)
        func value(forKey key: String, hint: UnsafeMutablePointer<Int>) -> Value? {
            position(of: key, hint: hint).map { values[$0] }
        }

        @inline(__always)
        func position(of key: String, hint: UnsafeMutablePointer<Int>) -> Int? {
            let guess = hint.pointee
            if guess < keys.count, keys[guess] == key { return guess }
            guard let position = position(of: key) else { return nil }
            hint.pointee = position
            return position
        }

        func position(of key: String) -> Int? {
            if let index { return index[key] }
            return keys.firstIndex(of: key)
        }

        func set(_ key: String, _ newValue: Value?, indexThreshold: Int) {
            if let newValue {
                if let i = position(of: key) {
                    values[i] = newValue
                } else {
                    keys.append(key)
                    values.append(newValue)
                    if index != nil {
                        index?[key] = keys.count - 1
                    } else if keys.count > indexThreshold {
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
}

extension OrderedMap: Sequence {
    public func makeIterator() -> some IteratorProtocol<(key: String, value: Value)> {
        zip(keys, values).lazy.map { (key: $0, value: $1) }.makeIterator()
    }
}

extension OrderedMap: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Value)...) { self.init(elements) }
}
