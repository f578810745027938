// The system calls HeraldSend makes (journal and shared-budget files), named once for Linux
// and Darwin so no other file imports a platform module.
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

enum Sys {
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
        #if canImport(Darwin)
        Darwin.open(path, flags, mode)
        #else
        Glibc.open(path, flags, mode)
        #endif
    }

    static func close(_ fd: Int32) {
        #if canImport(Darwin)
        _ = Darwin.close(fd)
        #else
        _ = Glibc.close(fd)
        #endif
    }

    /// Exclusive lock on the file; `wait: false` fails at once when another holder has it.
    static func lockExclusive(_ fd: Int32, wait: Bool) -> Bool {
        while true {
            if flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) == 0 { return true }
            if errno != EINTR { return false }
        }
    }

    static func unlock(_ fd: Int32) {
        _ = flock(fd, LOCK_UN)
    }

    static func sync(_ fd: Int32) -> Bool { fsync(fd) == 0 }

    static func truncate(_ fd: Int32, _ length: Int) -> Bool { ftruncate(fd, off_t(length)) == 0 }

    static func fileEnd(_ fd: Int32) -> Int { Int(lseek(fd, 0, SEEK_END)) }

    /// The whole file from offset 0.
    static func readAll(_ fd: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var offset = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: buffer[..<n])
            offset += n
        }
    }

    /// Writes all of `bytes` at `offset`; false on a short or failed write.
    static func write(_ fd: Int32, _ bytes: [UInt8], at offset: Int) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, $0.count - done, off_t(offset + done)) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            if n == 0 { return false }
            done += n
        }
        return true
    }

    /// Creates the folder and its parents (0700: the folder is the user's own state).
    static func makeDirectories(_ path: String) -> Bool {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) != 0, errno != EEXIST { return false }
        }
        return true
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address in text form, or nil.
    static func ipAddressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    static let connectionRefused = ECONNREFUSED
    static let noSuchFile = ENOENT

    /// The peer went away mid-exchange.
    static func isConnectionLost(_ code: Int32) -> Bool { code == ECONNRESET || code == EPIPE || code == ECONNABORTED }

    static func describe(errno code: Int32) -> String { String(cString: strerror(code)) }

    /// SIGINT, SIGTERM and SIGHUP (a closed terminal, a stopped service): what stops a run,
    /// each the same way — in-flight requests finish and are journalled.
    static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs `handler` for `sig` (SA_RESTART: a read or write it interrupts goes on).
    static func setHandler(_ sig: Int32, _ handler: (@convention(c) (Int32) -> Void)?) {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = handler
        #else
        action.__sigaction_u.__sa_handler = handler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        _ = sigaction(sig, &action, nil)
    }

    static func signalSet(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in signals { sigaddset(&set, sig) }
        return set
    }

    /// What an untrapped signal does by default (SIGINT, SIGTERM, SIGHUP: the process ends by
    /// it, as a shell expects): the default action back, the signal let through on this thread,
    /// and raised on it.
    static func actAsIfUntrapped(_ sig: Int32) {
        _ = signal(sig, SIG_DFL)
        var set = signalSet([sig])
        _ = pthread_sigmask(SIG_UNBLOCK, &set, nil)
        _ = raise(sig)
    }

    enum FileKind {
        case regular, directory, fifo, device, socket, other

        /// For errors: "a folder", "a FIFO", …
        var article: String {
            switch self {
            case .regular: return "a file"
            case .directory: return "a folder"
            case .fifo: return "a FIFO"
            case .device: return "a device"
            case .socket: return "a socket"
            case .other: return "not a regular file"
            }
        }

        init(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFREG: self = .regular
            case S_IFDIR: self = .directory
            case S_IFIFO: self = .fifo
            case S_IFCHR, S_IFBLK: self = .device
            case S_IFSOCK: self = .socket
            default: self = .other
            }
        }
    }

    /// What is at `path` (following links), or nil when nothing is.
    static func fileKind(_ path: String) -> FileKind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileKind(mode: info.st_mode)
    }

    static func fileKind(_ fd: Int32) -> FileKind? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return FileKind(mode: info.st_mode)
    }

    /// Device and inode of what is at `path`, to tell two names of one file apart.
    static func fileIdentity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    static func unlink(_ path: String) {
        #if canImport(Darwin)
        _ = Darwin.unlink(path)
        #else
        _ = Glibc.unlink(path)
        #endif
    }

    static var lastError: String { String(cString: strerror(errno)) }

    static let readWriteCreate = O_RDWR | O_CREAT | O_CLOEXEC
    static let writeCreate = O_WRONLY | O_CREAT | O_CLOEXEC
    static let writeReplace = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
}
