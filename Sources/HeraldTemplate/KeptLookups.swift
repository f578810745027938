/// What a renderer remembers of where names were found (`LookupHints`), and for which
/// templates, from one render to the next.
///
/// Stale when: a caller's frame stops having the keys it had. Each slot's answer (`Entry`)
/// names a caller's frame and a key's position in it, so it holds only while every caller's
/// frame has the same keys; `epoch` is bumped then, which voids every answer at once. A
/// frame's values changing (a new row with the header's keys) leaves the answers standing.
/// Per-segment position hints are never stale: each is checked before it is used.
struct KeptLookups: ~Copyable {
    var hints: LookupHints
    /// The first slot of the template being run (a partial's are above its caller's).
    var base = 0
    /// The answers' epoch; never 0, which marks a slot with no answer.
    private(set) var epoch = 1
    /// Each caller's frame's keys when the epoch began (nil: not a map, or no keys).
    private var frameKeys: [[String]?] = []
    /// Templates run alone by this renderer, each with its first slot: their slots (all below
    /// `keptSlots`) keep their hints and answers from one render to the next.
    private var kept: [(program: Program, slot: Int)] = []
    private(set) var keptSlots = 0

    /// A renderer runs a few templates over and over (a message's title, body, mentions); past
    /// this many it is being fed one-off ones, and starts over rather than search a long list.
    static let maxKeptTemplates = 16
    /// Slots made up front: a message's templates rarely need more.
    private static let initialSlots = 64

    init() {
        hints = LookupHints(capacity: Self.initialSlots)
    }

    /// The caller's frames were all set: a new epoch unless each has the keys it had (a new
    /// row of the same CSV, say). Keys shared as one array compare in one step.
    mutating func callerFramesSet(_ frames: borrowing RenderFrames) {
        if frameKeys.count == frames.baseDepth {
            var same = true
            for i in 0..<frames.baseDepth where !MapRef.keys(of: frames.refs[i], equal: frameKeys[i]) {
                same = false
                break
            }
            if same { return }
        }
        epoch += 1
        frameKeys.removeAll(keepingCapacity: true)
        for i in 0..<frames.baseDepth { frameKeys.append(frames.values[i].mapKeys) }
    }

    /// The caller's frame `index` was set: a new epoch unless it has the keys it had.
    mutating func callerFrameSet(_ index: Int, _ frames: borrowing RenderFrames) {
        // Compared through the frame's ref: no retain of its keys when they are the same.
        guard !MapRef.keys(of: frames.refs[index], equal: frameKeys[index]) else { return }
        epoch += 1
        frameKeys[index] = frames.values[index].mapKeys
    }

    /// Slots for a render of its own: those of every kept template stay, the rest go.
    mutating func startRender() {
        hints.truncate(to: keptSlots)
    }

    /// The first of the slots kept for `program`, made on its first render here.
    mutating func keptSlot(for program: Program) -> Int {
        for k in kept where k.program === program { return k.slot }
        if kept.count == Self.maxKeptTemplates {
            kept.removeAll(keepingCapacity: true)
            hints.truncate(to: 0)
        }
        let slot = hints.push(program.hintSlots)
        kept.append((program, slot))
        keptSlots = hints.count
        return slot
    }

    /// Debug builds: the answers of this epoch point at a caller's frame that has the keys
    /// the epoch began with, at a position inside them; kept templates' slots are kept.
    func checkInvariants(_ frames: borrowing RenderFrames) {
        #if DEBUG
        assert(epoch != 0, "epoch 0 marks no answer")
        assert(frameKeys.count == frames.baseDepth, "keys recorded for another stack")
        for i in 0..<frames.baseDepth {
            assert(frameKeys[i] == frames.values[i].mapKeys, "frame \(i)'s keys changed within an epoch")
        }
        assert(keptSlots <= hints.count && kept.count <= Self.maxKeptTemplates, "kept slots dropped")
        for k in kept { assert(k.slot + k.program.hintSlots <= keptSlots, "a kept template's slots not kept") }
        for slot in 0..<hints.count {
            let answer = hints.entry(slot).pointee
            guard answer.epoch == epoch, answer.frame >= 0 else { continue }
            assert(answer.frame < frames.baseDepth, "an answer names a pushed frame")
            assert(answer.position < (frameKeys[answer.frame]?.count ?? 0), "an answer past its frame's keys")
        }
        #endif
    }
}
