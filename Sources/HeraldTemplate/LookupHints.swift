/// For each name tag of the templates being run, where its first segment was found last
/// time: `Lookup.find` tries that position first, and in the maps of one list or one CSV
/// file it is right every time. A partial's tags get slots above its caller's.
struct LookupHints: ~Copyable {
    private var base: UnsafeMutablePointer<Int>
    private var capacity: Int
    private var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Adds `n` slots (hinting position 0) and returns the first one's number.
    mutating func push(_ n: Int) -> Int {
        if capacity - count < n {
            var newCapacity = capacity * 2
            while newCapacity - count < n { newCapacity *= 2 }
            let newBase = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
            newBase.update(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }
        (base + count).initialize(repeating: 0, count: n)
        count += n
        return count - n
    }

    /// Drops the last `n` slots.
    mutating func pop(_ n: Int) {
        count -= min(n, count)
    }

    /// Slot `slot`, valid until the next `push`.
    @inline(__always)
    func slot(_ slot: Int) -> UnsafeMutablePointer<Int> { base + slot }
}
