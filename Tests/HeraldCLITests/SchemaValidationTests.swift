import Foundation
import Testing

/// The job schema checked with a real validator (check-jsonschema, installed by .ci/run):
/// every example and golden job passes; the error corpus's schema-level cases fail it.
/// Tests/Fixtures/schema holds v1.1 jobs (docs/job-file.md and docs/platforms.md): `valid/` pass both the schema and
/// `herald check`, `invalid/` fail both (each names the schema error it expects on line 1).
@Suite struct SchemaValidationTests {
    static let validator: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/check-jsonschema" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
    static let required = ProcessInfo.processInfo.environment["CI"] != nil
    static let schema = HeraldProcess.repoRoot.appendingPathComponent("schema/herald-job.schema.json").path

    /// Structure the schema can see (types, keys, required, ranges, counts).
    static let schemaLevelErrors = ["03-wrong-type-max-batch", "04-wrong-type-recipients", "05-unknown-top-level-key",
                                    "06-unknown-recipient-key", "07-unknown-message-key", "08-missing-messages", "09-missing-link",
                                    "10-version-2", "19-max-batch-0", "20-max-batch-21", "23-news-9-articles", "30-two-msgtypes",
                                    "31-template-and-inline", "32-empty-to", "41-rate-limit-negative",
                                    "44-mentioned-list-not-strings", "47-unknown-msgtype"]

    func validate(_ files: [String]) throws -> HeraldProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.validator, "check-jsonschema is not installed (pip install check-jsonschema)"))
        process.arguments = ["--schemafile", Self.schema] + files
        process.currentDirectoryURL = HeraldProcess.repoRoot
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return HeraldProcessResult(status: process.terminationStatus, output: text)
    }

    struct HeraldProcessResult { var status: Int32; var output: String }

    @Test(.enabled(if: validator != nil || required, "needs check-jsonschema"))
    func examplesAndGoldenJobsValidate() throws {
        let jobs = (FixtureFolder.all(in: "examples") + FixtureFolder.all(in: "Tests/Fixtures/golden")).map { $0.url.appendingPathComponent("job.yaml").path }
        #expect(jobs.count >= 35)
        let result = try validate(jobs)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test(.enabled(if: validator != nil || required, "needs check-jsonschema"), arguments: schemaLevelErrors)
    func schemaLevelBrokenJobsFail(_ name: String) throws {
        let result = try validate(["Tests/Fixtures/errors/\(name)/job.yaml"])
        #expect(result.status != 0, "\(name) passed the schema")
    }

    /// Job files of a folder under Tests/Fixtures/schema, relative to the repository.
    static func jobs(_ folder: String) -> [String] {
        let dir = "Tests/Fixtures/schema/\(folder)"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: HeraldProcess.repoRoot.appendingPathComponent(dir).path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { "\(dir)/\($0)" }
    }

    @Test(.enabled(if: validator != nil || required, "needs check-jsonschema"))
    func v11JobsValidate() throws {
        let jobs = Self.jobs("valid")
        #expect(jobs.count >= 4)
        let result = try validate(jobs)
        #expect(result.status == 0, "\(result.output)")
    }

    /// The schema must not accept what Herald refuses, nor the other way round.
    @Test(arguments: jobs("valid"))
    func v11JobsPassHeraldCheck(_ job: String) throws {
        let check = try HeraldProcess.run(["check", job])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.isEmpty, "\(check.stderr)")
    }

    @Test(.enabled(if: validator != nil || required, "needs check-jsonschema"), arguments: jobs("invalid"))
    func v11BrokenJobsFailTheSchemaAndCheck(_ job: String) throws {
        let text = try String(contentsOf: HeraldProcess.repoRoot.appendingPathComponent(job), encoding: .utf8)
        let expected = try #require(text.split(separator: "\n").first.flatMap { line in
            line.hasPrefix("# schema error: ") ? String(line.dropFirst("# schema error: ".count)) : nil
        }, "\(job) must start with '# schema error: …'")
        let result = try validate([job])
        #expect(result.status != 0, "\(job) passed the schema")
        #expect(result.output.contains(expected), "\(result.output)")
        let check = try HeraldProcess.run(["check", job])
        #expect(check.status == 2, "\(job): herald check exited \(check.status)")
        #expect(check.stderr.contains("error:"), "\(check.stderr)")
    }

    @Test func examplesPointEditorsAtTheSchema() throws {
        for folder in FixtureFolder.all(in: "examples") {
            let first = try String(contentsOf: folder.url.appendingPathComponent("job.yaml"), encoding: .utf8).split(separator: "\n").first
            #expect(first == "# yaml-language-server: $schema=../../schema/herald-job.schema.json", "\(folder.name)")
        }
    }
}
