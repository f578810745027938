/// A render's output: UTF-8 bytes in one growing allocation, turned into a String once at
/// the end. Only whole UTF-8 sequences go in (see `makeString`). Appends only check
/// capacity: an Array re-checks uniqueness and goes through generic code on every append,
/// and a render appends once per tag and text run.
struct OutputBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    private mutating func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        if capacity - count < extra { grow(extra) }
        return base + count
    }

    private mutating func grow(_ extra: Int) {
        let needed = count + extra
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Room for `n` more bytes, to be written through the pointer and then counted with `didWrite`.
    @inline(__always)
    mutating func writable(_ n: Int) -> UnsafeMutablePointer<UInt8> { reserve(n) }

    /// Counts `n` bytes written through `writable(_:)`'s pointer.
    @inline(__always)
    mutating func didWrite(_ n: Int) { count += n }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1).initialize(to: byte)
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ string: String) {
        // Native and small strings are contiguous; the fallback copies only for bridged ones.
        if string.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            var string = string
            string.withUTF8 { append($0) }
        }
    }

    /// `text` with `&`, `<`, `>` and `"` as entities: spec mode's escaping (all four are
    /// ASCII, so working on bytes changes nothing else).
    mutating func appendHTMLEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for i in bytes.indices {
            let entity: StaticString
            switch bytes[i] {
            case UInt8(ascii: "&"): entity = "&amp;"
            case UInt8(ascii: "<"): entity = "&lt;"
            case UInt8(ascii: ">"): entity = "&gt;"
            case UInt8(ascii: "\""): entity = "&quot;"
            default: continue
            }
            append(UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
            append(UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
            runStart = i + 1
        }
        append(UnsafeBufferPointer(rebasing: bytes[runStart...]))
    }

    mutating func appendHTMLEscaped(_ string: String) {
        if string.utf8.withContiguousStorageIfAvailable({ appendHTMLEscaped($0) }) == nil {
            var string = string
            string.withUTF8 { appendHTMLEscaped($0) }
        }
    }

    /// Decimal digits of `value`, with a leading `-` when negative (the JSON writer's digits).
    mutating func append(_ value: Int) {
        let length = JSONWriter.decimalLength(value)
        _ = JSONWriter.writeDecimal(value, to: reserve(length))
        count += length
    }

    /// `units` / 10^`places` in decimal with exactly `places` decimals (`314`, 2 → `3.14`;
    /// `5`, 2 → `0.05`), after a `-` when `negative`.
    mutating func appendFixedPoint(_ units: UInt64, places: Int, negative: Bool) {
        var digits = 1
        var limit: UInt64 = 10
        while digits < 20, units >= limit {
            digits += 1
            limit &*= 10
        }
        digits = max(digits, places + 1)
        let length = digits + (places > 0 ? 1 : 0) + (negative ? 1 : 0)
        let slot = reserve(length)
        var at = length
        var rest = units
        for k in 0..<digits {
            if k == places, places > 0 {
                at -= 1
                slot[at] = UInt8(ascii: ".")
            }
            at -= 1
            slot[at] = UInt8(truncatingIfNeeded: rest % 10) &+ 0x30
            rest /= 10
        }
        if negative { slot[0] = UInt8(ascii: "-") }
        count += length
    }

    /// Empties the buffer, keeping its memory.
    mutating func removeAll() { count = 0 }

    /// The bytes written so far, valid until the next append.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Takes back the last `n` bytes.
    mutating func removeLast(_ n: Int) {
        count -= min(max(n, 0), count)
    }

    /// The bytes as text. Every append copies whole valid UTF-8 (a String's bytes, a template's
    /// text run, ASCII), so the buffer is valid UTF-8 and the String is made without checking
    /// it again (checking went byte by byte once any byte was not ASCII).
    func makeString() -> String {
        let bytes = UnsafeBufferPointer(start: base, count: count)
        #if compiler(>=6.2)
        if #available(macOS 26.0, iOS 26.0, tvOS 26.0, watchOS 26.0, visionOS 26.0, *) {
            assert(String(validating: bytes, as: UTF8.self) != nil, "render output is not UTF-8")
            return String(copying: UTF8Span(unchecked: bytes.span))
        }
        #endif
        return String(decoding: bytes, as: UTF8.self)
    }
}
