import Dispatch
import HeraldTemplate
import Foundation

/// SIGINT, SIGTERM, SIGHUP: the first asks the run to stop (in-flight requests finish), a
/// second one exits at once with 130. `init` returns once every signal is caught: Dispatch
/// arms a signal source asynchronously, and a signal that came between ignoring it and the
/// source being armed would be lost (seen on a loaded machine).
// @unchecked: `sources` is written only in init and then only cancelled, which Dispatch allows
// from any thread; the count is under its lock.
public final class SignalTrap: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let count = Locked(0)

    public init(onFirst: @escaping @Sendable () -> Void) {
        let armed = Locked(0)
        Sys.unblockStopSignals()
        for sig in Sys.stopSignals {
            Sys.setIgnored(sig, true)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setRegistrationHandler { armed.withLock(waitingUntil: { _ in true }) { $0 += 1 } }
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let n = self.count.withLock { $0 += 1; return $0 }
                if n == 1 { onFirst() } else { exit(130) }
            }
            source.resume()
            sources.append(source)
        }
        let all = Sys.stopSignals.count
        armed.withLock(waitingUntil: { $0 == all }) { _ in }
    }

    /// At start-up, before other threads exist: the stop signals are not blocked on any thread
    /// this process makes (threads take their creator's mask).
    public static func unblockStopSignals() { Sys.unblockStopSignals() }

    public func cancel() {
        for source in sources { source.cancel() }
        for sig in Sys.stopSignals { Sys.setIgnored(sig, false) }
    }
}
