/// A growing run of bytes written through a pointer (an array would have to be initialised
/// before it is written).
// @unchecked: one thread writes it (a slice's messages) and hands it whole to the one that
// consumes it; no two threads touch it at once.
final class ByteArena: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    var count = 0

    init(capacity: Int = 1 << 16) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    func append(atMost bound: Int, _ write: (UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>) {
        if count + bound > capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(count + bound, 2 * capacity))
            grown.update(from: base, count: count)
            base.deallocate()
            base = grown
            capacity = max(count + bound, 2 * capacity)
        }
        count = write(base + count) - base
    }
}
