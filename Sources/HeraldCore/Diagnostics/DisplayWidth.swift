/// How many terminal columns text takes, so a caret lands under its column after CJK or
/// emoji: East Asian Wide and Fullwidth characters and emoji take two, combining marks and
/// joiners none, the rest one (as wcwidth does; a grapheme cluster counts once).
package enum DisplayWidth {
    package static func columns<S: StringProtocol>(of text: S) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    package static func columns(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x7F { return first.value < 0x20 ? 0 : 1 }
        if scalars.contains(where: isWide) { return 2 }
        // A text-style emoji made graphic by VS16 (❤️) or a keycap sequence.
        if first.properties.isEmoji, scalars.contains("\u{FE0F}") { return 2 }
        if scalars.allSatisfy(isZeroWidth) { return 0 }
        return 1
    }

    private static func isZeroWidth(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return s.value == 0x200B || (0x1160...0x11FF).contains(s.value)
        }
    }

    /// East Asian Width W or F (Unicode 15's EastAsianWidth.txt, merged into ranges), or an
    /// emoji shown as a picture by default.
    private static func isWide(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x1100 { return false }
        if s.properties.isEmojiPresentation { return true }
        for range in wideRanges where range.contains(v) { return true }
        return false
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
        0x1F200...0x1F2FF, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
