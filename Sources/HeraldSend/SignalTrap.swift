import Foundation
import HeraldTemplate
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Catches signals on one thread of Herald's own. `SignalThread.start()` (first thing in
/// `main`, before any other thread exists) blocks the stop signals, so every thread made later
/// has them blocked too, and one thread takes them with `sigwait`. Without a trap a signal does
/// what it always does (the process ends); with one, the trap's closure runs on that thread.
/// Neither Dispatch signal sources nor a handler that writes to a pipe were reliable: the
/// kernel hands a signal to any thread that does not block it, and one sitting in a call the
/// runtime does not watch (seen under ThreadSanitizer) held it until the run was over.
public final class SignalTrap: Sendable {
    private let signals: [Int32]
    private let id: Int

    /// Traps `signals` until `cancel()`; `onSignal` runs on the signal thread, once per signal.
    public init(signals: [Int32], onSignal: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        SignalThread.start()
        id = SignalThread.register(signals, onSignal)
    }

    /// The batch commands' rule: the first stop signal asks the run to stop (in-flight requests
    /// finish), a second one exits at once with 130.
    public convenience init(stopping onFirst: @escaping @Sendable () -> Void) {
        let count = Locked(0)
        self.init(signals: Sys.stopSignals) { _ in
            let n = count.withLock { $0 += 1; return $0 }
            if n == 1 { onFirst() } else { exit(130) }
        }
    }

    /// The signals do what they did before the trap (end the process).
    public func cancel() { SignalThread.unregister(id) }
}

/// The signal thread's pthread_t, for the handler: an atomic, which a handler may read.
private let signalThreadID = Atomic<UInt>(0)

private let forwardToSignalThread: @convention(c) (Int32) -> Void = { sig in
    let saved = errno
    let id = signalThreadID.load(ordering: .acquiring)
    if id != 0 { _ = pthread_kill(pthread_t(id), sig) }
    errno = saved
}

/// The one thread that takes the stop signals.
public enum SignalThread {
    private struct State {
        var started = false
        var nextID = 0
        /// The newest trap of a signal wins; a cancelled one uncovers the one before.
        var traps: [(id: Int, signals: [Int32], handler: @Sendable (Int32) -> Void)] = []
    }
    private static let state = Locked(State())

    /// Blocks the stop signals on the calling thread (and so on every thread it makes later)
    /// and starts the thread that waits for them. At the start of `main`; again is a no-op.
    public static func start() {
        let first = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        var set = Sys.signalSet(Sys.stopSignals)
        _ = pthread_sigmask(SIG_BLOCK, &set, nil)
        let ready = Locked(false)
        let thread = Thread {
            var set = Sys.signalSet(Sys.stopSignals)
            signalThreadID.store(UInt(pthread_self()), ordering: .releasing)
            ready.withLock(waitingUntil: { _ in true }) { $0 = true }
            while true {
                var sig: Int32 = 0
                guard sigwait(&set, &sig) == 0 else { continue }
                let handler = state.withLock { state in state.traps.last { $0.signals.contains(sig) }?.handler }
                if let handler { handler(sig) } else { Sys.actAsIfUntrapped(sig) }
            }
        }
        thread.name = "herald-signals"
        thread.start()
        ready.withLock(waitingUntil: { $0 }) { _ in }
        // A thread that was running before `start` has the signals unblocked: the handler hands
        // a signal that lands there on to the signal thread (pthread_kill may be called in one).
        for sig in Sys.stopSignals { Sys.setHandler(sig, forwardToSignalThread) }
    }

    static func register(_ signals: [Int32], _ handler: @escaping @Sendable (Int32) -> Void) -> Int {
        state.withLock { state in
            state.nextID += 1
            state.traps.append((state.nextID, signals, handler))
            return state.nextID
        }
    }

    static func unregister(_ id: Int) {
        state.withLock { $0.traps.removeAll { $0.id == id } }
    }
}
