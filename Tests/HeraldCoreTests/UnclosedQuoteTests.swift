@testable import HeraldCore
import Testing

@Suite struct UnclosedQuoteTests {
    func run(_ text: String, errorLine: Int) -> UnclosedQuote.Run? {
        UnclosedQuote.run(in: text.split(separator: "\n", omittingEmptySubsequences: false), errorLine: errorLine)
    }

    @Test func findsTheQuoteThatRunsOnToTheErrorLine() {
        let text = """
        a: "closed"
        b: "open
        c: 'x'
        d: "y" }
        """
        // The string runs on to the quote on line 4, where libyaml reports; the mistake is on line 2.
        #expect(run(text, errorLine: 4) == UnclosedQuote.Run(line: 2, column: 4, quote: "\"", endLine: 4))
    }

    @Test func aStringStillOpenAtTheErrorIsFound() {
        #expect(run("a: 'open\nb: 1\n", errorLine: 3) == UnclosedQuote.Run(line: 1, column: 4, quote: "'", endLine: nil))
    }

    @Test func quotesInsidePlainTextEscapesAndCommentsAreNotQuotes() {
        let text = """
        a: it's plain # and "a comment
        b: "an \\" escaped quote"
        c: 'it''s doubled'
        d: [ "one", 'two' ]
        e: {
        """
        #expect(run(text, errorLine: 5) == nil)
    }

    /// A legitimate multi-line quoted string far from the error is not blamed.
    @Test func aMultiLineStringFarFromTheErrorIsNotBlamed() {
        let text = "a: \"one\n  two\"\nb: 1\nc: 2\nd: 3\ne: [\n"
        #expect(run(text, errorLine: 7) == nil)
    }
}
