import FuzzDriver
import Foundation
import HeraldCore

// libFuzzer target: job-file bytes in, diagnostics or a plan out — never a crash, a hang or
// unbounded memory. The job may name files; a folder beside it holds a CSV, a partial, a
// template, a PNG and JSON/YAML data files so that those paths are reached too.

let folder: URL = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-fuzz-job-\(getpid())")
    let files: [String: [UInt8]] = [
        "rows.csv": Array("team,owner,score\nops,\"Li, Wei\",3\ndev,\"multi\nline\",4\n".utf8),
        "footer.md": Array("-- {{job.name}}\n".utf8),
        "templates/report.yaml": Array("markdown:\n  content_file: report.md\n".utf8),
        "templates/report.md": Array("## {{title | default: \"Report\"}}\n{{#rows?}}- {{.}}\n{{/rows?}}".utf8),
        "chart.png": [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52],
        "rows.json": Array(#"[{"n": 1, "owner": "alice"}, {"n": 2e3, "owner": "bo"}]"#.utf8),
        "data.yaml": Array("version: 2.4.0\nnotes: [faster, safer]\n".utf8),
    ]
    for (name, bytes) in files {
        let url = dir.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(bytes).write(to: url)
    }
    return dir
}()

let options = PlanningOptions(now: Date(timeIntervalSince1970: 1_764_034_200), timeZone: TimeZone(identifier: "Asia/Shanghai") ?? .current,
                              environment: ["HOST": "example.com", "KDOCS_ACCESS_TOKEN": "fuzz-token"])

let planOnly: PlanningOptions = {
    var o = options
    o.keepsMessages = false
    return o
}()

func fuzzJobFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard case .success(let source) = SourceText.decode(bytes, path: "job.yaml", directory: folder) else { return 0 }
    let kept = JobPreparation.prepare(source: source, options: options)
    if case .success(let prepared) = kept {
        // What every output reads: keep it reachable so nothing is optimised away.
        _ = DryRunFormat.pretty.output(for: prepared, redact: true).count
    }
    // Differential: planning without keeping the messages sends the usual message down
    // MessageEncoder's content-only branch; the plan and the diagnostics must be the same.
    // Findings, not user input: libFuzzer needs a crash to report them.
    switch (kept, JobPreparation.prepare(source: source, options: planOnly)) {
    case (.success(let a), .success(let b)):
        if a.plan.requests != b.plan.requests || a.warnings != b.warnings { fatalError("the content-only branch plans differently") }
    case (.failure(let a), .failure(let b)):
        if a.diagnostics != b.diagnostics { fatalError("the content-only branch reports differently") }
    default:
        fatalError("the content-only branch succeeds where the general one fails, or the other way")
    }
    return 0
}

var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv, { data, size in fuzzJobFile(data, size) }))
