import Foundation
import Testing

/// The CLI contract of docs/sending.md that is not about bytes: streams, exit codes, formats.
@Suite struct CommandTests {
    static let job = """
    version: 1
    name: cli-test
    vars: { product: Herald }
    recipients:
      ops: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY-0001", sk: "SIGNING-SECRET" }
      dev: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY-0002" }
    groups: { all: [ops, dev] }
    messages:
      - to: all
        text: { content: "Hello from {{product}}" }
      - to: dev
        markdown: { content: "**{{product}}** it's {{today}}" }
    """

    func folder(_ files: [String: String] = ["job.yaml": job]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    let fixed = ["--now", "2026-11-25T09:30:00+08:00", "--timezone", "Asia/Shanghai"]

    @Test func versionAndHelp() throws {
        let version = try HeraldProcess.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdoutText.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil)
        for command in ["send", "check", "render", "plan"] {
            let help = try HeraldProcess.run([command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdoutText.contains("Example"), "\(command) --help shows an example")
        }
    }

    @Test func usageErrorsExit2WithNothingOnStdout() throws {
        for args in [["send"], ["send", "job.yaml", "--bogus"], ["send", "--dry-run", "j.yaml", "--now", "yesterday"],
                     ["plan", "j.yaml", "--timezone", "Mars/Base"], ["send", "j.yaml", "--format", "pretty"], ["frobnicate"]] {
            let r = try HeraldProcess.run(args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stdout.isEmpty, "\(args)")
            #expect(!r.stderr.isEmpty, "\(args)")
        }
    }

    @Test func jobFromStandardInput() throws {
        let dir = try folder()
        let fromFile = try HeraldProcess.run(["send", "--dry-run", "job.yaml"] + fixed, in: dir)
        let fromStdin = try HeraldProcess.run(["send", "--dry-run", "-"] + fixed, in: dir, stdin: Array(Self.job.utf8))
        #expect(fromFile.status == 0 && fromStdin.status == 0)
        #expect(fromStdin.stdout == fromFile.stdout)
        #expect(fromFile.stdoutText.split(separator: "\n").count == 2)
        #expect(fromFile.stderr.isEmpty)
    }

    @Test func checkPrintsASummaryAndNothingElse() throws {
        let r = try HeraldProcess.run(["check", "job.yaml"] + fixed, in: try folder())
        #expect(r.status == 0)
        #expect(r.stdoutText == "job.yaml: ok — 3 messages in 2 requests to 2 links\n")
        #expect(r.stderr.isEmpty)
    }

    @Test func planMasksKeysAndNeverShowsSecrets() throws {
        let dir = try folder()
        let table = try HeraldProcess.run(["plan", "job.yaml"] + fixed, in: dir)
        #expect(table.status == 0)
        #expect(table.stdoutText.contains("key=…0001"))
        let json = try HeraldProcess.run(["plan", "job.yaml", "--format", "json"] + fixed, in: dir)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any]
        let requests = object?["requests"] as? [[String: Any]]
        #expect(requests?.count == 2)
        #expect(requests?.first?["messages"] as? Int == 1)
        for output in [table.stdoutText, json.stdoutText] {
            #expect(!output.contains("SECRETKEY") && !output.contains("SIGNING-SECRET"))
        }
    }

    @Test func renderTextAndJSON() throws {
        let dir = try folder()
        let text = try HeraldProcess.run(["render", "job.yaml"] + fixed, in: dir)
        #expect(text.stdoutText.contains("**Herald** it's 2026-11-25"))
        #expect(text.stdoutText.contains("→ ops"))
        let json = try HeraldProcess.run(["render", "job.yaml", "--format", "json"] + fixed, in: dir)
        let lines = json.stdoutText.split(separator: "\n")
        #expect(lines.count == 3)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(first?["recipient"] as? String == "ops")
        #expect(first?["msgtype"] as? String == "text")
        for output in [text.stdoutText, json.stdoutText] {
            #expect(!output.contains("SECRETKEY") && !output.contains("SIGNING-SECRET"))
        }
    }

    @Test func dryRunFormats() throws {
        let dir = try folder()
        let exact = try HeraldProcess.run(["send", "--dry-run", "job.yaml"] + fixed, in: dir)
        #expect(exact.stdoutText.contains(#""sk":"SIGNING-SECRET""#), "the dry-run body is the one exact exception")
        let redacted = try HeraldProcess.run(["send", "--dry-run", "--redact", "job.yaml"] + fixed, in: dir)
        #expect(!redacted.stdoutText.contains("SECRETKEY") && !redacted.stdoutText.contains("SIGNING-SECRET"))
        #expect(redacted.stdoutText.contains("key=…0001"))
        let pretty = try HeraldProcess.run(["send", "--dry-run", "--format", "pretty", "job.yaml"] + fixed, in: dir)
        #expect(pretty.stdoutText.contains("\n  \"data\": [\n"))
        let curl = try HeraldProcess.run(["send", "--dry-run", "--format", "curl", "job.yaml"] + fixed,
                                         in: dir, environment: HeraldProcess.environment(["KDOCS_ACCESS_TOKEN": "TOKEN-XYZ"]))
        #expect(curl.stdoutText.hasPrefix("curl "))
        #expect(curl.stdoutText.contains("$KDOCS_ACCESS_TOKEN"))
        #expect(!curl.stdoutText.contains("TOKEN-XYZ"))
        #expect(curl.stdoutText.split(separator: "\n").count == 2)
    }

    @Test func onlyKeepsNamedRecipientsAndRefusesUnknownOnes() throws {
        let dir = try folder()
        let only = try HeraldProcess.run(["send", "--dry-run", "job.yaml", "--only", "dev"] + fixed, in: dir)
        #expect(only.status == 0)
        #expect(only.stdoutText.split(separator: "\n").count == 1)
        #expect(only.stdoutText.contains("SECRETKEY-0002"))
        let unknown = try HeraldProcess.run(["send", "--dry-run", "job.yaml", "--only", "devs"] + fixed, in: dir)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean 'dev'?"))
        #expect(unknown.stdout.isEmpty)
    }

    @Test func checkReportsEveryProblemSortedByPosition() throws {
        let dir = try folder(["job.yaml": """
        version: 1
        recipients:
          ops: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1" }
        messages:
          - to: ops
            text: { content: "{{nope}}" }
          - to: opz
            text: { content: hi }
          - to: ops
            markdwon: { content: hi }
        """])
        let r = try HeraldProcess.run(["check", "job.yaml"], in: dir)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        let positions = lines.compactMap { $0.split(separator: ":").dropFirst().first.flatMap { Int($0) } }
        #expect(positions == positions.sorted())
        #expect(lines.contains { $0.contains("did you mean 'markdown'?") })
        #expect(lines.contains { $0.contains("did you mean 'ops'?") })
    }
}
