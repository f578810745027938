// The one place HeraldCore names the platform's C library: read(2), write(2) and the file
// calls FileContents needs, for Linux (Glibc) and Darwin.
import HeraldTemplate
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes all of `bytes` to standard output, retrying when interrupted; stops quietly at a
/// closed pipe (the reader has what it wanted). Any other failure (a full disk, a closed
/// descriptor) is remembered: the command then exits non-zero (`standardOutputFailure`).
package func writeStandardOutput(_ bytes: [UInt8]) {
    if let code = writeAll(STDOUT_FILENO, bytes), code != EPIPE {
        standardOutputErrno.withLock { if $0 == 0 { $0 = code } }
    }
}

/// Writes to standard error; a closed or full stderr loses the text but never stops Herald.
package func writeStandardError(_ text: String) {
    _ = writeAll(STDERR_FILENO, Array(text.utf8))
}

/// Why standard output lost bytes, if it did.
package var standardOutputFailure: String? {
    let code = standardOutputErrno.withLock { $0 }
    return code == 0 ? nil : String(cString: strerror(code))
}

private let standardOutputErrno = Locked<Int32>(0)

/// nil when all was written, else the errno.
private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
    bytes.withUnsafeBytes { raw -> Int32? in
        guard let base = raw.baseAddress else { return nil }
        var done = 0
        while done < raw.count {
            let n = write(fd, base + done, raw.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            done += n
        }
        return nil
    }
}

/// Whether standard error is a terminal (colour, caret lines, a live progress line).
package var standardErrorIsATerminal: Bool { isatty(STDERR_FILENO) == 1 }

/// Whether standard input is a terminal (`herald notify` says it waits for the message there).
package var standardInputIsATerminal: Bool { isatty(STDIN_FILENO) == 1 }

/// What a file descriptor refers to.
enum FileKind { case regular(size: Int), directory, other }

enum SystemCalls {
    enum OpenFailure: Error { case missing, folder, other }

    /// Opens for reading without waiting on a FIFO that has no writer; the descriptor is then
    /// switched back to blocking reads.
    static func openForReading(_ path: String) -> Result<Int32, OpenFailure> {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: return .failure(.missing)
            case EISDIR: return .failure(.folder)
            default: return .failure(.other)
            }
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return .success(fd)
    }

    static func kind(of fd: Int32) -> FileKind? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular(size: Int(info.st_size))
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    static func closeFile(_ fd: Int32) { _ = close(fd) }

    static let standardInput: Int32 = STDIN_FILENO

    /// read(2) that retries when interrupted; nil on an error (`isDirectory` when reading a folder).
    static func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> (count: Int?, isDirectory: Bool) {
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return (n, false) }
            if errno == EINTR { continue }
            return (nil, errno == EISDIR)
        }
    }
}
