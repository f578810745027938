/// Renders many templates, one after another on one thread, keeping its buffers (output,
/// lookup hints, context stack) between renders: a render then allocates nothing but what
/// it returns. Each render gives exactly what `Template.render` gives for the same stack.
///
/// The stack is set with `setStack`, whose `ContextStack.append` names each frame it puts
/// there; `replace` changes such a frame for the next render (a message's row, its recipient).
public final class TemplateRenderer {
    // Unchecked: a class's stored property is checked for exclusive access at run time on
    // each access, and a render is one long access; the renderer is never shared between
    // threads and never reentered (partials recurse inside `Renderer`, not through here).
    @exclusivity(unchecked) private var state: Renderer

    public init(partials: (any PartialResolver)? = nil, options: RenderOptions = RenderOptions()) {
        state = Renderer(stack: [], partials: partials, options: options, expectedBytes: 4096)
    }

    /// Sets the context stack (outermost first) the following renders read: `fill` builds it
    /// from empty, in the previous stack's memory. Frames named by an earlier stack name none
    /// of this one.
    @discardableResult
    public func setStack<R>(_ fill: (inout ContextStack) -> R) -> R {
        var values: [Value] = []
        swap(&values, &state.frames.values)
        // removeAll(keepingCapacity:) goes through a generic replaceSubrange; a few
        // removeLast() are far cheaper.
        while !values.isEmpty { values.removeLast() }
        var stack = ContextStack(reusing: values, id: state.frames.nextStack())
        let result = fill(&stack)
        state.frames.values = stack.frames
        state.callerFramesSet()
        return result
    }

    /// Replaces `frame` (put on the stack set last) with `value`: the frames that change from
    /// one message to the next, such as the row's. False, changing nothing, when `frame` is
    /// not one of that stack's.
    @discardableResult
    public func replace(_ frame: ContextFrame, with value: Value) -> Bool {
        guard state.frames.holds(frame) else { return false }
        state.replace(frame, with: value)
        return true
    }

    /// Sets `key` of the map `frame` to `value` (a row's frame, `{row: …}`, from one row to the
    /// next): in place, with no allocation, when nothing else holds that map. False, changing
    /// nothing, when `frame` is not one of the stack set last or has no such key.
    @discardableResult
    public func replaceValue(forKey key: String, in frame: ContextFrame, with value: Value) -> Bool {
        guard state.frames.holds(frame) else { return false }
        return state.replaceValue(forKey: key, in: frame, with: value)
    }

    /// The rendered text.
    public func render(_ template: Template) throws(TemplateError) -> String {
        if let constant = template.constantText { return constant }
        if template.program.soleVariable != nil, let sole = state.soleString(template) { return sole }
        try state.renderAlone(template)
        return state.out.makeString()
    }

    /// Renders and hands the output's UTF-8 to `body`; the bytes are valid only during the call.
    public func render<R>(_ template: Template, _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(TemplateError) -> R {
        try state.renderAlone(template)
        return body(state.out.bytes)
    }
}
