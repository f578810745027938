import Foundation

/// Progress on stderr while sending: one redrawn line (requests done/total, failures,
/// the current pacing wait). The CLI enables it only when stderr is a terminal and not --quiet.
public final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private let write: @Sendable (String) -> Void
    private let live: Bool
    private var total = 0
    private var done = 0
    private var failed = 0
    private var waiting: String?

    /// `live`: redraw a status line; warnings are written either way.
    public init(live: Bool, write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.live = live
        self.write = write
    }

    func begin(total: Int) {
        lock.withLock { self.total = total }
        redraw()
    }

    func finished(_ outcome: RequestOutcome) {
        lock.withLock {
            done += 1
            if outcome.status == .failed { failed += 1 }
            waiting = nil
        }
        redraw()
    }

    func waiting(seconds: Double, link: String) {
        let key = link.range(of: "key=").map { String(link[$0.upperBound...]) } ?? ""
        lock.withLock { waiting = "waiting \(Int(seconds.rounded(.up)))s (pacing \(key))" }
        redraw()
    }

    func warn(_ message: String) {
        clearLine()
        write("herald: warning: \(message)\n")
    }

    func end() { clearLine() }

    private func redraw() {
        guard live else { return }
        let line: String = lock.withLock {
            var text = "herald: \(done)/\(total) requests"
            if failed > 0 { text += " · \(failed) failed" }
            if let waiting { text += " · \(waiting)" }
            return text
        }
        write("\r\u{1B}[K" + line)
    }

    private func clearLine() {
        if live { write("\r\u{1B}[K") }
    }
}
