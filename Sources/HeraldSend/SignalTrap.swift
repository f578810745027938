import Foundation
import Synchronization
import HeraldTemplate

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Catches signals with `sigaction`: the handler writes the signal's number to a pipe (the one
/// thing a handler may safely do) and a thread of the trap reads it and calls `onSignal` there.
/// Dispatch signal sources were not used: on Linux they read a signalfd, which only sees a
/// signal blocked on every thread, so one the kernel gave an unblocked thread was ignored
/// (seen as a lost SIGINT when many threads ran). One trap at a time in a process.
// No @unchecked: every stored property is a constant of a Sendable type.
public final class SignalTrap: Sendable {
    private let signals: [Int32]
    private let writeEnd: Int32

    /// Traps `signals` until `cancel()`; `onSignal` runs on the trap's thread, once per signal received.
    public init(signals: [Int32], onSignal: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) != 0 { ends = [-1, -1] }
        let readEnd = ends[0]
        writeEnd = ends[1]
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        // A full pipe drops a signal rather than block the handler.
        _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
        let reader = Thread {
            var byte: UInt8 = 0
            while true {
                let n = read(readEnd, &byte, 1)
                if n == 1 && byte != 0 { onSignal(Int32(byte)); continue }
                if n < 0 && errno == EINTR { continue }
                break
            }
        }
        reader.name = "herald-signals"
        reader.start()
        signalWriteEnd.store(writeEnd, ordering: .releasing)
        Sys.unblock(signals)
        for sig in signals { Sys.setHandler(sig, signalHandler) }
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

    /// At start-up, before other threads exist, so every thread lets the stop signals through.
    public static func unblockStopSignals() { Sys.unblock(Sys.stopSignals) }

    /// Restores the default actions; the trap's thread ends. The pipe stays open: a handler
    /// running on another thread at this moment may still write to it.
    public func cancel() {
        for sig in signals { Sys.setHandler(sig, SIG_DFL) }
        signalWriteEnd.store(-1, ordering: .releasing)
        var stop: UInt8 = 0
        _ = write(writeEnd, &stop, 1)
    }
}

/// The write end the handler writes to: an atomic, which a handler may read.
private let signalWriteEnd = Atomic<Int32>(-1)

private let signalHandler: @convention(c) (Int32) -> Void = { sig in
    let saved = errno
    var byte = UInt8(truncatingIfNeeded: sig)
    _ = write(signalWriteEnd.load(ordering: .acquiring), &byte, 1)
    errno = saved
}
