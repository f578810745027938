/// The context stack a render reads: the caller's frames (below `baseDepth`, set between
/// renders), then the frames sections push. `refs` holds each frame's map beside it, so a
/// lookup walks maps without a retain or release.
struct RenderFrames: ~Copyable {
    var values: [Value]
    var refs: MapRefs
    /// How many of `values` are the caller's.
    var baseDepth: Int
    /// Which stack the caller's frames are (`ContextFrame.stack`): changed by each `setStack`
    /// (`nextStack`), never 0, which names no renderer's stack.
    private(set) var stackID: UInt32 = 0

    /// Frames pushed before a reallocation: a few nested sections are then a store each.
    private static let pushRoom = 8

    init(_ frames: [Value]) {
        var frames = frames
        frames.reserveCapacity(frames.count + Self.pushRoom)
        values = frames
        refs = MapRefs(capacity: frames.count + Self.pushRoom)
        baseDepth = frames.count
        for frame in frames { refs.append(MapRef(frame)) }
    }

    /// The id of the stack about to be set; after 2³² - 1 stacks ids come round again, so a
    /// handle kept that long could name a frame of a later stack (no caller keeps one so long).
    mutating func nextStack() -> UInt32 {
        stackID = stackID == .max ? 1 : stackID + 1
        return stackID
    }

    /// `values` was filled anew with the caller's frames.
    mutating func callerFramesSet() {
        baseDepth = values.count
        refs.truncate(to: 0)
        for frame in values { refs.append(MapRef(frame)) }
    }

    /// The caller's frame `index` is now `frame`.
    mutating func set(_ index: Int, to frame: Value) {
        values[index] = frame
        refs[index] = MapRef(frame)
    }

    /// Whether `frame` names one of the caller's frames of the stack held now.
    func holds(_ frame: ContextFrame) -> Bool {
        frame.stack == stackID && Int(frame.index) < baseDepth
    }

    @inline(__always)
    mutating func push(_ frame: Value) {
        values.append(frame)
        refs.append(MapRef(frame))
    }

    @inline(__always)
    mutating func pop() {
        values.removeLast()
        refs.removeLast()
    }

    /// Back to the caller's frames (after a render, even one that failed half-way).
    mutating func popToCallerFrames() {
        if values.count > baseDepth {
            values.removeSubrange(baseDepth...)
            refs.truncate(to: baseDepth)
        }
    }

    /// Debug builds: every ref is its frame's map, and the caller's frames are all there.
    func checkInvariants() {
        #if DEBUG
        assert(refs.count == values.count, "a frame without its ref")
        assert(baseDepth <= values.count, "a caller's frame popped")
        for i in 0..<values.count {
            assert(MapRef.refersTo(refs[i], values[i]), "frame \(i)'s ref is not its map")
        }
        #endif
    }
}
