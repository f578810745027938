import Foundation
import HeraldTemplate

#if canImport(Glibc)
import Glibc
#endif

/// `--journal FILE`: append-only JSON lines recording each request's outcome by content id,
/// fsync'ed before that link's next request starts. A later run skips what was delivered;
/// while a run is unfinished, a resume reuses its `now` so the bytes are the same.
///
/// Records (no secrets; links appear masked):
/// `{"type":"run","run":ID,"job":NAME,"now":ISO,"now_unix":SECONDS,"started":ISO}`,
/// `{"type":"outcome","run":ID,"id":CONTENT_ID,"request":N,"status":…,"attempts":…,"http_status":…,"code":…}`,
/// `{"type":"finished","run":ID}` — written only when every request was delivered.
public final class Journal: @unchecked Sendable {
    public let path: String
    /// Content ids delivered by earlier runs.
    public let deliveredIDs: Set<String>
    /// The `now` of the latest run that did not finish, to render the same bytes again.
    public let resumeNow: Date?
    /// Problems tolerated while reading (a torn last line after a crash).
    public let warnings: [String]

    private let fd: Int32
    private let lock = NSLock()
    private var runID = ""

    public struct OpenError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func open(path: String) throws(OpenError) -> Journal {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OpenError(description: "cannot open journal \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            Glibc.close(fd)
            throw OpenError(description: "journal \(path) is in use by another herald run; wait for it to finish, or use another journal")
        }
        do {
            return try Journal(path: path, fd: fd)
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    private init(path: String, fd: Int32) throws(OpenError) {
        self.path = path
        self.fd = fd
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        lseek(fd, 0, SEEK_SET)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[..<n])
        }
        var warnings: [String] = []
        var delivered = Set<String>()
        var runs: [(id: String, now: Date?)] = []
        var finished = Set<String>()
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var goodLength = 0
        for (i, line) in lines.enumerated() {
            let isLast = i == lines.count - 1
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any], let type = object["type"] as? String else {
                if isLast {
                    warnings.append("journal \(path): ignoring a torn last line (a run was killed while writing); its request will be sent again if it was not delivered")
                    break
                }
                throw OpenError(description: "journal \(path): line \(i + 1) is not a journal record; is this the right file?")
            }
            if isLast, bytes.last != 0x0A {
                // A complete record without its newline: keep it, finish the line.
                goodLength += line.count
                _ = [UInt8(0x0A)].withUnsafeBytes { pwrite(fd, $0.baseAddress, 1, off_t(goodLength)) }
                goodLength += 1
            } else {
                goodLength += line.count + 1
            }
            let run = object["run"] as? String ?? ""
            switch type {
            case "run":
                runs.append((run, (object["now_unix"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue) }))
            case "outcome":
                if object["status"] as? String == "delivered", let id = object["id"] as? String { delivered.insert(id) }
            case "finished":
                finished.insert(run)
            default:
                break
            }
        }
        // Drop a torn tail so the next record starts on a clean line.
        if ftruncate(fd, off_t(goodLength)) != 0 {
            throw OpenError(description: "journal \(path): cannot repair it: \(String(cString: strerror(errno)))")
        }
        self.deliveredIDs = delivered
        self.warnings = warnings
        if let last = runs.last, !finished.contains(last.id) { resumeNow = last.now } else { resumeNow = nil }
    }

    private var closed = false

    /// Releases the lock; later writes fail.
    public func close() {
        lock.withLock {
            guard !closed else { return }
            closed = true
            Glibc.close(fd)
        }
    }

    deinit { close() }

    public func beginRun(job: String, now: Date) throws(OpenError) {
        runID = UUID().uuidString.lowercased()
        let zone = TimeZone(identifier: "UTC") ?? .current
        try append(["type": "run", "run": .string(runID), "job": .string(job), "now": .string(Self.iso(now, zone)),
                    "now_unix": .double(now.timeIntervalSince1970), "started": .string(Self.iso(Date(), zone))])
    }

    public func record(_ outcome: RequestOutcome) throws(OpenError) {
        var record: OrderedMap = ["type": "outcome", "run": .string(runID), "id": .string(outcome.contentID),
                                  "request": .int(outcome.index + 1), "status": .string(outcome.status.rawValue),
                                  "attempts": .int(outcome.attempts)]
        if let s = outcome.httpStatus { record["http_status"] = .int(s) }
        if let c = outcome.code { record["code"] = .int(c) }
        try append(record)
    }

    public func finishRun() throws(OpenError) {
        try append(["type": "finished", "run": .string(runID)])
    }

    /// One line, then fsync: the record is durable before the caller moves on.
    private func append(_ record: OrderedMap) throws(OpenError) {
        var bytes: [UInt8] = []
        JSONWriter.append(.map(record), to: &bytes)
        bytes.append(0x0A)
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { throw OpenError(description: "journal \(path) is closed") }
        let end = lseek(fd, 0, SEEK_END)
        let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, end) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw OpenError(description: "cannot write journal \(path): \(String(cString: strerror(errno)))")
        }
    }

    private static func iso(_ date: Date, _ zone: TimeZone) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = zone
        return f.string(from: date)
    }
}
