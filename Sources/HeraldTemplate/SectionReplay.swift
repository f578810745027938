/// Section replay: a section whose output depends only on caller's frames not set since it
/// last ran (a list in the job's vars) is run once and its bytes replayed, so it costs once
/// per run, not once per message. `RenderOptions.replaysSections = false` runs every section:
/// the reference the tests compare this with.
///
/// Stale when: a caller's frame the section read is set (its stamp passes the memo's
/// generation), or the lookups' epoch changes (the frames' keys did). A section that read a
/// frame an enclosing section pushed, or a name found nowhere, is not remembered at all.
struct SectionReplay {
    /// Bumped whenever a caller's frame is set; `frameStamps[i]` is its value when frame i was.
    private(set) var generation = 0
    private(set) var frameStamps: [Int] = []
    /// What the innermost section running has read so far.
    var reads = FramesRead()
    var memos: [SectionMemo] = []

    /// A template has a few sections over the job's vars; a bound keeps a renderer fed many
    /// templates from growing, and a linear search over this many costs less than hashing.
    static let maxMemos = 16

    /// Every caller's frame is new: no memo made before holds.
    mutating func callerFramesSet(count: Int) {
        generation += 1
        frameStamps.removeAll(keepingCapacity: true)
        for _ in 0..<count { frameStamps.append(generation) }
    }

    /// The caller's frame `index` is new: memos that read it no longer hold.
    mutating func callerFrameSet(_ index: Int) {
        generation += 1
        frameStamps[index] = generation
    }

    /// Where the memo of the section at `step` of `program`, run at stack depth `depth`, is.
    func memoIndex(_ program: Program, _ step: Int, _ depth: Int) -> Int? {
        memos.firstIndex { $0.program === program && $0.step == step && $0.depth == depth }
    }

    mutating func remember(_ memo: SectionMemo) {
        // Looked up again: sections run inside this one may have made or dropped memos.
        if let slot = memoIndex(memo.program, memo.step, memo.depth) {
            memos[slot] = memo
        } else {
            if memos.count == Self.maxMemos { memos.removeAll(keepingCapacity: true) }
            memos.append(memo)
        }
    }

    /// Debug builds: a stamp per caller's frame, none from the future, and memos that do not
    /// claim to postdate the frames they read.
    func checkInvariants(baseDepth: Int, epoch: Int) {
        #if DEBUG
        assert(frameStamps.count == baseDepth, "a stamp per caller's frame")
        assert(frameStamps.allSatisfy { $0 <= generation }, "a frame stamped after the last set")
        assert(memos.count <= Self.maxMemos, "memos past their bound")
        for memo in memos {
            assert(memo.generation <= generation && memo.epoch <= epoch, "a memo from the future")
            assert(memo.mask != .max && memo.passes >= 0, "a memo that should not be kept")
        }
        #endif
    }
}

/// The caller's frames read since the innermost section began (bit i: frame i; all bits:
/// cannot tell), and the lowest frame pushed by sections that was read.
struct FramesRead {
    var mask: UInt64 = 0
    var lowestPushed = Int.max

    static let none = FramesRead()
}

/// A section's output from one run, with what it read: it holds while none of the caller's
/// frames it read has been set since.
struct SectionMemo {
    /// Held, so that no other program can be taken for it while the memo is kept.
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

extension Renderer {
    /// Runs a section, or replays its bytes from an earlier run while the memo holds. The
    /// passes it made count again; should the replay go past a limit, the section is run, so
    /// the error is the one running it gives.
    mutating func runRemembered(_ section: Section, hint: Int, body: Int, to bodyEnd: Int, in template: Template) throws(TemplateError) {
        guard options.replaysSections else { return try renderSection(section, hint: hint, body: body, to: bodyEnd, in: template) }
        let program = template.program, step = body - 1, depth = frames.values.count
        if let slot = replay.memoIndex(program, step, depth), replay.memos[slot].holds(epoch: lookups.epoch, stamps: replay.frameStamps),
           counters.sectionPasses + replay.memos[slot].passes <= options.maxSectionPasses,
           out.count + replay.memos[slot].bytes.count <= options.maxOutputBytes {
            replay.memos[slot].bytes.withUnsafeBufferPointer { out.append($0) }
            counters.sectionPasses += replay.memos[slot].passes
            replay.reads.mask |= replay.memos[slot].mask
            return
        }
        let outer = replay.reads
        replay.reads = .none
        let start = out.count, passes = counters.sectionPasses
        try renderSection(section, hint: hint, body: body, to: bodyEnd, in: template)
        let read = replay.reads
        replay.reads = FramesRead(mask: outer.mask | read.mask, lowestPushed: min(outer.lowestPushed, read.lowestPushed))
        // Reading a frame an enclosing section pushed (its current item) ties the output to
        // that pass; so does a name not found.
        guard read.lowestPushed >= depth, read.mask != .max else { return }
        replay.remember(SectionMemo(program: program, step: step, depth: depth, epoch: lookups.epoch, generation: replay.generation,
                                    mask: read.mask, passes: counters.sectionPasses - passes,
                                    bytes: Array(UnsafeBufferPointer(rebasing: out.bytes[start...]))))
    }
}
