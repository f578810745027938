import Foundation
@testable import HeraldCore
import HeraldSend
import HeraldTemplate
import HeraldTestSupport

let token = "tok en&SECRET/1"
let skSecret = "SK-SECRET-value"

func link(_ i: Int) -> String { "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEYSECRET-\(1000 + i)" }

/// A plan of `links` links with `messages` text messages each, batched by `batch`, links
/// interleaved in first-appearance order as the planner makes them.
func makePlan(endpoint: String, links: Int, messages: Int, batch: Int = 20, rateLimit: Int = 0, sk: Bool = false) -> Plan {
    var rendered: [RenderedMessage] = []
    for m in 0..<messages {
        for l in 0..<links {
            let body: Value = ["content": .string("link \(l) message \(m + 1)")]
            rendered.append(RenderedMessage(messageIndex: 1, rowNumber: m + 1, recipient: "r\(l)", link: link(l), sk: sk ? skSecret : nil,
                                            kind: .wecomText, body: body))
        }
    }
    return Plan(jobName: "test", endpoint: endpoint, now: Date(), rateLimit: rateLimit, requests: Planner.requests(for: rendered, maxBatch: batch))
}

func withRelay<T>(_ script: @escaping LoopbackRelay.Script = { _, _ in .accept }, _ body: (LoopbackRelay) async throws -> T) async throws -> T {
    try await withStarted(LoopbackRelay(script: script), body)
}

func options(timeout: Double = 5, retries: Int = 3, concurrency: Int = 8, rateWindow: Double = 60,
             proxy: ProxySettings = .none, tls: TLSSettings = .system, stateDirectory: String? = nil) -> SendOptions {
    SendOptions(accessToken: token, concurrency: concurrency, timeout: timeout, retries: retries, rateWindow: rateWindow,
                proxy: proxy, tls: tls, stateDirectory: stateDirectory)
}

/// A plan of `links` links to the in-memory relay (the endpoint is not used).
func memoryPlan(links: Int, messages: Int, batch: Int = 20, rateLimit: Int = 20) -> Plan {
    makePlan(endpoint: "memory://relay", links: links, messages: messages, batch: batch, rateLimit: rateLimit)
}

/// The most messages the relay saw for one link in any `window` seconds, counting each
/// request at `time` (say, when its answer left: the latest the server can have counted it).
func busiestWindow(_ times: [(time: Double, messages: Int)], window: Double) -> Int {
    let sorted = times.sorted { $0.time < $1.time }
    var best = 0
    for (i, first) in sorted.enumerated() {
        let inWindow = sorted[i...].prefix { $0.time < first.time + window }.reduce(0) { $0 + $1.messages }
        best = max(best, inWindow)
    }
    return best
}

/// A folder for state files, removed by nobody (the system's temporary folder).
func temporaryDirectory(_ name: String) -> String {
    let path = temporaryPath(name)
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Deterministic jitter: the middle of the range.
let halfJitter: @Sendable () -> Double = { 0.5 }

func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("herald-send-\(UUID().uuidString)-\(name)").path
}
