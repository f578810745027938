/// Runs a template's steps against a context stack, writing UTF-8 into one buffer. Values
/// print straight into it (numbers included), so a message costs no String per tag. One
/// renderer may run many templates (`TemplateRenderer`): its buffers are kept between them.
///
/// The run loop is in Renderer+Run.swift, name lookup in Renderer+Lookup.swift, section
/// replay in SectionReplay.swift. What it keeps between renders is in `lookups` and
/// `replay`, each saying what makes it stale; `checkInvariants` checks both in debug builds
/// wherever the caller's frames change and after each render.
struct Renderer: ~Copyable {
    let partials: (any PartialResolver)?
    let options: RenderOptions
    var frames: RenderFrames
    var out: OutputBuffer
    var counters = RenderCounters()
    var lookups = KeptLookups()
    var replay = SectionReplay()

    init(stack: [Value], partials: (any PartialResolver)?, options: RenderOptions, expectedBytes: Int) {
        frames = RenderFrames(stack)
        self.partials = partials
        self.options = options
        out = OutputBuffer(capacity: expectedBytes)
        // The frames' keys are not recorded: a render of its own (`Template.render`) never
        // changes its frames, and a `TemplateRenderer` starts with none.
        replay.callerFramesSet(count: frames.baseDepth)
    }

    // MARK: The caller's frames

    /// The caller's frames were replaced (`frames.values` filled anew).
    mutating func callerFramesSet() {
        frames.callerFramesSet()
        lookups.callerFramesSet(frames)
        replay.callerFramesSet(count: frames.baseDepth)
        checkInvariants()
    }

    /// Replaces the caller's frame `frame` (one `frames.holds`).
    mutating func replace(_ frame: ContextFrame, with value: Value) {
        let index = Int(frame.index)
        frames.set(index, to: value)
        lookups.callerFrameSet(index, frames)
        replay.callerFrameSet(index)
        checkInvariants()
    }

    /// Sets `key` of the caller's frame `frame` (a map that has it) to `value`. The stack lets
    /// go of the frame first, so that a frame only it holds is changed in place; its keys, and
    /// so every kept lookup, stay.
    mutating func replaceValue(forKey key: String, in frame: ContextFrame, with value: Value) -> Bool {
        let index = Int(frame.index)
        guard case .map(var map) = frames.values[index], let position = map.storage.position(of: key) else { return false }
        frames.values[index] = .null
        map.replaceValue(at: position, with: value)
        frames.set(index, to: .map(map))
        replay.callerFrameSet(index)
        checkInvariants()
        return true
    }

    // MARK: Renders

    /// The value of a template that is one tag and nothing else (`{{row.team}}`), when it is
    /// a string printed as it is: what rendering it would give, without a buffer. Nil when
    /// the template is not such a tag or the general path must decide.
    mutating func soleString(_ template: Template) -> String? {
        guard let variable = template.program.soleVariable, template.mode == .herald || variable.raw else { return nil }
        lookups.startRender()
        let slot = lookups.keptSlot(for: template.program)
        guard case .string(let s)? = find(variable.name, slot: slot), s.utf8.count <= options.maxOutputBytes else { return nil }
        return s
    }

    /// Runs the whole of `template` as a render of its own: the output starts empty, and the
    /// stack is the caller's frames again afterwards, even when the render fails.
    mutating func renderAlone(_ template: Template) throws(TemplateError) {
        out.removeAll()
        counters = RenderCounters()
        replay.reads = .none
        lookups.startRender()
        defer {
            frames.popToCallerFrames()
            checkInvariants()
        }
        lookups.base = lookups.keptSlot(for: template.program)
        try run(template, from: 0, to: template.program.steps.count)
    }

    /// Runs the whole of `template` (the one rendered, or a partial) in slots of its own
    /// above its caller's.
    mutating func render(_ template: Template) throws(TemplateError) {
        let slots = template.program.hintSlots
        let outerBase = lookups.base
        lookups.base = lookups.hints.push(slots)
        try run(template, from: 0, to: template.program.steps.count)
        lookups.hints.pop(slots)
        lookups.base = outerBase
    }

    /// Debug builds: the frames, the kept lookups and the memos agree with each other.
    func checkInvariants() {
        #if DEBUG
        frames.checkInvariants()
        lookups.checkInvariants(frames)
        replay.checkInvariants(baseDepth: frames.baseDepth, epoch: lookups.epoch)
        #endif
    }
}

/// What one render has done so far, for its limits (`RenderOptions`).
struct RenderCounters {
    var partialDepth = 0
    /// Sections open in the templates that called the partial being run (inverted ones too).
    var sectionsAroundPartial = 0
    var sectionPasses = 0
}
