import Foundation
import Testing

/// Broken jobs, one problem each: exit 2, nothing on stdout, and the exact first diagnostic.
@Suite struct ErrorCorpusTests {
    static let cases = FixtureFolder.all(in: "Tests/Fixtures/errors")

    @Test func corpusIsLarge() {
        #expect(Self.cases.count >= 30)
    }

    @Test(arguments: cases)
    func brokenJob(_ folder: FixtureFolder) throws {
        for command in ["check", "send"] {
            let args = command == "send" ? ["send", "--dry-run", "job.yaml"] : ["check", "job.yaml"]
            // A hang guard, not a timing assertion: the alias bomb and deep nesting must be refused, not expanded.
            let result = try HeraldProcess.run(args + folder.arguments, in: folder.url,
                                               environment: HeraldProcess.environment(folder.environment), timeout: 10)
            #expect(result.status == 2, "\(command): exit \(result.status)")
            #expect(result.stdout.isEmpty, "\(command): stdout not empty")
            let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
            let expectedFile = folder.url.appendingPathComponent("expected.txt")
            if updatingGoldenFiles, command == "check" { try Data((first + "\n").utf8).write(to: expectedFile) }
            let expected = try String(contentsOf: expectedFile, encoding: .utf8).split(separator: "\n").first.map(String.init)
            #expect(first == expected, "\(command)")
            #expect(!result.stderr.contains("Fatal error"), "crashed")
        }
    }
}
