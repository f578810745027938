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

    /// The whole pipeline — expansion streamed from its own thread in batches, rendering on
    /// several threads — plans exactly what expanding, rendering and planning one after the
    /// other on one thread does, warnings included, for a job of several batches.
    @Test func streamedPipelineEqualsTheSequentialOne() throws {
        let rows = (1...4700).map(String.init).joined(separator: ", ")
        let yaml = """
        version: 1
        max_batch: 7
        recipients:
          a: { link: "https://h/a?key=1" }
          b: { link: "https://h/b?key=2" }
        messages:
          - to: [b, a]
            for_each: [\(rows)]
            markdown_v2: { content: "<font>{{row}}</font> to {{recipient.name}}" }
        """
        let dir = FileManager.default.temporaryDirectory
        guard case .success(let source) = SourceText.decode(Array(yaml.utf8), path: "job.yaml", directory: dir) else {
            Issue.record("decode"); return
        }
        let options = PlanningOptions(now: Date(timeIntervalSince1970: 0), timeZone: TimeZone(identifier: "UTC") ?? .current, environment: [:])
        guard case .success(let prepared) = JobPreparation.prepare(source: source, options: options) else { Issue.record("prepare"); return }

        var log = DiagnosticLog()
        guard let job = JobLoader(environment: [:]).load(source, log: &log) else { Issue.record("load"); return }
        let run = RunContext(now: Date(timeIntervalSince1970: 0), timeZone: TimeZone(identifier: "UTC") ?? .current)
        let scopes = ScopeBuilder(job: job, run: run)
        let envelopes = Expander(job: job, run: run, scopes: scopes).expand(only: nil, log: &log)
        var messages: [RenderedMessage] = []
        RenderingPass(job: job, scopes: scopes, workers: 1).run(envelopes, log: &log) { messages.append($0) }

        #expect(envelopes.count == 9400)
        #expect(prepared.messages.map(\.json) == messages.map(\.json))
        #expect(prepared.plan.requests == Planner.requests(for: messages, maxBatch: 7))
        #expect(prepared.warnings == log.sorted(primaryPath: "job.yaml"))
        #expect(prepared.warnings.count == 9400)
    }

    @Test func slicesCoverTheRangeInOrder() {
        #expect(RenderingPass.split(0..<10, into: 3) == [0..<4, 4..<8, 8..<10])
        #expect(RenderingPass.split(5..<6, into: 4) == [5..<6])
    }
}
