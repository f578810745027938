import HeraldTestSupport
import Foundation
@testable import HeraldCore
import HeraldTemplate
import Testing

/// The executor on several threads must give exactly the messages and diagnostics of the
/// sequential definition (`Pipeline.runSequentially`).
@Suite struct PipelineExecutorTests {
    @Test func parallelRenderingEqualsSequentialRendering() throws {
        let rows = (1...1500).map { i in i % 500 == 0 ? "{n: \(i)}" : "{n: \(i), who: u\(i)\(i % 7 == 0 ? ", big: true" : "")}" }.joined(separator: ", ")
        let yaml = """
        version: 1
        recipients:
          a: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1" }
          b: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=2" }
        messages:
          - to: [a, b]
            for_each: [\(rows)]
            markdown_v2: { content: '<font>{{row.n}} {{row.who | default: "nobody"}}</font>' }
          - to: b
            for_each: [\(rows)]
            text: { content: "{{row.who}}" }
          - to: a
            vars: { pad: "\(String(repeating: "padding ", count: 300))" }
            for_each: [\(rows)]
            text: { content: "{{row.n}}{{#row.big?}}{{pad}}{{/row.big}}" }
        """
        let dir = FileManager.default.temporaryDirectory
        guard case .success(let source) = SourceText.decode(Array(yaml.utf8), path: "job.yaml", directory: dir) else {
            Issue.record("decode"); return
        }
        var loadLog = DiagnosticLog()
        let loader = JobLoader(environment: [:])
        guard let job = loader.load(source, log: &loadLog) else { Issue.record("\(loadLog.diagnostics)"); return }
        let run = RunContext(now: Date(timeIntervalSince1970: 0), timeZone: TimeZone(identifier: "UTC") ?? .current, overrides: OrderedMap())
        let pipeline = Pipeline(job: job, run: run, only: nil)
        #expect(loadLog.diagnostics.isEmpty)

        func outcome(_ executor: PipelineExecutor) -> (json: [[UInt8]], diagnostics: [Diagnostic]) {
            var log = DiagnosticLog(limit: 10_000)
            var json: [[UInt8]] = []
            executor.run(pipeline, log: &log) { json.append(Array($0.json)) }
            return (json, log.diagnostics)
        }
        var threaded = PipelineExecutor(threads: 3)
        threaded.batchSize = 700
        threaded.minimumSlice = 1
        let sequential = outcome(PipelineExecutor(threads: 1))
        let parallel = outcome(threaded)
        // Rows without `who` fail in the text message: three errors at one position, reported
        // once. Every 7th row of the third message is 2,400 bytes of text: two parts, one warning.
        let bigRows = (1...1500).filter { $0 % 7 == 0 && $0 % 500 != 0 }.count
        #expect(sequential.json.count == 6000 - 3 + bigRows)
        #expect(sequential.diagnostics.filter { $0.severity == .error }.count == 1)
        #expect(sequential.diagnostics.filter { $0.severity == .warning }.count == 3000 + 1)
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
          a: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1" }
          b: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=2" }
        messages:
          - to: [b, a]
            for_each: [\(rows)]
            markdown_v2: { content: "<font>{{row}}</font> to {{recipient.name}}" }
        """
        let dir = FileManager.default.temporaryDirectory
        guard case .success(let source) = SourceText.decode(Array(yaml.utf8), path: "job.yaml", directory: dir) else {
            Issue.record("decode"); return
        }
        var options = PlanningOptions(now: Date(timeIntervalSince1970: 0), timeZone: TimeZone(identifier: "UTC") ?? .current, environment: [:])
        options.threads = 2
        guard case .success(let prepared) = JobPreparation.prepare(source: source, options: options) else { Issue.record("prepare"); return }

        var log = DiagnosticLog()
        guard let job = JobLoader(environment: [:]).load(source, log: &log) else { Issue.record("load"); return }
        let run = RunContext(now: Date(timeIntervalSince1970: 0), timeZone: TimeZone(identifier: "UTC") ?? .current)
        var messages: [RenderedMessage] = []
        Pipeline(job: job, run: run, only: nil).runSequentially(log: &log) { if let m = $0.kept { messages.append(m) } }

        #expect(messages.count == 9400)
        #expect(prepared.messages.map(\.json) == messages.map(\.json))
        #expect(prepared.plan.requests == Planner.requests(for: messages, maxBatch: 7))
        #expect(prepared.warnings == log.sorted(primaryPath: "job.yaml"))
        #expect(prepared.warnings.count == 9400)
    }

    @Test func slicesCoverTheRangeInOrder() {
        #expect(PipelineExecutor.split(0..<10, into: 3) == [0..<4, 4..<8, 8..<10])
        #expect(PipelineExecutor.split(5..<6, into: 4) == [5..<6])
    }
}
