import Foundation

/// `--report FILE`, checked before anything is planned or sent: a file (never a folder, device or
/// FIFO), not the journal under another name, and writable — so a report that cannot be written
/// is known before the first request, not after the last.
public struct ReportFile: Sendable {
    public let path: String

    public struct Unusable: Error, CustomStringConvertible {
        public var description: String
    }

    public static func prepare(path: String, journal: String?) throws(Unusable) -> ReportFile {
        if let kind = Sys.fileKind(path), kind != .regular {
            throw Unusable(description: "report \(path) is \(kind.article), not a file; give a file path (it is created if missing)")
        }
        if let journal, Self.sameFile(path, journal) {
            throw Unusable(description: "--report and --journal name the same file (\(path)); the report would overwrite the journal: give two paths")
        }
        let fd = Sys.open(path, Sys.writeCreate, 0o644)
        guard fd >= 0 else { throw Unusable(description: "cannot write report \(path): \(Sys.lastError)") }
        Sys.close(fd)
        return ReportFile(path: path)
    }

    /// Replaces the file's content with `text`.
    public func write(_ text: String) throws(Unusable) {
        let fd = Sys.open(path, Sys.writeReplace, 0o644)
        guard fd >= 0 else { throw Unusable(description: "cannot write report \(path): \(Sys.lastError)") }
        defer { Sys.close(fd) }
        guard Sys.write(fd, Array(text.utf8), at: 0) else { throw Unusable(description: "cannot write report \(path): \(Sys.lastError)") }
    }

    /// One file by two names: the same inode, or (when neither exists yet) the same resolved path.
    static func sameFile(_ a: String, _ b: String) -> Bool {
        if let ia = Sys.fileIdentity(a), let ib = Sys.fileIdentity(b) { return ia == ib }
        let resolve = { (p: String) in URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path }
        return resolve(a) == resolve(b)
    }
}
