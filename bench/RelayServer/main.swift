import Foundation
import HeraldTestSupport

// A loopback stand-in for the KDocs relay: `herald-relay [--delay SECONDS] [--threads N]`.
// Prints "PORT" on its first line, then answers every POST with {"code":0,"data":{}}.
// Used by the sending benchmark and by tests that run the herald binary.
let args = CommandLine.arguments
func value(_ flag: String) -> String? { args.firstIndex(of: flag).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
let delay = value("--delay").flatMap(Double.init) ?? 0
let threads = value("--threads").flatMap(Int.init) ?? 1
let relay = LoopbackRelay(threads: threads) { _, _ in
    delay > 0 ? .respondAfter(seconds: delay, status: 200, headers: [("Content-Type", "application/json")], body: #"{"code":0,"data":{}}"#) : .accept
}
try await relay.start()
FileHandle.standardOutput.write(Data("\(relay.port)\n".utf8))
while true { try await Task.sleep(for: .seconds(3600)) }
