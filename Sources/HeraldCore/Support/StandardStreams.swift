import HeraldTemplate

// The CLI's standard output, error and input, on the raw calls of SystemCalls.swift.

/// Writes all of `bytes` to standard output, retrying when interrupted; stops quietly at a
/// closed pipe (the reader has what it wanted). Any other failure (a full disk, a closed
/// descriptor) is remembered: the command then exits non-zero (`standardOutputFailure`).
package func writeStandardOutput(_ bytes: [UInt8]) {
    if let code = SystemCalls.writeAll(SystemCalls.standardOutput, bytes), code != SystemCalls.brokenPipe {
        standardOutputErrno.withLock { if $0 == 0 { $0 = code } }
    }
}

/// Writes to standard error; a closed or full stderr loses the text but never stops Herald.
package func writeStandardError(_ text: String) {
    _ = SystemCalls.writeAll(SystemCalls.standardError, Array(text.utf8))
}

/// Why standard output lost bytes, if it did.
package var standardOutputFailure: String? {
    let code = standardOutputErrno.withLock { $0 }
    return code == 0 ? nil : SystemCalls.describe(errno: code)
}

private let standardOutputErrno = Locked<Int32>(0)

/// Whether standard error is a terminal (colour, caret lines, a live progress line).
package var standardErrorIsATerminal: Bool { SystemCalls.isTerminal(SystemCalls.standardError) }

/// Whether standard input is a terminal (`herald notify` says it waits for the message there).
package var standardInputIsATerminal: Bool { SystemCalls.isTerminal(SystemCalls.standardInput) }
