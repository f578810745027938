import Foundation
import HeraldTemplate

/// What `/readyz` and the intake ask: is the server draining, did the store last answer.
package final class ServerState: Sendable {
    private struct State {
        var draining = false
        var storeAnswers = true
    }
    private let state = Locked(State())

    package init() {}

    package var isDraining: Bool { state.withLock { $0.draining } }
    package var storeAnswers: Bool { state.withLock { $0.storeAnswers } }
    package func startDraining() { state.withLock { $0.draining = true } }
    package func storeFailed() { state.withLock { $0.storeAnswers = false } }
    package func storeAnswered() { state.withLock { $0.storeAnswers = true } }
}
