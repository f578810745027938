#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file with a size cap. A job names files from many hands: `/dev/zero`, a
/// FIFO or a 10 GB log must end in a diagnostic, not a hang or an exhausted machine.
enum FileContents {
    /// Job, template, vars and CSV files larger than this are refused (documented in docs/job-file.md).
    static let maxTextBytes = 64 << 20

    enum Failure: Error, Equatable {
        case missing, folder, notRegular, unreadable
        case tooLarge(Int)
    }

    /// `allowsStreams`: also read pipes and terminals (the job file itself: `herald check <(…)`);
    /// otherwise only regular files are read.
    static func read(_ path: String, limit: Int, allowsStreams: Bool = false) -> Result<[UInt8], Failure> {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: return .failure(.missing)
            case EISDIR: return .failure(.folder)
            default: return .failure(.unreadable)
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.unreadable) }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR { return .failure(.folder) }
        if kind == S_IFREG {
            if Int(info.st_size) > limit { return .failure(.tooLarge(Int(info.st_size))) }
        } else if !allowsStreams {
            return .failure(.notRegular)
        }
        // O_NONBLOCK only kept open() from waiting on a FIFO without a writer; read blocking.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return readAll(fd, limit: limit)
    }

    /// Standard input, capped the same way.
    static func readStandardInput(limit: Int) -> Result<[UInt8], Failure> {
        readAll(STDIN_FILENO, limit: limit)
    }

    private static func readAll(_ fd: Int32, limit: Int) -> Result<[UInt8], Failure> {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(errno == EISDIR ? .folder : .unreadable)
            }
            if n == 0 { return .success(bytes) }
            bytes.append(contentsOf: chunk[..<n])
            if bytes.count > limit { return .failure(.tooLarge(bytes.count)) }
        }
    }
}
