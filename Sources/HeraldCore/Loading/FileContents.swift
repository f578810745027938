import Foundation

/// Reads a whole file with a size cap. A job names files from many hands: `/dev/zero`, a
/// FIFO or a 10 GB log must end in a diagnostic, not a hang or an exhausted machine.
package enum FileContents {
    /// Job, template, vars and CSV files larger than this are refused (documented in docs/job-file.md).
    static let maxTextBytes = 64 << 20

    package enum Failure: Error, Equatable {
        case missing, folder, notRegular, unreadable
        case tooLarge(Int)
        /// A regular file the job may not read (`PathPolicy`); the reason follows the file's name.
        case refused(String)
    }

    /// `allowsStreams`: also read pipes and terminals (the job file itself: `herald check <(…)`);
    /// otherwise only regular files are read. `paths` is asked once the file is known to be a
    /// regular file, so a missing file or a device keeps its own message.
    package static func read(_ path: String, limit: Int, allowsStreams: Bool = false, paths: PathPolicy = .unconfined) -> Result<[UInt8], Failure> {
        let fd: Int32
        switch SystemCalls.openForReading(path) {
        case .success(let opened): fd = opened
        case .failure(.missing): return .failure(.missing)
        case .failure(.folder): return .failure(.folder)
        case .failure(.other): return .failure(.unreadable)
        }
        defer { SystemCalls.closeFile(fd) }
        switch SystemCalls.kind(of: fd) {
        case nil: return .failure(.unreadable)
        case .directory?: return .failure(.folder)
        case .regular(let size)?:
            if let why = paths.problem(with: URL(fileURLWithPath: path)) { return .failure(.refused(why)) }
            if size > limit { return .failure(.tooLarge(size)) }
        case .other?:
            if !allowsStreams { return .failure(.notRegular) }
        }
        return readAll(fd, limit: limit)
    }

    /// Standard input, capped the same way.
    static func readStandardInput(limit: Int) -> Result<[UInt8], Failure> {
        readAll(SystemCalls.standardInput, limit: limit)
    }

    private static func readAll(_ fd: Int32, limit: Int) -> Result<[UInt8], Failure> {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let (n, isDirectory) = chunk.withUnsafeMutableBytes { SystemCalls.readSome(fd, into: $0) }
            guard let n else { return .failure(isDirectory ? .folder : .unreadable) }
            if n == 0 { return .success(bytes) }
            bytes.append(contentsOf: chunk[..<n])
            if bytes.count > limit { return .failure(.tooLarge(bytes.count)) }
        }
    }
}
