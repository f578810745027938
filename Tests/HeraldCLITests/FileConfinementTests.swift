import Foundation
import Testing

/// A job reads files only from its folder, its template_dirs and the folders it lists under
/// allow_paths (symlinks resolved); /proc, /sys and /dev never (docs/job-file.md).
@Suite struct FileConfinementTests {
    static let link = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-0000000000e0"

    /// root/job/job.yaml beside root/common/body.md and root/tpl/note.yaml (whose content_file is body.md beside it).
    func tree(job: String) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("herald-paths-\(UUID().uuidString)")
        let fm = FileManager.default
        for dir in ["job", "common", "tpl"] { try fm.createDirectory(at: root.appendingPathComponent(dir), withIntermediateDirectories: true) }
        try Data("shared body".utf8).write(to: root.appendingPathComponent("common/body.md"))
        try Data("template body".utf8).write(to: root.appendingPathComponent("tpl/body.md"))
        try Data("text: { content_file: body.md }\n".utf8).write(to: root.appendingPathComponent("tpl/note.yaml"))
        try Data("local body".utf8).write(to: root.appendingPathComponent("job/local.md"))
        try Data(job.utf8).write(to: root.appendingPathComponent("job/job.yaml"))
        return root
    }

    func job(_ extra: String = "", body: String) -> String {
        "version: 1\n\(extra)recipients:\n  ops: { link: \"\(Self.link)\" }\nmessages:\n  - to: ops\n\(body)"
    }

    func dryRun(_ root: URL, stdin: String? = nil) throws -> HeraldProcess.Result {
        try HeraldProcess.run(["send", "--dry-run", stdin == nil ? "job.yaml" : "-"], in: root.appendingPathComponent("job"),
                              stdin: stdin.map { Array($0.utf8) })
    }

    @Test func aFileBesideTheJobFolderIsRefusedUntilAllowed() throws {
        let body = "    text: { content_file: ../common/body.md }\n"
        let refused = try dryRun(tree(job: job(body: body)))
        #expect(refused.status == 2)
        #expect(refused.stderr == "job.yaml:6:27: error: 'content_file' file '../common/body.md' is outside the job's folder and its 'template_dirs'; move it there, or list its folder under 'allow_paths'\n")
        #expect(refused.stdout.isEmpty)
        let allowed = try dryRun(tree(job: job("allow_paths: [../common]\n", body: body)))
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdoutText.contains("shared body"))
    }

    @Test func aTemplateDirNamedByTheJobIsAllowedWithTheFilesItsTemplatesName() throws {
        let result = try dryRun(tree(job: job("template_dirs: [../tpl]\n", body: "    template: note\n")))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText.contains("template body"))
    }

    @Test func aSymlinkOutOfTheJobFolderIsFollowedBeforeTheCheck() throws {
        let root = try tree(job: job(body: "    text: { content_file: linked.md }\n"))
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("job/linked.md").path,
                                                   withDestinationPath: root.appendingPathComponent("common/body.md").path)
        let refused = try dryRun(root)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("'content_file' file 'linked.md' is outside the job's folder and its 'template_dirs' (it resolves to '"), "\(refused.stderr)")
        try Data(job("allow_paths: ../common\n", body: "    text: { content_file: linked.md }\n").utf8).write(to: root.appendingPathComponent("job/job.yaml"))
        let allowed = try dryRun(root)
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }

    @Test func systemFoldersAreNeverReadEvenWhenAllowed() throws {
        for (extra, body) in [("allow_paths: [/]\n", "    text: { content_file: /proc/self/environ }\n"),
                              ("allow_paths: [/proc]\n", "    for_each: /proc/self/status\n    text: { content: x }\n"),
                              ("", "    image: { path: /proc/self/cmdline }\n")] {
            let result = try dryRun(tree(job: job(extra, body: body)))
            #expect(result.status == 2)
            #expect(result.stderr.contains("is under /proc, where Herald never reads templates or data"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func aJobOnStandardInputIsConfinedToTheWorkingFolder() throws {
        let root = try tree(job: "")
        let local = try dryRun(root, stdin: job(body: "    text: { content_file: local.md }\n"))
        #expect(local.status == 0, "\(local.stderr)")
        #expect(local.stdoutText.contains("local body"))
        let outside = try dryRun(root, stdin: job(body: "    text: { content_file: ../common/body.md }\n"))
        #expect(outside.status == 2)
        #expect(outside.stderr.hasPrefix("<stdin>:6:27: error: 'content_file' file '../common/body.md' is outside the job's folder"), "\(outside.stderr)")
    }
}
