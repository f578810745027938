import Foundation
import HeraldTemplate

/// `--journal FILE`: append-only JSON lines recording each request's outcome by content id,
/// fsync'ed before that link's next request starts. A later run skips what was delivered;
/// while a run is unfinished, a resume reuses its `now` so the bytes are the same.
///
/// Records (no secrets; links appear masked):
/// `{"type":"run","run":ID,"job":NAME,"now":ISO,"now_unix":SECONDS,"started":ISO}`,
/// `{"type":"outcome","run":ID,"id":CONTENT_ID,"request":N,"status":…,"attempts":…,"http_status":…,"code":…}`,
/// `{"type":"finished","run":ID}` — written only when every request was delivered.
public final class Journal: Sendable {
    public let path: String
    /// Content ids delivered by earlier runs.
    public let deliveredIDs: Set<String>
    /// The `now` of the latest run that did not finish, to render the same bytes again.
    public let resumeNow: Date?
    /// Problems tolerated while reading (a torn last line after a crash).
    public let warnings: [String]

    /// The descriptor, whether it was closed, and the current run's id: all under one lock.
    private struct State {
        var fd: Int32
        var closed = false
        var runID = ""
    }
    private let state: Locked<State>

    public struct OpenError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func open(path: String) throws(OpenError) -> Journal {
        let fd = Sys.open(path, Sys.readWriteCreate, 0o644)
        guard fd >= 0 else { throw OpenError(description: "cannot open journal \(path): \(Sys.lastError)") }
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
        self.state = Locked(State(fd: fd))
        guard let bytes = Sys.readAll(fd) else {
            throw OpenError(description: "cannot read journal \(path): \(Sys.lastError)")
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
                _ = Sys.write(fd, [0x0A], at: goodLength)
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
        if !Sys.truncate(fd, goodLength) {
            throw OpenError(description: "journal \(path): cannot repair it: \(Sys.lastError)")
        }
        self.deliveredIDs = delivered
        self.warnings = warnings
        if let last = runs.last, !finished.contains(last.id) { resumeNow = last.now } else { resumeNow = nil }
    }

    /// Releases the lock; later writes fail.
    public func close() {
        state.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            Sys.close(state.fd)
        }
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
        let path = self.path
        let failure: OpenError? = state.withLock { state in
            guard !state.closed else { return OpenError(description: "journal \(path) is closed") }
            guard Sys.write(state.fd, bytes, at: Sys.fileEnd(state.fd)), Sys.sync(state.fd) else {
                return OpenError(description: "cannot write journal \(path): \(Sys.lastError)")
            }
            return nil
        }
        if let failure { throw failure }
    }

}
