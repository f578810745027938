/// A map met in a lookup, held without a reference count: valid while whoever holds the
/// map (the context stack, a map further out) keeps it. Walking frames with these costs no
/// retain or release.
struct MapRef {
    private let storage: Unmanaged<OrderedMap.Storage>

    /// Nil when `value` is not a map.
    @inline(__always)
    init?(_ value: Value) {
        guard case .map(let map) = value else { return nil }
        storage = .passUnretained(map.storage)
    }

    @inline(__always)
    func position(of key: String, hint: UnsafeMutablePointer<Int>) -> Int? {
        storage._withUnsafeGuaranteedRef { $0.position(of: key, hint: hint) }
    }

    /// The value at `position`, or nil past the end.
    @inline(__always)
    func value(at position: Int) -> Value? {
        storage._withUnsafeGuaranteedRef { $0.values.indices.contains(position) ? $0.values[position] : nil }
    }

    /// The map at `position`, when the value there is one (a dotted name's next step).
    @inline(__always)
    func map(at position: Int) -> MapRef? {
        storage._withUnsafeGuaranteedRef { storage in
            guard storage.values.indices.contains(position) else { return nil }
            return storage.values.withUnsafeBufferPointer { MapRef($0[position]) }
        }
    }

    /// Whether the map `ref` has `keys` (nil: no map, or one with no keys; see `Value.mapKeys`).
    @inline(__always)
    static func keys(of ref: MapRef?, equal keys: [String]?) -> Bool {
        guard let ref else { return keys == nil }
        return ref.storage._withUnsafeGuaranteedRef { storage in
            guard let keys else { return storage.keys.isEmpty }
            return storage.keys == keys
        }
    }

    /// Whether `ref` is `value`'s map (nil for a value that is not one): for invariant checks.
    static func refersTo(_ ref: MapRef?, _ value: Value) -> Bool {
        guard case .map(let map) = value else { return ref == nil }
        return ref?.storage.takeUnretainedValue() === map.storage
    }
}

/// The context stack's maps, frame by frame (nil for a frame that is not a map), kept beside
/// the stack for lookups: pushed and popped per section pass without an array's checks.
struct MapRefs: ~Copyable {
    private var base: UnsafeMutablePointer<MapRef?>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 8)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func append(_ ref: MapRef?) {
        if count == capacity {
            let newBase = UnsafeMutablePointer<MapRef?>.allocate(capacity: capacity * 2)
            newBase.initialize(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity *= 2
        }
        (base + count).initialize(to: ref)
        count += 1
    }

    @inline(__always)
    mutating func removeLast() {
        if count > 0 { count -= 1 }
    }

    /// Keeps the first `n`.
    mutating func truncate(to n: Int) {
        count = min(max(n, 0), count)
    }

    @inline(__always)
    subscript(index: Int) -> MapRef? {
        get { base[index] }
        set { base[index] = newValue }
    }

    /// The refs, valid until the next append.
    @inline(__always)
    var buffer: UnsafeBufferPointer<MapRef?> { UnsafeBufferPointer(start: base, count: count) }
}
