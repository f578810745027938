// The one place HeraldCore names the platform's C library: read(2), write(2), isatty(3) and
// the file calls FileContents needs, for Linux (Glibc) and Darwin. The standard-stream
// helpers built on them are in StandardStreams.swift.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    static let standardOutput: Int32 = STDOUT_FILENO
    static let standardError: Int32 = STDERR_FILENO
    /// The errno of a write to a pipe whose reader has gone.
    static let brokenPipe: Int32 = EPIPE

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// strerror(3): the C library's words for an errno.
    static func describe(errno code: Int32) -> String { String(cString: strerror(code)) }

    /// Writes all of `bytes`, retrying when interrupted: nil when all was written, else the errno.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
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
