import Foundation
import Testing

/// Templates too large to keep as fixtures, made in a temporary folder: the engine's limits
/// hold through the CLI (exit 2, one diagnostic in the template's own file, nothing sent).
@Suite struct TemplateLimitTests {
    static let job = """
    version: 1
    vars: { a: true }
    recipients:
      a: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-0000000000e2" }
    messages:
      - to: a
        markdown: { content_file: deep.md }
    """

    func folder(template: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(Self.job.utf8).write(to: dir.appendingPathComponent("job.yaml"))
        try Data(template.utf8).write(to: dir.appendingPathComponent("deep.md"))
        return dir
    }

    @Test func aTemplateFileNestedAMillionDeepIsOneDiagnostic() throws {
        let dir = try folder(template: "# Deep\n" + String(repeating: "{{#a}}", count: 1_000_000) + "x" + String(repeating: "{{/a}}", count: 1_000_000))
        defer { try? FileManager.default.removeItem(at: dir) }
        for args in [["check", "job.yaml"], ["send", "--dry-run", "job.yaml"]] {
            // A hang guard, not a timing assertion: before the limit held this crashed or never finished.
            let result = try HeraldProcess.run(args, in: dir, timeout: 120)
            #expect(result.status == 2, "\(args)")
            #expect(result.stdout.isEmpty, "\(args)")
            #expect(result.stderr == "deep.md:2:601: error: '{{#a}}' nests sections deeper than 100 levels, the limit in one template: "
                + "close some before opening more, or move the inner ones into a partial\n", "\(args)")
        }
    }

    @Test func aMegabyteLineOfTagsIsCheckedWhole() throws {
        // 150k tags on one line, the last one broken: found, at its column.
        let count = 150_000
        let dir = try folder(template: String(repeating: "{{a}} ", count: count) + "{{a | nosuchfilter}}")
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try HeraldProcess.run(["check", "job.yaml"], in: dir, timeout: 120)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("deep.md:1:\(6 * count + 1): error: "), "\(result.stderr.prefix(300))")
        #expect(result.stderr.contains("nosuchfilter"))
    }
}
