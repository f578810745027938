/// Name lookup during a render: the one the run loop makes for every tag.
extension Renderer {
    /// The value `path` names, or nil when it names nothing (then `Lookup.resolve` says why):
    /// the first segment in the innermost frame that has it, later ones inside that value.
    /// Frames pushed by sections are searched first, then the caller's frames only when the
    /// tag's answer is not from this epoch (`KeptLookups`); maps are walked through
    /// `frames.refs`, without a retain or release. Each frame read is noted for section replay.
    @inline(__always)
    mutating func find(_ path: borrowing NamePath, slot: Int) -> Value? {
        if !path.isSimple, path.segments.isEmpty {
            noteRead(frames.values.count - 1)
            return frames.values.last ?? .null
        }
        let hint = lookups.hints.slot(slot)
        let answer = lookups.hints.entry(slot)
        let epoch = lookups.epoch, baseDepth = frames.baseDepth
        let refs = frames.refs.buffer
        var frame = refs.count
        while frame > baseDepth {
            frame -= 1
            if let map = refs[frame], let position = map.position(of: path.first, hint: hint) {
                noteRead(frame)
                return Self.rest(of: path, in: map, at: position, hints: hint)
            }
        }
        if answer.pointee.epoch == epoch {
            guard answer.pointee.frame >= 0, let map = refs[answer.pointee.frame] else {
                noteReadOfAll()
                return nil
            }
            noteRead(answer.pointee.frame)
            return Self.rest(of: path, in: map, at: answer.pointee.position, hints: hint)
        }
        answer.pointee = LookupHints.Entry(epoch: epoch, frame: -1, position: 0)
        while frame > 0 {
            frame -= 1
            if let map = refs[frame], let position = map.position(of: path.first, hint: hint) {
                answer.pointee = LookupHints.Entry(epoch: epoch, frame: frame, position: position)
                noteRead(frame)
                return Self.rest(of: path, in: map, at: position, hints: hint)
            }
        }
        noteReadOfAll()
        return nil
    }

    /// Frame `frame` was read (see `SectionReplay.reads`).
    @inline(__always)
    mutating func noteRead(_ frame: Int) {
        if frame >= frames.baseDepth {
            if frame < replay.reads.lowestPushed { replay.reads.lowestPushed = frame }
        } else {
            replay.reads.mask |= frame < 64 ? 1 << UInt64(frame) : .max
        }
    }

    /// A name was not found: what it would have found depends on every frame.
    mutating func noteReadOfAll() {
        replay.reads.mask = .max
        replay.reads.lowestPushed = min(replay.reads.lowestPushed, frames.baseDepth)
    }

    /// The value a name names, its first segment found at `position` of `map`.
    @inline(__always)
    static func rest(of path: borrowing NamePath, in map: MapRef, at position: Int, hints: UnsafeMutablePointer<Int>) -> Value? {
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
}
