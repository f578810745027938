import Foundation
import Testing

/// The job schema checked with a real validator (check-jsonschema, installed by .ci/run):
/// every example and golden job passes; the error corpus's schema-level cases fail it.
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

    @Test func examplesPointEditorsAtTheSchema() throws {
        for folder in FixtureFolder.all(in: "examples") {
            let first = try String(contentsOf: folder.url.appendingPathComponent("job.yaml"), encoding: .utf8).split(separator: "\n").first
            #expect(first == "# yaml-language-server: $schema=../../schema/herald-job.schema.json", "\(folder.name)")
        }
    }
}
