import Foundation
import HeraldTemplate

/// `--journal FILE`: append-only JSON lines, each fsync'ed before Herald moves on. A journal
/// is one logical run: every run with it renders with the `now` its first run recorded, skips
/// what was delivered, and does not send again what may have been delivered (uncertain)
/// unless asked to (docs/sending.md).
///
/// Records (no secrets; no links):
/// `{"type":"run","run":ID,"job":NAME,"now":ISO,"now_unix":SECONDS,"started":ISO}`,
/// `{"type":"sending","run":ID,"id":CONTENT_ID,"request":N}` — before a request's first attempt,
/// `{"type":"outcome","run":ID,"id":CONTENT_ID,"request":N,"status":…,"attempts":…,"http_status":…,"code":…}`,
/// `{"type":"finished","run":ID}` — written only when every request was delivered.
public final class Journal: Sendable {
    public let path: String
    /// Content ids delivered by earlier runs.
    public let deliveredIDs: Set<String>
    /// Content ids that earlier runs sent without learning the outcome: in flight when a run
    /// was killed, or answered too late or cut short. Not delivered, not failed.
    public let uncertainIDs: Set<String>
    /// The `now` of the first run recorded: the run's time for every run with this journal.
    public let recordedNow: Date?
    /// Problems tolerated while reading (a torn last line after a crash).
    public let warnings: [String]

    /// The descriptor, whether it was closed, the current run's id, the length of the file's
    /// whole records, and whether this process appended anything: all under one lock.
    private struct State {
        var fd: Int32
        var closed = false
        var runID = ""
        var goodLength: Int
        var appended = false
        let wasEmpty: Bool
    }
    private let state: Locked<State>

    public struct OpenError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func open(path: String) throws(OpenError) -> Journal {
        // Only a regular file (or none yet): a device, FIFO or folder is never read or written.
        if let kind = Sys.fileKind(path), kind != .regular {
            throw OpenError(description: "journal \(path) is \(kind.article), not a file; give a file path (it is created if missing)")
        }
        let fd = Sys.open(path, Sys.readWriteCreate, 0o644)
        guard fd >= 0 else { throw OpenError(description: "cannot open journal \(path): \(Sys.lastError)") }
        if let kind = Sys.fileKind(fd), kind != .regular {
            Sys.close(fd)
            throw OpenError(description: "journal \(path) is \(kind.article), not a file; give a file path (it is created if missing)")
        }
        if !Sys.lockExclusive(fd, wait: false) {
            Sys.close(fd)
            throw OpenError(description: "journal \(path) is in use by another herald run; wait for it to finish, or use another journal")
        }
        do {
            return try Journal(path: path, fd: fd)
        } catch {
            Sys.close(fd)
            throw error
        }
    }

    private init(path: String, fd: Int32) throws(OpenError) {
        self.path = path
        guard let bytes = Sys.readAll(fd) else {
            throw OpenError(description: "cannot read journal \(path): \(Sys.lastError)")
        }
        let notAJournal = "journal \(path) is not a Herald journal (a journal's first line is its run record); give a new path, or the journal of this job's run"
        var warnings: [String] = []
        var delivered = Set<String>()
        var uncertain = Set<String>()
        var recordedNow: Date?
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var goodLength = 0
        for (i, line) in lines.enumerated() {
            let isLast = i == lines.count - 1
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any],
                  let type = object["type"] as? String, object["run"] is String else {
                // Only a record's own beginning, cut short, is a torn tail; anything else is not ours.
                if isLast, i > 0, line.starts(with: Array(#"{"type":""#.utf8)) {
                    warnings.append("journal \(path): ignoring a torn last line (a run was killed while writing); its request will be sent again if it was not delivered")
                    break
                }
                throw OpenError(description: i == 0 ? notAJournal : "journal \(path): line \(i + 1) is not a journal record; is this the right file?")
            }
            if i == 0, type != "run" { throw OpenError(description: notAJournal) }
            if isLast, bytes.last != 0x0A {
                // A complete record without its newline: keep it, finish the line.
                goodLength += line.count
                guard Sys.write(fd, [0x0A], at: goodLength) else {
                    throw OpenError(description: "journal \(path): cannot repair it: \(Sys.lastError)")
                }
                goodLength += 1
            } else {
                goodLength += line.count + 1
            }
            let id = object["id"] as? String
            switch type {
            case "run":
                if recordedNow == nil {
                    recordedNow = (object["now_unix"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue) }
                }
            case "sending":
                if let id, !delivered.contains(id) { uncertain.insert(id) }
            case "outcome":
                guard let id else { break }
                switch object["status"] as? String {
                case "delivered":
                    delivered.insert(id)
                    uncertain.remove(id)
                case "uncertain":
                    if !delivered.contains(id) { uncertain.insert(id) }
                default:
                    uncertain.remove(id)
                }
            default:
                break
            }
        }
        // Drop a torn tail so the next record starts on a clean line.
        if goodLength != bytes.count, !Sys.truncate(fd, goodLength) {
            throw OpenError(description: "journal \(path): cannot repair it: \(Sys.lastError)")
        }
        self.deliveredIDs = delivered
        self.uncertainIDs = uncertain
        self.recordedNow = recordedNow
        self.warnings = warnings
        self.state = Locked(State(fd: fd, goodLength: goodLength, wasEmpty: bytes.isEmpty))
    }

    /// Releases the lock; later writes fail.
    public func close() {
        state.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            Sys.close(state.fd)
        }
    }

    /// A journal this process created and never wrote to (the job turned out invalid) is
    /// removed, so a failed start leaves nothing behind.
    public func removeIfUnused() {
        let unused = state.withLock { $0.wasEmpty && !$0.appended && $0.goodLength == 0 }
        close()
        if unused { Sys.unlink(path) }
    }

    deinit { close() }

    public func beginRun(job: String, now: Date) throws(OpenError) {
        let runID = UUID().uuidString.lowercased()
        state.withLock { $0.runID = runID }
        let zone = TimeZone(identifier: "UTC") ?? .current
        try append(["type": "run", "run": .string(runID), "job": .string(job), "now": .string(ISO8601.format(now, in: zone)),
                    "now_unix": .double(now.timeIntervalSince1970), "started": .string(ISO8601.format(Date(), in: zone))])
    }

    private var runID: String { state.withLock { $0.runID } }

    /// Before a request's first attempt: from here until its outcome record, a crash leaves it uncertain.
    public func recordSending(contentID: String, index: Int) throws(OpenError) {
        try append(["type": "sending", "run": .string(runID), "id": .string(contentID), "request": .int(index + 1)])
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

    /// One whole line, then fsync: the record is durable before the caller moves on. A record
    /// that failed half-way (a full disk) is cut off before the next is appended, so records
    /// are never joined.
    private func append(_ record: OrderedMap) throws(OpenError) {
        var bytes: [UInt8] = []
        JSONWriter.append(.map(record), to: &bytes)
        bytes.append(0x0A)
        let path = self.path
        let failure: OpenError? = state.withLock { state in
            guard !state.closed else { return OpenError(description: "journal \(path) is closed") }
            if Sys.fileEnd(state.fd) != state.goodLength, !Sys.truncate(state.fd, state.goodLength) {
                return OpenError(description: "cannot write journal \(path): \(Sys.lastError)")
            }
            guard Sys.write(state.fd, bytes, at: state.goodLength), Sys.sync(state.fd) else {
                let reason = Sys.lastError
                _ = Sys.truncate(state.fd, state.goodLength)
                return OpenError(description: "cannot write journal \(path): \(reason)")
            }
            state.goodLength += bytes.count
            state.appended = true
            return nil
        }
        if let failure { throw failure }
    }
}
