/// A frame of the context stack a `TemplateRenderer` was last given, named when it was put
/// there (`ContextStack.append`): the caller changes that frame through it, not by counting
/// frames. It names a frame of that one stack only; once the stack is set again, it names none.
public struct ContextFrame: Hashable, Sendable {
    // 32 bits each: callers keep a few of these per message in their own state, copied per
    // message, and two words' worth made that measurably dearer than one.
    /// The frame's place in its stack.
    let index: UInt32
    /// Which stack (`RenderFrames.stackID`); 0 for a stack no renderer holds.
    let stack: UInt32
}

/// A context stack being built, outermost frame first (later frames win on lookup).
public struct ContextStack {
    public private(set) var frames: [Value]
    /// The `ContextFrame.stack` its frames get.
    let id: UInt32

    /// A stack of its own, for `Template.render`; its frames name no renderer's.
    public init() {
        frames = []
        id = 0
    }

    /// A renderer's next stack, in the memory of its previous one (`frames` empty).
    init(reusing frames: [Value], id: UInt32) {
        self.frames = frames
        self.id = id
    }

    public mutating func reserveCapacity(_ n: Int) { frames.reserveCapacity(n) }

    /// Puts `frame` innermost; the handle changes it later (`TemplateRenderer.replace`).
    @discardableResult
    public mutating func append(_ frame: Value) -> ContextFrame {
        frames.append(frame)
        return ContextFrame(index: UInt32(truncatingIfNeeded: frames.count - 1), stack: id)
    }
}
