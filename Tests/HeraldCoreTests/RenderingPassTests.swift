import Foundation
@testable import HeraldCore
import HeraldTemplate
import Testing

/// Rendering on several threads must give exactly the messages and diagnostics of one thread.
@Suite struct RenderingPassTests {
    @Test func parallelRenderingEqualsSequentialRendering() throws {
        let rows = (1...1500).map { i in i % 500 == 0 ? "{n: \(i)}" : "{n: \(i), who: u\(i)}" }.joined(separator: ", ")
        let yaml = """
        version: 1
        recipients:
          a: { link: "https://h/a?key=1" }
          b: { link: "https://h/b?key=2" }
        messages:
          - to: [a, b]
            for_each: [\(rows)]
            markdown_v2: { content: '<font>{{row.n}} {{row.who | default: "nobody"}}</font>' }
          - to: b
            for_each: [\(rows)]
            text: { content: "{{row.who}}" }
        """
        let dir = FileManager.default.temporaryDirectory
        guard case .success(let source) = SourceText.decode(Array(yaml.utf8), path: "job.yaml", directory: dir) else {
            Issue.record("decode"); return
        }
        var loadLog = DiagnosticLog()
        let loader = JobLoader(environment: [:])
        guard let job = loader.load(source, log: &loadLog) else { Issue.record("\(loadLog.diagnostics)"); return }
        let run = RunContext(now: Date(timeIntervalSince1970: 0), timeZone: TimeZone(identifier: "UTC") ?? .current, overrides: OrderedMap())
        let scopes = ScopeBuilder(job: job, run: run)
        let envelopes = Expander(job: job, run: run, scopes: scopes).expand(only: nil, log: &loadLog)
        #expect(loadLog.diagnostics.isEmpty)
        #expect(envelopes.count == 4500)

        func outcome(_ pass: RenderingPass) -> (json: [[UInt8]], diagnostics: [Diagnostic]) {
            var log = DiagnosticLog(limit: 10_000)
            var json: [[UInt8]] = []
            pass.run(envelopes, log: &log) { json.append($0.json) }
            return (json, log.diagnostics)
        }
        let sequential = outcome(RenderingPass(job: job, scopes: scopes, workers: 1))
        let parallel = outcome(RenderingPass(job: job, scopes: scopes, workers: 3, batchSize: 700, minimumSlice: 1))
        // Rows without `who` fail in the text message: three errors at one position, reported once.
        #expect(sequential.json.count == 4500 - 3)
        #expect(sequential.diagnostics.filter { $0.severity == .error }.count == 1)
        #expect(sequential.diagnostics.filter { $0.severity == .warning }.count == 3000)
        #expect(parallel.json == sequential.json)
        #expect(parallel.diagnostics == sequential.diagnostics)
    }

    @Test func slicesCoverTheRangeInOrder() {
        #expect(RenderingPass.split(0..<10, into: 3) == [0..<4, 4..<8, 8..<10])
        #expect(RenderingPass.split(5..<6, into: 4) == [5..<6])
    }
}
