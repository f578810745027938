/// For each name tag of the templates being run, where its name was found last time.
///
/// Per segment of the name, the position of the key in its map: `Renderer.find` tries it
/// first, and in the maps of one list or one CSV file it is right every time. Per tag, also
/// where in the caller's frames the first segment was found (`Entry`): while those frames
/// keep the same keys (the renderer's shape epoch), that answer stands and no key is compared.
/// A partial's tags get slots above its caller's.
struct LookupHints: ~Copyable {
    struct Entry {
        /// The shape epoch the answer belongs to; 0 is never one.
        var epoch: Int
        /// The frame (index into the stack), or -1 when no caller's frame has the name.
        var frame: Int
        /// The key's position in that frame.
        var position: Int
    }

    // One allocation holds both: `capacity` hints, then `capacity` entries.
    private var memory: UnsafeMutableRawPointer
    private var base: UnsafeMutablePointer<Int>
    private var entries: UnsafeMutablePointer<Entry>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        (memory, base, entries) = Self.allocate(self.capacity)
    }

    deinit { memory.deallocate() }

    private static func allocate(_ capacity: Int) -> (UnsafeMutableRawPointer, UnsafeMutablePointer<Int>, UnsafeMutablePointer<Entry>) {
        let entryOffset = capacity * MemoryLayout<Int>.stride
        let memory = UnsafeMutableRawPointer.allocate(byteCount: entryOffset + capacity * MemoryLayout<Entry>.stride,
                                                      alignment: max(MemoryLayout<Int>.alignment, MemoryLayout<Entry>.alignment))
        return (memory, memory.bindMemory(to: Int.self, capacity: capacity),
                (memory + entryOffset).bindMemory(to: Entry.self, capacity: capacity))
    }

    /// Adds `n` slots (hinting position 0, no answer) and returns the first one's number.
    mutating func push(_ n: Int) -> Int {
        if capacity - count < n {
            var newCapacity = capacity * 2
            while newCapacity - count < n { newCapacity *= 2 }
            let (newMemory, newBase, newEntries) = Self.allocate(newCapacity)
            newBase.initialize(from: base, count: count)
            newEntries.initialize(from: entries, count: count)
            memory.deallocate()
            (memory, base, entries) = (newMemory, newBase, newEntries)
            capacity = newCapacity
        }
        (base + count).initialize(repeating: 0, count: n)
        (entries + count).initialize(repeating: Entry(epoch: 0, frame: -1, position: 0), count: n)
        count += n
        return count - n
    }

    /// Drops the slots from `start` on.
    mutating func truncate(to start: Int) {
        count = min(max(start, 0), count)
    }

    /// Drops the last `n` slots.
    mutating func pop(_ n: Int) {
        count -= min(n, count)
    }

    /// Slot `slot`'s per-segment hints, valid until the next `push`.
    @inline(__always)
    func slot(_ slot: Int) -> UnsafeMutablePointer<Int> { base + slot }

    /// Slot `slot`'s answer, valid until the next `push`.
    @inline(__always)
    func entry(_ slot: Int) -> UnsafeMutablePointer<Entry> { entries + slot }
}
