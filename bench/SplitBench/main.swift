import Foundation
import HeraldCore

// Splitting a 1 MB markdown report (headings, a fenced block, a table, CJK lines) into WeCom
// markdown parts of 4096 bytes: the median of rounds, in milliseconds. `--smoke` runs once.
let smoke = CommandLine.arguments.contains("--smoke")
var report = "## Nightly digest\n\n```\nraw log excerpt\n"
report += String(repeating: "2026-11-28T03:00:00Z worker-7 ok latency=12ms\n", count: 400)
report += "```\n\n| service | status | p95 | note |\n|---|:---:|---:|---|\n"
var i = 0
while report.utf8.count < 1_000_000 {
    report += i % 5 == 0 ? "| svc-\(i) | 🟢 ok | \(i % 97) ms | 服务运行正常，无告警 |\n" : "| svc-\(i) | ok | \(i % 97) ms | - |\n"
    i += 1
}
let rounds = smoke ? 1 : 21
var times: [Double] = []
var parts = 0
for _ in 0..<rounds {
    let start = DispatchTime.now().uptimeNanoseconds
    switch LongFieldSplitter.split(report, limit: 4096, syntax: .markdown) {
    case .success(let p): parts = p.count
    case .failure(let f):
        print("split: failed: \(f.message)")
        exit(1)
    }
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
}
times.sort()
print(String(format: "split: %.2f ms (1 MB markdown report into %d parts of ≤ 4096 bytes, median of %d)", times[times.count / 2], parts, rounds))
