import HeraldCore
import Testing

/// Terminal columns, for the caret under a diagnostic's source line.
@Suite struct DisplayWidthTests {
    @Test func asciiTakesOneColumnEach() {
        #expect(DisplayWidth.columns(of: "content: x") == 10)
        #expect(DisplayWidth.columns(of: "") == 0)
    }

    @Test func cjkAndFullWidthTakeTwo() {
        #expect(DisplayWidth.columns(of: "周报") == 4)
        #expect(DisplayWidth.columns(of: "한글") == 4)
        #expect(DisplayWidth.columns(of: "？") == 2)
        #expect(DisplayWidth.columns(of: "ｋｅｙ") == 6)
        #expect(DisplayWidth.columns(of: "「发布」") == 8)
    }

    @Test func emojiTakeTwoWhateverTheirScalars() {
        #expect(DisplayWidth.columns(of: "🚀") == 2)
        #expect(DisplayWidth.columns(of: "👨‍👩‍👧") == 2, "a ZWJ sequence is one picture")
        #expect(DisplayWidth.columns(of: "❤️") == 2, "VS16 makes it a picture")
        #expect(DisplayWidth.columns(of: "👍🏽") == 2)
        #expect(DisplayWidth.columns(of: "🇨🇳") == 2)
    }

    @Test func combiningMarksAndNarrowLettersTakeOne() {
        #expect(DisplayWidth.columns(of: "e\u{301}") == 1)
        #expect(DisplayWidth.columns(of: "café") == 4)
        #expect(DisplayWidth.columns(of: "Ж") == 1)
        #expect(DisplayWidth.columns(of: "½") == 1)
    }
}
