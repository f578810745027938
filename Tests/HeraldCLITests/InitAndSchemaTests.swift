import Foundation
import Testing

@Suite struct InitAndSchemaTests {
    @Test func initWritesAStarterThatChecksAndDryRuns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-init-\(UUID().uuidString)")
        let first = try HeraldProcess.run(["init", dir.path])
        #expect(first.status == 0)
        for file in ["job.yaml", "templates/announcement.yaml", "templates/announcement.md", "vars/common.yaml", "data/services.csv",
                     "herald-job.schema.json"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(file)")
        }
        // As its first comment says: checks and dry-runs with no token and no webhook, the
        // unset webhook named once; a real send refuses, naming both, and sends nothing.
        let check = try HeraldProcess.run(["check", "job.yaml"], in: dir)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr == Self.starterWebhookWarning, "\(check.stderr)")
        let dry = try HeraldProcess.run(["send", "--dry-run", "job.yaml"], in: dir)
        #expect(dry.status == 0)
        #expect(dry.stderr == Self.starterWebhookWarning, "\(dry.stderr)")
        #expect(dry.stdoutText.hasPrefix(#"{"link":"${WECOM_TEAM_WEBHOOK}","data":"#), "\(dry.stdoutText)")
        #expect(dry.stdoutText.contains("First message sent with Herald"))
        // The digest: data/services.csv bound by vars_files, its first 5 rows in a table.
        #expect(dry.stdoutText.contains(#"| service | status |\n| --- | --- |\n| api | up |\n| web | up |\n| search | degraded |\n| billing | up |\n| queue | up |\n\n5 of 7 shown."#),
                "\(dry.stdoutText)")
        #expect(!dry.stdoutText.contains("| mail | down |"))
        let text = try String(contentsOf: dir.appendingPathComponent("job.yaml"), encoding: .utf8)
        #expect(text.contains("endpoint: ${HERALD_ENDPOINT:-https://developer.kdocs.cn/api/v1/openapi/notification/wecom}"))
        #expect(!text.contains("127.0.0.1"))
        let send = try HeraldProcess.run(["send", "job.yaml", "--endpoint", "http://127.0.0.1:9/api/v1/openapi/notification/wecom"], in: dir)
        #expect(send.status == 2)
        #expect(send.stderr.contains("'access_token': environment variable 'KDOCS_ACCESS_TOKEN' is not set; a real send needs it"), "\(send.stderr)")
        #expect(send.stderr.contains("'link' of recipient 'team': environment variable 'WECOM_TEAM_WEBHOOK' is not set; a real send needs it"))
        // It never replaces files.
        let again = try HeraldProcess.run(["init", dir.path])
        #expect(again.status == 2)
        #expect(again.stderr.contains("does not replace files"))
    }

    static let starterWebhookWarning = "job.yaml:38:11: warning: 'link' of recipient 'team': environment variable 'WECOM_TEAM_WEBHOOK' is not set; shown as '${WECOM_TEAM_WEBHOOK}' here, and a real send refuses until it is set\n"

    /// The commented DingTalk robot and `mention:` line work once uncommented as the comments say.
    @Test func starterCommentedPartsWorkWhenUncommented() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-init-\(UUID().uuidString)")
        #expect(try HeraldProcess.run(["init", dir.path]).status == 0)
        let job = dir.appendingPathComponent("job.yaml")
        let text = try String(contentsOf: job, encoding: .utf8)
        #expect(text.contains("#   platform: dingtalk"))
        #expect(text.contains("https://oapi.dingtalk.com/robot/send?access_token="))
        #expect(text.contains("# mention: alice"))
        #expect(text.contains("overflow: split"))
        let uncommented = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let body = line.drop { $0 == " " }
            let indented = body.count < line.count
            guard indented, ["# dingtalk:", "#   ", "# mention:"].contains(where: body.hasPrefix) else { return String(line) }
            return String(line[..<body.startIndex]) + body.dropFirst(2)
        }.joined(separator: "\n").replacingOccurrences(of: "everyone: [team]", with: "everyone: [team, dingtalk]")
        #expect(uncommented.components(separatedBy: "\n").count == text.components(separatedBy: "\n").count)
        try Data(uncommented.utf8).write(to: job)
        let check = try HeraldProcess.run(["check", "job.yaml"], in: dir)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.contains("environment variable 'DINGTALK_WEBHOOK' is not set"), "\(check.stderr)")
        #expect(check.stderr.split(separator: "\n").count == 2, "\(check.stderr)")
        let dry = try HeraldProcess.run(["send", "--dry-run", "job.yaml"], in: dir)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdoutText.contains(#""mentioned_list":["alice"]"#), "\(dry.stdoutText)")
        #expect(dry.stdoutText.contains(#"{"link":"${DINGTALK_WEBHOOK}","data":[{"msgtype":"markdown","markdown":{"title":"Starter 1.0 is out""#),
                "\(dry.stdoutText)")
        // With the webhook set, the link is DingTalk's, as the comment shows.
        let env = HeraldProcess.environment(["DINGTALK_WEBHOOK": "https://oapi.dingtalk.com/robot/send?access_token=0000",
                                             "WECOM_TEAM_WEBHOOK": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000000"])
        let set = try HeraldProcess.run(["send", "--dry-run", "job.yaml"], in: dir, environment: env)
        #expect(set.status == 0 && set.stderr.isEmpty, "\(set.stderr)")
        #expect(set.stdoutText.contains(#"{"link":"https://oapi.dingtalk.com/robot/send?access_token=0000","data":[{"msgtype":"markdown","markdown":{"title":"Starter 1.0 is out""#))
    }

    /// Each v1.1 key is in the schema with a description an editor can show.
    @Test func schemaDescribesTheV11Keys() throws {
        let file = try Data(contentsOf: HeraldProcess.repoRoot.appendingPathComponent("schema/herald-job.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: file) as? [String: Any])
        let top = try #require(schema["properties"] as? [String: [String: Any]])
        let defs = try #require(schema["$defs"] as? [String: [String: Any]])
        func property(_ def: String, _ key: String) -> [String: Any]? { (defs[def]?["properties"] as? [String: [String: Any]])?[key] }
        let keys: [(String, [String: Any]?)] = [
            ("overflow", top["overflow"]), ("dingtalk_endpoint", top["dingtalk_endpoint"]), ("people", top["people"]),
            ("vars_files", top["vars_files"]), ("platform", property("recipient", "platform")),
            ("message overflow", property("message", "overflow")), ("mention", property("message", "mention")),
            ("person", defs["person"]), ("varsFile", defs["varsFile"]), ("at", defs["at"]),
            ("link", defs["link"]), ("actionCard", defs["actionCard"]), ("feedCard", defs["feedCard"]), ("markdown", defs["markdown"]),
        ]
        for (name, value) in keys {
            let description = value?["description"] as? String ?? ""
            #expect(description.count >= 20, "\(name) needs a description")
        }
        #expect(top["overflow"]?["default"] as? String == "split")
        #expect(top["overflow"]?["enum"] as? [String] == ["split", "truncate", "error"])
        #expect((top["dingtalk_endpoint"]?["description"] as? String)?.contains("Default") == true)
        #expect((property("recipient", "platform")?["description"] as? String)?.contains("Default") == true)
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
