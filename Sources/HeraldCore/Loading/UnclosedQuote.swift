/// Where a run-on quoted string starts. A quote left open on line 9 swallows the lines after
/// it up to the next quote, and libyaml reports what goes wrong there ("11:40: did not find
/// expected key"); the mistake is the quote that opened the run. Asked only after a syntax
/// error, so a deliberately multi-line quoted string in a valid file is never reported.
enum UnclosedQuote {
    struct Run: Equatable {
        var line: Int
        var column: Int
        var quote: Character
        /// The line where the string ended; nil when it is still open at the error.
        var endLine: Int?
    }

    /// The quoted string that opened on an earlier line than the error and ended on the
    /// error's line or the one before (or is still open there); nil when there is none.
    static func run(in lines: [Substring], errorLine: Int) -> Run? {
        var open: Run?
        var found: Run?
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if number > errorLine { break }
            let scalars = Array(line.unicodeScalars)
            var i = 0
            var lastNonSpace: Unicode.Scalar?
            while i < scalars.count {
                let c = scalars[i]
                if var current = open {
                    if current.quote == "\"", c == "\\" { i += 2; continue }
                    if Character(c) == current.quote {
                        if current.quote == "'", i + 1 < scalars.count, scalars[i + 1] == "'" { i += 2; continue }
                        open = nil
                        if current.line != number {
                            current.endLine = number
                            if errorLine - number <= 1 { found = current }
                        }
                        lastNonSpace = c
                    }
                    i += 1
                    continue
                }
                let previous: Unicode.Scalar? = i > 0 ? scalars[i - 1] : nil
                if c == "#", previous == nil || previous == " " || previous == "\t" { break }
                if c == "\"" || c == "'" {
                    let startsToken = previous.map { " \t[{,".unicodeScalars.contains($0) } ?? true
                    let afterIndicator = lastNonSpace.map { ":-[{,?".unicodeScalars.contains($0) } ?? true
                    if startsToken, afterIndicator { open = Run(line: number, column: i + 1, quote: Character(c), endLine: nil) }
                }
                if c != " ", c != "\t" { lastNonSpace = c }
                i += 1
            }
        }
        if let open, open.line < errorLine { return open }
        return found
    }
}
