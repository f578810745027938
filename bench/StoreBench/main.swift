// StoreBench [CALLERS] [SECONDS] [REQUESTS]: how many events a second the SQLite store accepts
// durably (WAL, synchronous=FULL, group commit) with CALLERS concurrent callers (default 64)
// for SECONDS (default 5), each event REQUESTS requests (default 1) of a ~300-byte body, in a
// new database under the temporary folder. A micro-check, not a test: docs/serving.md cites it.
import Foundation
import HeraldServe

@main
struct StoreBench {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
        let callers = arguments.first ?? 64
        let seconds = Double(arguments.dropFirst().first ?? 5)
        let perEvent = arguments.dropFirst(2).first ?? 1
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-storebench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await SQLiteStore.open(path: folder.appendingPathComponent("herald.sqlite").path)
        try await store.migrate()
        let body = Array((#"{"link":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0000","data":[{"msgtype":"markdown","markdown":{"content":""# + String(repeating: "x", count: 200) + #""}}]}"#).utf8)
        let start = Date()
        let deadline = start.addingTimeInterval(seconds)
        let accepted = await withTaskGroup(of: Int.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var count = 0
                    while Date() < deadline {
                        let requests = (0..<perEvent).map { part in
                            AcceptedEvent.Request(link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=\(caller % 16)-\(part)",
                                                  maskedLink: "https://qyapi.weixin.qq.com/…", platform: .wecom, body: body,
                                                  messageCount: 1, contentID: "\(caller)-\(count)-\(part)")
                        }
                        let event = AcceptedEvent(route: "bench", acceptedAt: Date(), dedupeKey: "\(caller)-\(count)", dedupeWindow: 600,
                                                  messages: perEvent, requests: requests)
                        guard (try? await store.accept(event)) != nil else { return count }
                        count += 1
                    }
                    return count
                }
            }
            var total = 0
            for await count in group { total += count }
            return total
        }
        let elapsed = Date().timeIntervalSince(start)
        let commits = store.writeTransactions
        await store.close()
        print(String(format: "%d callers, %d request(s) an event, dedupe on: %d events in %.2f s = %.0f events/s, %.1f events a commit",
                     callers, perEvent, accepted, elapsed, Double(accepted) / elapsed, Double(accepted) / Double(max(commits, 1))))
    }
}
