import Foundation
import Testing

/// Text files as values, and the small edges a new user meets: unread `--var`s, a misspelt
/// command, a table in WeCom markdown.
@Suite struct SmallEdgesTests {
    func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-edges-\(UUID().uuidString)")
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return dir
    }

    static let link = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-0000000000f3"

    static func job(content: String, msgtype: String = "markdown", vars: String = "") -> String {
        """
        version: 1
        \(vars)
        recipients:
          ops: { link: "\(link)" }
        messages:
          - to: ops
            \(msgtype):
              content: \(content)

        """
    }

    // MARK: Text files as values

    @Test func varAtFileBindsTheTextLiterallyAndDoubleAtIsALiteralAt() throws {
        let dir = try folder(["job.yaml": Self.job(content: #""{{notes}}|{{handle}}""#), "notes.md": "Thanks {{user}} & <b>team</b>\n"])
        let result = try HeraldProcess.run(["send", "--dry-run", "job.yaml", "--var", "notes=@notes.md", "--var", "handle=@@ops"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdoutText.contains(#""content":"Thanks {{user}} & <b>team</b>\n|@ops""#), "\(result.stdoutText)")
    }

    @Test func varAtFileMissingIsAnErrorNamingTheFile() throws {
        let dir = try folder(["job.yaml": Self.job(content: "\"{{notes}}\"")])
        for command in [["check"], ["send", "--dry-run"], ["send"]] {
            let result = try HeraldProcess.run(command + ["job.yaml", "--var", "notes=@nots.md"], in: dir)
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "<command line>:1:1: error: --var notes: file 'nots.md' does not exist\n", "\(result.stderr)")
        }
        let empty = try HeraldProcess.run(["check", "job.yaml", "--var", "notes=@"], in: dir)
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("--var notes=@ names no file; write --var notes=@FILE, or --var notes=@@ for the value '@'"))
    }

    /// A `.md` data file is a string, never a template: its `{{…}}` stay, and `{{notes}}` in a
    /// text message inserts it as any string var is inserted.
    @Test func varsFilesTextFileIsAStringNeverATemplate() throws {
        let job = Self.job(content: "\"Notes:\\n{{notes}}\"", msgtype: "text", vars: "vars_files: [{ name: notes, file: notes.txt }]")
        let dir = try folder(["job.yaml": job, "notes.txt": "- fixed {{bug}}\n- \"quoted\" & done"])
        let result = try HeraldProcess.run(["send", "--dry-run", "job.yaml"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText.contains(#""content":"Notes:\n- fixed {{bug}}\n- \"quoted\" & done""#), "\(result.stdoutText)")
    }

    // MARK: --var that no template reads

    @Test func anUnreadVarIsAWarningWithTheNearestNameRead() throws {
        let dir = try folder(["job.yaml": Self.job(content: "\"{{product}} {{version}}\"", vars: "vars: { product: Herald, version: '1.0' }")])
        let result = try HeraldProcess.run(["check", "job.yaml", "--var", "verison=2.5.0", "--var", "version=2.5.0", "--var", "zzz=1"], in: dir)
        #expect(result.status == 0)
        #expect(result.stderr == """
        <command line>:1:1: warning: --var verison is read by no template of this job, so it changes nothing — did you mean 'version'?
        <command line>:1:1: warning: --var zzz is read by no template of this job, so it changes nothing

        """, "\(result.stderr)")
        #expect(result.stdoutText.hasSuffix("(2 warnings)\n"))
    }

    /// Names read through a section and a partial count.
    @Test func varsReadThroughSectionsPartialsAndForEachAreNotWarned() throws {
        let job = """
        version: 1
        vars: { rows: [a, b] }
        partials:
          footer: "— {{owner}}"
        recipients:
          ops: { link: "\(Self.link)" }
        messages:
          - to: ops
            for_each: { var: rows }
            text: { content: "{{#extra?}}{{extra}}{{/extra}}{{row}} {{> footer}}" }

        """
        let dir = try folder(["job.yaml": job])
        let result = try HeraldProcess.run(["check", "job.yaml", "--var", "owner=me", "--var", "extra=x"], in: dir)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    // MARK: Unknown commands

    @Test func aMisspeltCommandSuggestsTheNearestAndExits2() throws {
        let chek = try HeraldProcess.run(["chek", "job.yaml"])
        #expect(chek.status == 2)
        #expect(chek.stdout.isEmpty)
        #expect(chek.stderr.hasPrefix("Error: unknown command 'chek' — did you mean 'check'?\n"), "\(chek.stderr)")
        let other = try HeraldProcess.run(["frobnicate"])
        #expect(other.status == 2)
        #expect(other.stderr.hasPrefix("Error: unknown command 'frobnicate'; the commands are send, notify, serve, queue, check, render, plan, preview, init, schema\n"),
                "\(other.stderr)")
        // Options before a command are ArgumentParser's, as before.
        let option = try HeraldProcess.run(["--bogus"])
        #expect(option.status == 2)
        #expect(option.stderr.hasPrefix("Error: Unknown option '--bogus'"))
    }

    // MARK: Tables in WeCom markdown

    static let table = "\"## Services\\n| service | status |\\n| --- | :---: |\\n| api | up |\""

    @Test func aTableInWeComMarkdownWarnsPointingToMarkdownV2() throws {
        let dir = try folder(["job.yaml": Self.job(content: Self.table)])
        for command in [["check"], ["send", "--dry-run"]] {
            let result = try HeraldProcess.run(command + ["job.yaml"], in: dir)
            #expect(result.status == 0)
            #expect(result.stderr == "job.yaml:8:16: warning: WeCom markdown does not draw tables: this table shows as '|' text; use markdown_v2, which draws it (but has no <font> colours or mentions)\n",
                    "\(command): \(result.stderr)")
        }
    }

    @Test func aTableInMarkdownV2OrToDingTalkOnlyOrWithoutSeparatorDoesNotWarn() throws {
        let v2 = try HeraldProcess.run(["check", "job.yaml"], in: try folder(["job.yaml": Self.job(content: Self.table, msgtype: "markdown_v2")]))
        #expect(v2.status == 0 && v2.stderr.isEmpty, "\(v2.stderr)")
        let pipes = try HeraldProcess.run(["check", "job.yaml"], in: try folder(["job.yaml": Self.job(content: "\"a | b\\n| not a table\\n|\"")]))
        #expect(pipes.status == 0 && pipes.stderr.isEmpty, "\(pipes.stderr)")
        let dingtalk = Self.job(content: Self.table).replacingOccurrences(of: Self.link, with: "https://oapi.dingtalk.com/robot/send?access_token=dddddddddddddddddddddddddddddddd00f3")
            .replacingOccurrences(of: "content:", with: "title: t\n      content:")
        let dt = try HeraldProcess.run(["check", "job.yaml"], in: try folder(["job.yaml": dingtalk]))
        #expect(dt.status == 0 && dt.stderr.isEmpty, "\(dt.stderr)")
    }

    /// The table line is found in a content_file, and the shipped nightly digest no longer warns.
    @Test func tableInAContentFileIsPlacedOnItsLineAndTheNightlyDigestUsesMarkdownV2() throws {
        let job = Self.job(content: "x").replacingOccurrences(of: "content: x", with: "content_file: digest.md")
        let dir = try folder(["job.yaml": job, "digest.md": "# Digest\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"])
        let result = try HeraldProcess.run(["check", "job.yaml"], in: dir)
        #expect(result.stderr.hasPrefix("digest.md:3:1: warning: WeCom markdown does not draw tables"), "\(result.stderr)")
        let digest = try HeraldProcess.run(["check", "examples/nightly-digest/job.yaml"])
        #expect(digest.status == 0)
        #expect(!digest.stderr.contains("does not draw tables"), "\(digest.stderr)")
        #expect(digest.stderr.contains("markdown_v2 content is"), "\(digest.stderr)")
    }
}
