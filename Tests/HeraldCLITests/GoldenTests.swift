import Foundation
import Testing

/// Exact bytes: the dry-run output of each focused job and each example, compared byte for
/// byte with a checked-in file.
@Suite struct GoldenTests {
    static let fixtures = FixtureFolder.all(in: "Tests/Fixtures/golden")
    static let examples = FixtureFolder.all(in: "examples")

    @Test func thereAreGoldenCasesAndExamples() {
        #expect(Self.fixtures.count >= 25)
        #expect(Self.examples.count >= 6)
    }

    @Test(arguments: fixtures)
    func focusedJob(_ folder: FixtureFolder) throws {
        let result = try HeraldProcess.run(["send", "--dry-run", "job.yaml"] + folder.arguments, in: folder.url,
                                           environment: HeraldProcess.environment(folder.environment))
        try compare(result, expected: folder.url.appendingPathComponent("expected.jsonl"),
                    expectedStderr: folder.url.appendingPathComponent("expected.stderr"))
    }

    /// Examples run from the repository root, as the README shows them.
    @Test(arguments: examples)
    func example(_ folder: FixtureFolder) throws {
        let job = "examples/\(folder.name)/job.yaml"
        let args = ["send", "--dry-run", job, "--now", "2026-11-25T09:30:00+08:00", "--timezone", "Asia/Shanghai"] + folder.lines("golden-args")
        let result = try HeraldProcess.run(args, environment: HeraldProcess.environment(folder.environment))
        let expected = HeraldProcess.repoRoot.appendingPathComponent("Tests/Fixtures/examples/\(folder.name).jsonl")
        try compare(result, expected: expected, expectedStderr: expected.deletingPathExtension().appendingPathExtension("stderr"))
    }

    private func compare(_ result: HeraldProcess.Result, expected: URL, expectedStderr: URL) throws {
        if updatingGoldenFiles {
            try Data(result.stdout).write(to: expected)
            if result.stderr.isEmpty { try? FileManager.default.removeItem(at: expectedStderr) } else { try Data(result.stderr.utf8).write(to: expectedStderr) }
        }
        #expect(result.status == 0, "exit \(result.status): \(result.stderr)")
        let want = try [UInt8](Data(contentsOf: expected))
        #expect(result.stdout == want, "stdout differs from \(expected.lastPathComponent):\n\(firstDifference(result.stdout, want))")
        let wantStderr = (try? String(contentsOf: expectedStderr, encoding: .utf8)) ?? ""
        #expect(result.stderr == wantStderr)
        // Every line is one compact JSON request body that parses.
        for line in result.stdout.split(separator: 0x0A) {
            let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            #expect(object?["link"] is String)
            #expect(object?["data"] is [Any])
        }
    }

    private func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let i = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        let context = { (x: [UInt8]) in String(decoding: x[max(0, i - 40)..<min(x.count, i + 40)], as: UTF8.self) }
        return "at byte \(i): got …\(context(a))… expected …\(context(b))…"
    }
}
