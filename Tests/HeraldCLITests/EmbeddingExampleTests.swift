import Foundation
import Testing

/// docs/embedding.md's example program is examples/embedding/main.swift (the EmbeddingExample
/// target): it builds, runs and prints what the doc says, and the doc holds it verbatim.
@Suite struct EmbeddingExampleTests {
    static let source = HeraldProcess.repoRoot.appendingPathComponent("examples/embedding/main.swift")
    static let program = HeraldProcess.built("EmbeddingExample")

    @Test func theDocHoldsTheProgramVerbatim() throws {
        let program = try String(contentsOf: Self.source, encoding: .utf8)
        let doc = try String(contentsOf: HeraldProcess.repoRoot.appendingPathComponent("docs/embedding.md"), encoding: .utf8)
        #expect(doc.contains("```swift\n" + program + "```\n"))
        #expect(program.split(separator: "\n").count <= 25)
    }

    @Test func itPlansTheWeeklyReportAndAJobBuiltInCode() throws {
        let run = try HeraldProcess.run([], executable: Self.program)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutText == """
            https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…00b1 440 bytes
            https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…00f1 408 bytes
            https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…00c1 444 bytes
            https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…00d1 389 bytes
            https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…KEY {"link":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY","data":[{"msgtype":"text","text":{"content":"api 2.4 is out"}}]}

            """)
    }

    @Test func itsBodiesAreTheDryRunsBytes() throws {
        let dryRun = try HeraldProcess.run(["send", "--dry-run", "examples/weekly-report/job.yaml",
                                            "--now", "2026-11-25T09:30:00+08:00", "--timezone", "Asia/Shanghai"])
        let sizes = dryRun.stdoutText.split(separator: "\n").map { "\($0.utf8.count) bytes" }
        let run = try HeraldProcess.run([], executable: Self.program)
        #expect(run.stdoutText.split(separator: "\n").prefix(4).map { String($0.split(separator: " ").dropFirst().joined(separator: " ")) } == sizes)
    }

    @Test func aBadJobFileIsItsDiagnosticsAndExit2() throws {
        let run = try HeraldProcess.run(["examples/no-such/job.yaml"], executable: Self.program)
        #expect(run.status == 2)
        #expect(run.stdoutText == "\(HeraldProcess.repoRoot.path)/examples/no-such/job.yaml:1:1: error: job file '\(HeraldProcess.repoRoot.path)/examples/no-such/job.yaml' does not exist\n")
    }
}
