// herald-store-crash STORE_PATH: accepts events into the SQLite store at STORE_PATH from 8
// tasks at once, forever, printing each event's id on its own line once `accept` has
// returned. StoreCrashTests kill -9s it and checks every printed id is in the reopened store.
import Foundation
import HeraldServe

@main
struct StoreCrashChild {
    static func main() async {
        guard CommandLine.arguments.count == 2 else {
            FileHandle.standardError.write(Data("usage: herald-store-crash STORE_PATH\n".utf8))
            exit(2)
        }
        do {
            let store = try await SQLiteStore.open(path: CommandLine.arguments[1])
            try await store.migrate()
            let printer = LinePrinter()
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var n = 0
                        while true {
                            n += 1
                            let requests = (0..<3).map { part in
                                AcceptedEvent.Request(link: "https://example.invalid/robot?key=\(worker)", maskedLink: "https://example.invalid/robot?key=***",
                                                      platform: .wecom, body: Array(#"{"worker":\#(worker),"n":\#(n),"part":\#(part)}"#.utf8),
                                                      messageCount: 1, contentID: "\(worker)-\(n)-\(part)")
                            }
                            let event = AcceptedEvent(route: "crash", acceptedAt: Date(), messages: 3, requests: requests)
                            guard case .accepted(let id, _) = try? await store.accept(event) else { exit(1) }
                            printer.print("\(id)")
                        }
                    }
                }
            }
        } catch {
            FileHandle.standardError.write(Data("herald-store-crash: \(error)\n".utf8))
            exit(1)
        }
    }
}

/// Whole lines straight to the descriptor: nothing buffered that a kill -9 could lose after
/// the line was counted as printed.
final class LinePrinter: Sendable {
    private let lock = NSLock()

    func print(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        let bytes = Array((line + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if n <= 0 { exit(1) }
            written += n
        }
    }
}
