import Foundation
import Testing

@Suite struct InitAndSchemaTests {
    @Test func initWritesAStarterThatChecksAndDryRuns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-init-\(UUID().uuidString)")
        let first = try HeraldProcess.run(["init", dir.path])
        #expect(first.status == 0)
        for file in ["job.yaml", "templates/announcement.yaml", "templates/announcement.md", "vars/common.yaml", "herald-job.schema.json"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(file)")
        }
        let check = try HeraldProcess.run(["check", "job.yaml"], in: dir)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.isEmpty)
        let dry = try HeraldProcess.run(["send", "--dry-run", "job.yaml"], in: dir)
        #expect(dry.status == 0)
        #expect(dry.stdoutText.contains("First message sent with Herald"))
        // It never replaces files.
        let again = try HeraldProcess.run(["init", dir.path])
        #expect(again.status == 2)
        #expect(again.stderr.contains("does not replace files"))
    }

    @Test func schemaCommandPrintsTheCheckedInSchema() throws {
        let printed = try HeraldProcess.run(["schema"])
        let file = try Data(contentsOf: HeraldProcess.repoRoot.appendingPathComponent("schema/herald-job.schema.json"))
        #expect(printed.status == 0)
        #expect(printed.stdout == [UInt8](file), "run scripts/embed-schema.sh after editing the schema")
        let object = try JSONSerialization.jsonObject(with: file) as? [String: Any]
        #expect(object?["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    }
}
