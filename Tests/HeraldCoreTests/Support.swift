import Foundation
@testable import HeraldCore
import HeraldTemplate

/// Prepares a job written in the test, in a temporary folder (for files it names).
func prepare(_ yaml: String, files: [String: [UInt8]] = [:], options: PlanningOptions = PlanningOptions(
    now: ISO8601.parse("2026-11-25T09:30:00+08:00"), timeZone: TimeZone(identifier: "Asia/Shanghai") ?? .current,
    environment: [:])) throws -> Result<PreparedJob, HeraldError> {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-core-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, bytes) in files {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }
    switch SourceText.decode(Array(yaml.utf8), path: "job.yaml", directory: dir) {
    case .failure(let d): return .failure(HeraldError([d]))
    case .success(let source): return JobPreparation.prepare(source: source, options: options)
    }
}

func firstError(_ result: Result<PreparedJob, HeraldError>) -> String? {
    if case .failure(let e) = result { return e.diagnostics.first { $0.severity == .error }?.description }
    return nil
}

func bodies(_ result: Result<PreparedJob, HeraldError>) -> [String] {
    guard case .success(let p) = result else { return [] }
    return p.plan.requests.map { String(decoding: $0.body, as: UTF8.self) }
}
