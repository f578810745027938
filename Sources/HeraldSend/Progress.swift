import Foundation
import HeraldTemplate
import HeraldCore

/// Progress on stderr while sending: one redrawn line — requests done/total, failures,
/// requests in flight, links waiting by reason, and when the next one is due:
/// `herald: 12/45 requests · 1 failed · 3 sending · waiting: 30 pacing, 2 shared budget · next in 23s`.
/// The CLI enables it only when stderr is a terminal and not --quiet.
public final class Progress: Sendable {
    private struct State {
        var total = 0
        var done = 0
        var failed = 0
        var status: (@Sendable () -> LaneBoard.Status)?
    }
    private let state = Locked(State())
    private let write: @Sendable (String) -> Void
    private let live: Bool

    /// `live`: redraw a status line; warnings are written either way.
    public init(live: Bool, write: (@Sendable (String) -> Void)? = nil) {
        self.live = live
        self.write = write ?? { writeStandardError($0) }
    }

    func begin(total: Int, status: @escaping @Sendable () -> LaneBoard.Status) {
        state.withLock {
            $0.total = total
            $0.status = status
        }
        redraw()
    }

    func finished(_ outcome: RequestOutcome) {
        state.withLock {
            $0.done += 1
            if outcome.status == .failed { $0.failed += 1 }
        }
        redraw()
    }

    /// Lanes started or stopped waiting.
    func changed() { redraw() }

    public func warn(_ message: String) {
        clearLine()
        write("herald: warning: \(message)\n")
    }

    func end() {
        state.withLock { $0.status = nil }
        clearLine()
    }

    private func redraw() {
        guard live else { return }
        let (done, total, failed, provider) = state.withLock { ($0.done, $0.total, $0.failed, $0.status) }
        write("\r\u{1B}[K" + Self.line(done: done, total: total, failed: failed, status: provider?()))
    }

    static func line(done: Int, total: Int, failed: Int, status: LaneBoard.Status?) -> String {
        var text = "herald: \(done)/\(total) requests"
        if failed > 0 { text += " · \(failed) failed" }
        if let status {
            if status.sending > 0 { text += " · \(status.sending) sending" }
            let waiting = status.waiting.filter { $0.value > 0 }.sorted { $0.key < $1.key }
            if !waiting.isEmpty {
                text += " · waiting: " + waiting.map { "\($0.value) \($0.key == .concurrency ? "for a free slot" : $0.key.rawValue)" }.joined(separator: ", ")
            }
            if let next = status.nextIn, next > 0 { text += " · next in \(Int(next.rounded(.up)))s" }
        }
        return text
    }

    private func clearLine() {
        if live { write("\r\u{1B}[K") }
    }
}
