import Foundation

/// Runs a template's steps against a context stack, writing UTF-8 into one buffer. Values
/// print straight into it (numbers included), so a message costs no String per tag. One
/// renderer may run many templates (`TemplateRenderer`): its buffers are kept between them.
struct Renderer: ~Copyable {
    let partials: (any PartialResolver)?
    let options: RenderOptions
    var stack: [Value]
    var out: OutputBuffer
    var partialDepth = 0
    /// Sections open in the templates that called the partial being run (inverted ones too).
    var sectionsAroundPartial = 0
    var sectionPasses = 0
    var hints: LookupHints
    /// The first hint slot of the template being run.
    var hintBase = 0
    /// The caller's frames; sections push above them.
    var baseDepth = 0
    /// Changes whenever the caller's frames stop having the keys they had (see `LookupHints`);
    /// never 0, which marks a slot with no answer.
    var epoch = 1
    /// Each caller's frame's keys (their array's identity), and the arrays themselves: kept,
    /// so that no other array can take an identity's place while it is compared with.
    var shapes: [UnsafeRawPointer?] = []
    var shapeKeys: [[String]] = []
    /// `stack`'s maps, frame by frame (nil for a frame that is not a map), for lookups.
    var refs = MapRefs(capacity: 16)
    /// Templates run alone by this renderer and their slots: their hints and answers are kept
    /// from one render to the next (the slots below `keptSlots`).
    var kept: [(program: Program, slot: Int)] = []
    var keptSlots = 0

    // Sections whose output depends only on frames that stay from one message to the next
    // (a list in the job's vars) are run once and their bytes replayed (`SectionMemo`).
    /// Bumped whenever a caller's frame is set; `frameStamps[i]` is its value when frame i was.
    var generation = 0
    var frameStamps: [Int] = []
    /// The caller's frames read since the innermost section began (bit i: frame i; all bits:
    /// cannot tell), and the lowest frame pushed by sections that was read.
    var readMask: UInt64 = 0
    var lowestPushedRead = Int.max
    var memos: [SectionMemo] = []

    init(stack: [Value], partials: (any PartialResolver)?, options: RenderOptions, expectedBytes: Int) {
        var stack = stack
        // Room for a few sections up front: pushing is then a store, not a reallocation.
        stack.reserveCapacity(stack.count + 8)
        self.stack = stack
        self.partials = partials
        self.options = options
        out = OutputBuffer(capacity: expectedBytes)
        hints = LookupHints(capacity: 64)
        // The frames stay as they are for this renderer's life unless `stackChanged` is
        // called (a `TemplateRenderer`'s), which records their keys then.
        baseDepth = stack.count
        for frame in stack { refs.append(MapRef(frame)) }
        stampAllFrames()
    }

    /// Every caller's frame is new: no memo made before holds.
    private mutating func stampAllFrames() {
        generation += 1
        frameStamps.removeAll(keepingCapacity: true)
        for _ in 0..<stack.count { frameStamps.append(generation) }
    }

    /// Call when the caller's frames were replaced: a new epoch unless every frame has the
    /// same keys array as before (a new row of the same CSV, say).
    mutating func stackChanged() {
        baseDepth = stack.count
        refs.truncate(to: 0)
        for frame in stack { refs.append(MapRef(frame)) }
        stampAllFrames()
        if shapes.count == stack.count {
            var same = true
            for i in 0..<stack.count where shapes[i] != refs[i]?.keysIdentity {
                same = false
                break
            }
            if same { return }
        }
        epoch += 1
        shapes.removeAll(keepingCapacity: true)
        shapeKeys.removeAll(keepingCapacity: true)
        for (i, frame) in stack.enumerated() {
            shapes.append(refs[i]?.keysIdentity)
            if let keys = frame.mapKeys { shapeKeys.append(keys) }
        }
    }

    /// Replaces the caller's frame `index` (< `baseDepth`); the epoch changes only when its
    /// keys are not the ones the frame had.
    mutating func replaceFrame(at index: Int, with frame: Value) {
        stack[index] = frame
        let ref = MapRef(frame)
        refs[index] = ref
        generation += 1
        frameStamps[index] = generation
        let identity = ref?.keysIdentity
        guard shapes[index] != identity else { return }
        epoch += 1
        shapes[index] = identity
        if shapeKeys.count > 2 * stack.count + 8 {
            // Only the frames' own keys need keeping now: start over from them.
            shapeKeys.removeAll(keepingCapacity: true)
            for frame in stack { if let keys = frame.mapKeys { shapeKeys.append(keys) } }
        } else if let keys = frame.mapKeys {
            shapeKeys.append(keys)
        }
    }

    /// Sets `key` of the caller's frame `index` (a map that has it) to `value`. The stack lets
    /// go of the frame first, so that a frame only it holds is changed in place; its keys, and
    /// so every kept lookup, stay.
    mutating func replaceValue(inFrameAt index: Int, key: String, with value: Value) -> Bool {
        guard case .map(var map) = stack[index], let position = map.storage.position(of: key) else { return false }
        stack[index] = .null
        map.replaceValue(at: position, with: value)
        stack[index] = .map(map)
        refs[index] = MapRef(stack[index])
        generation += 1
        frameStamps[index] = generation
        return true
    }

    /// `soleString`, with this renderer's kept lookups.
    mutating func keptSoleString(_ template: Template) -> String? {
        guard let variable = template.program.soleVariable, template.mode == .herald || variable.raw else { return nil }
        hints.truncate(to: keptSlots)
        let slot = keptSlot(for: template.program)
        guard case .string(let s)? = find(variable.name, slot: slot), s.utf8.count <= options.maxOutputBytes else { return nil }
        return s
    }

    /// Runs the whole of `template` as a render of its own: the output starts empty, and the
    /// stack is the caller's frames again afterwards, even when the render fails.
    mutating func renderAlone(_ template: Template) throws(TemplateError) {
        out.removeAll()
        partialDepth = 0
        sectionsAroundPartial = 0
        sectionPasses = 0
        readMask = 0
        lowestPushedRead = .max
        hints.truncate(to: keptSlots)
        defer {
            if stack.count > baseDepth {
                stack.removeSubrange(baseDepth...)
                refs.truncate(to: baseDepth)
            }
        }
        hintBase = keptSlot(for: template.program)
        try run(template, from: 0, to: template.program.steps.count)
    }

    /// The first of the slots kept for `program`, made on its first render here. A renderer
    /// runs a few templates over and over; should it run many, it starts over.
    private mutating func keptSlot(for program: Program) -> Int {
        for k in kept where k.program === program { return k.slot }
        if kept.count == 16 {
            kept.removeAll(keepingCapacity: true)
            hints.truncate(to: 0)
        }
        let slot = hints.push(program.hintSlots)
        kept.append((program, slot))
        keptSlots = hints.count
        return slot
    }

    /// The value of a template that is one tag and nothing else (`{{row.team}}`), when it is
    /// a string printed as it is: what rendering it would give, without a buffer. Nil when
    /// the template is not such a tag or the general path must decide.
    static func soleString(_ template: Template, stack: [Value], options: RenderOptions) -> String? {
        guard let variable = template.program.soleVariable, template.mode == .herald || variable.raw else { return nil }
        let found = withUnsafeTemporaryAllocation(of: Int.self, capacity: max(1, template.program.hintSlots)) { hints -> Value? in
            guard let first = hints.baseAddress else { return nil }
            first.initialize(repeating: 0, count: hints.count)
            return Lookup.find(variable.name, in: stack, hints: first)
        }
        guard case .string(let s)? = found, s.utf8.count <= options.maxOutputBytes else { return nil }
        return s
    }

    /// Runs the whole of `template`.
    mutating func render(_ template: Template) throws(TemplateError) {
        let slots = template.program.hintSlots
        let outerBase = hintBase
        hintBase = hints.push(slots)
        try run(template, from: 0, to: template.program.steps.count)
        hints.pop(slots)
        hintBase = outerBase
    }

    /// Runs steps `start..<end`; a section runs its body (the steps up to its `end`) once per pass.
    private mutating func run(_ template: Template, from start: Int, to end: Int) throws(TemplateError) {
        var pc = start
        while pc < end {
            switch template.program.steps[pc] {
            case .text(let from, let to):
                template.program.text.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(rebasing: $0[from..<to])) }
                pc += 1
                try checkSize(at: TextPosition(line: 1, column: 1), in: template)
            case .variable(let index, let hint):
                let failure = template.program.withVariable(index) { variable -> TemplateError? in
                    do throws(TemplateError) {
                        try write(variable, hint: hintBase + hint, in: template)
                        try checkSize(at: variable.position, in: template)
                        return nil
                    } catch {
                        return error
                    }
                }
                if let failure { throw failure }
                pc += 1
            case .section(let index, let bodyEnd, let hint):
                let section = template.program.sections[index]
                try runRemembered(section, hint: hintBase + hint, body: pc + 1, to: bodyEnd, in: template)
                pc = bodyEnd
                try checkSize(at: section.position, in: template)
            case .partial(let index):
                let call = template.program.partials[index]
                try run(call, in: template)
                pc += 1
                try checkSize(at: call.position, in: template)
            }
        }
    }

    @inline(__always)
    private func checkSize(at position: TextPosition, in template: Template) throws(TemplateError) {
        if out.count > options.maxOutputBytes {
            throw template.error(at: position, "rendered output exceeds \(options.maxOutputBytes) bytes; refusing to go on")
        }
    }

    // MARK: Names

    /// What `Lookup.find` gives, faster: frames pushed by sections are searched as it does,
    /// then the caller's frames only when the tag's answer is not from this epoch; maps are
    /// walked through `refs`, without a retain or release.
    @inline(__always)
    private mutating func find(_ path: borrowing NamePath, slot: Int) -> Value? {
        if !path.isSimple, path.segments.isEmpty {
            noteRead(stack.count - 1)
            return stack.last ?? .null
        }
        let hint = hints.slot(slot)
        let entry = hints.entry(slot)
        let epoch = self.epoch, baseDepth = self.baseDepth
        let refs = self.refs.buffer
        var frame = refs.count
        while frame > baseDepth {
            frame -= 1
            if let map = refs[frame], let position = map.position(of: path.first, hint: hint) {
                noteRead(frame)
                return Self.rest(of: path, in: map, at: position, hints: hint)
            }
        }
        if entry.pointee.epoch == epoch {
            guard entry.pointee.frame >= 0, let map = refs[entry.pointee.frame] else {
                noteReadOfAll()
                return nil
            }
            noteRead(entry.pointee.frame)
            return Self.rest(of: path, in: map, at: entry.pointee.position, hints: hint)
        }
        entry.pointee = LookupHints.Entry(epoch: epoch, frame: -1, position: 0)
        while frame > 0 {
            frame -= 1
            if let map = refs[frame], let position = map.position(of: path.first, hint: hint) {
                entry.pointee = LookupHints.Entry(epoch: epoch, frame: frame, position: position)
                noteRead(frame)
                return Self.rest(of: path, in: map, at: position, hints: hint)
            }
        }
        noteReadOfAll()
        return nil
    }

    /// Frame `frame` was read (see `readMask`).
    @inline(__always)
    private mutating func noteRead(_ frame: Int) {
        if frame >= baseDepth {
            if frame < lowestPushedRead { lowestPushedRead = frame }
        } else {
            readMask |= frame < 64 ? 1 << UInt64(frame) : .max
        }
    }

    /// A name was not found: what it would have found depends on every frame.
    private mutating func noteReadOfAll() {
        readMask = .max
        lowestPushedRead = min(lowestPushedRead, baseDepth)
    }

    /// The value a name names, its first segment found at `position` of `map`.
    @inline(__always)
    private static func rest(of path: borrowing NamePath, in map: MapRef, at position: Int, hints: UnsafeMutablePointer<Int>) -> Value? {
        let segments = path.segments
        guard segments.count > 1 else { return map.value(at: position) }
        var map = map, position = position
        var k = 1
        while k < segments.count {
            guard let inner = map.map(at: position) else {
                // Not a map: a list indexed by number, or nothing, as `Lookup.descend` decides.
                guard let value = map.value(at: position) else { return nil }
                return Lookup.descend(from: value, along: path, startingAt: k, hints: hints)
            }
            guard let next = inner.position(of: segments[k], hint: hints + k) else { return nil }
            map = inner
            position = next
            k += 1
        }
        return map.value(at: position)
    }

    // MARK: Variables

    @inline(__always)
    private mutating func write(_ variable: Variable, hint: Int, in template: Template) throws(TemplateError) {
        let escaped = template.mode == .spec && !variable.raw
        if variable.isPlainTop {
            // `{{.}}`: the top of the stack, printed where it is (`find` gives it, or null).
            let count = stack.count
            if count == 0 { return }
            noteRead(count - 1)
            stack.withUnsafeBufferPointer { out.append($0[count - 1], htmlEscaped: escaped) }
            return
        }
        var current: Value
        if let found = find(variable.name, slot: hint) {
            current = found
        } else if case .missing(let failed, let known, let broken) = Lookup.resolve(variable.name, in: stack) {
            if template.mode == .spec { return }
            guard variable.hasDefault else {
                throw template.error(at: variable.position, Lookup.message("variable", variable.name, failed: failed, known: known, brokenValue: broken))
            }
            current = .null
        } else {
            current = .null
        }
        let filters = variable.filters
        if let direct = variable.direct {
            let last = filters.count - 1
            for k in 0..<last {
                current = try apply(filters[k], to: current, name: variable.name, at: variable.position, in: template)
            }
            if !escaped, direct.write(current, to: &out) { return }
            current = try apply(filters[last], to: current, name: variable.name, at: variable.position, in: template)
        } else {
            for call in filters {
                current = try apply(call, to: current, name: variable.name, at: variable.position, in: template)
            }
        }
        out.append(current, htmlEscaped: escaped)
    }

    private func apply(_ call: FilterCall, to value: Value, name: NamePath, at position: TextPosition,
                       in template: Template) throws(TemplateError) -> Value {
        switch FilterEvaluation.apply(call, to: value, name: name.text, timeZone: options.timeZone) {
        case .success(let v): return v
        case .failure(let e): throw template.error(at: position, e.message)
        }
    }

    // MARK: Sections

    /// Runs a section, or replays its bytes from an earlier run when every frame it read then
    /// is still the same (its own items aside): sections over a list in the job's vars run once
    /// per run, not once per message. The passes it made count again; should the replay go past
    /// a limit, the section is run, so the error is the one running it gives.
    private mutating func runRemembered(_ section: Section, hint: Int, body: Int, to bodyEnd: Int, in template: Template) throws(TemplateError) {
        guard options.replaysSections else { return try run(section, hint: hint, body: body, to: bodyEnd, in: template) }
        let program = template.program, step = body - 1, depth = stack.count
        if let slot = memoIndex(program, step, depth), memos[slot].holds(epoch: epoch, stamps: frameStamps),
           sectionPasses + memos[slot].passes <= options.maxSectionPasses,
           out.count + memos[slot].bytes.count <= options.maxOutputBytes {
            memos[slot].bytes.withUnsafeBufferPointer { out.append($0) }
            sectionPasses += memos[slot].passes
            readMask |= memos[slot].mask
            return
        }
        let outerMask = readMask, outerLowest = lowestPushedRead
        readMask = 0
        lowestPushedRead = .max
        let start = out.count, passes = sectionPasses
        try run(section, hint: hint, body: body, to: bodyEnd, in: template)
        let mask = readMask, lowest = lowestPushedRead
        readMask = outerMask | mask
        lowestPushedRead = min(outerLowest, lowest)
        // Reading a frame an enclosing section pushed (its current item) ties the output to
        // that pass; so does a name not found.
        guard lowest >= depth, mask != .max else { return }
        let memo = SectionMemo(program: program, step: step, depth: depth, epoch: epoch, generation: generation, mask: mask,
                               passes: sectionPasses - passes, bytes: Array(UnsafeBufferPointer(rebasing: out.bytes[start...])))
        // Looked up again: sections run inside this one may have made or dropped memos.
        if let slot = memoIndex(program, step, depth) {
            memos[slot] = memo
        } else {
            if memos.count == 16 { memos.removeAll(keepingCapacity: true) }
            memos.append(memo)
        }
    }

    /// Where the memo of the section at `step` of `program`, run at stack depth `depth`, is.
    private func memoIndex(_ program: Program, _ step: Int, _ depth: Int) -> Int? {
        memos.firstIndex { $0.program === program && $0.step == step && $0.depth == depth }
    }

    private mutating func run(_ section: Section, hint: Int, body: Int, to bodyEnd: Int, in template: Template) throws(TemplateError) {
        var value: Value
        if let found = find(section.name, slot: hint) {
            value = found
        } else if case .missing(let failed, let known, let broken) = Lookup.resolve(section.name, in: stack) {
            // As in a variable tag, a `default` in the filters accepts an unknown name.
            if template.mode == .herald, !section.optional, !section.hasDefault {
                let filters = section.filters.map { " | " + $0.sourceText }.joined()
                let optional = "; write '{{\(section.inverted ? "^" : "#")\(section.name.text)?\(filters)}}' if it is optional"
                throw template.error(at: section.position, Lookup.message("section", section.name, failed: failed, known: known,
                                                                          brokenValue: broken, otherwise: optional))
            }
            value = .null
        } else {
            value = .null
        }
        // `{{#rows | first: 10}}`: only sections with filters pay for them.
        for call in section.filters {
            value = try apply(call, to: value, name: section.name, at: section.position, in: template)
        }
        if section.inverted {
            if !value.isTruthy { try run(template, from: body, to: bodyEnd) }
            return
        }
        guard value.isTruthy else { return }
        if case .list(let items) = value {
            for i in items.indices {
                try countPass(section, in: template)
                push(items[i])
                try run(template, from: body, to: bodyEnd)
                pop()
            }
        } else {
            try countPass(section, in: template)
            push(value)
            try run(template, from: body, to: bodyEnd)
            pop()
        }
    }

    @inline(__always)
    private mutating func push(_ frame: Value) {
        stack.append(frame)
        refs.append(MapRef(frame))
    }

    @inline(__always)
    private mutating func pop() {
        stack.removeLast()
        refs.removeLast()
    }

    private mutating func countPass(_ section: Section, in template: Template) throws(TemplateError) {
        // Every name lookup walks the context stack, so depth costs twice: bound it.
        if stack.count - baseDepth >= options.maxSectionNesting {
            throw template.error(at: section.position,
                                 "sections nest more than \(options.maxSectionNesting) levels deep (counting those in partials); refusing to go on")
        }
        sectionPasses += 1
        if sectionPasses > options.maxSectionPasses {
            throw template.error(at: section.position,
                                 "sections repeat more than \(options.maxSectionPasses) times in one render; refusing to go on")
        }
    }

    // MARK: Partials

    private mutating func run(_ call: PartialCall, in template: Template) throws(TemplateError) {
        guard let partial = partials?.partial(named: call.name) else {
            if template.mode == .spec { return }
            throw template.error(at: call.position, NameSuggestion.unknown("partial", call.name, among: partials?.partialNames ?? []))
        }
        guard partialDepth < options.maxPartialDepth else {
            throw template.error(at: call.position, "partial '\(call.name)' nests deeper than \(options.maxPartialDepth) levels (recursive partial?)")
        }
        // The pass count bounds only sections that push a frame; this bounds inverted ones too,
        // and so how deep the render recurses: at most this many plus one template's own.
        let open = sectionsAroundPartial + call.sectionDepth
        if open > options.maxSectionNesting {
            throw template.error(at: call.position,
                                 "sections nest more than \(options.maxSectionNesting) levels deep (counting those in partials); refusing to go on")
        }
        let target = call.indentation.isEmpty ? partial : partial.indented(by: call.indentation)
        partialDepth += 1
        sectionsAroundPartial = open
        try render(target)
        sectionsAroundPartial = open - call.sectionDepth
        partialDepth -= 1
    }
}

/// A section's output from one run, with what it read: it holds while none of the caller's
/// frames it read has been set since (`Renderer.runRemembered`).
struct SectionMemo {
    /// Held, so that no other program can take its address while the memo is kept.
    let program: Program
    /// The section's step in the program, and the stack's depth where it ran.
    let step: Int
    let depth: Int
    let epoch: Int
    let generation: Int
    /// The caller's frames it read (bit i: frame i).
    let mask: UInt64
    let passes: Int
    var bytes: [UInt8]

    @inline(__always)
    func holds(epoch: Int, stamps: [Int]) -> Bool {
        guard epoch == self.epoch else { return false }
        var rest = mask
        while rest != 0 {
            let i = rest.trailingZeroBitCount
            guard i < stamps.count, stamps[i] <= generation else { return false }
            rest &= rest - 1
        }
        return true
    }
}
