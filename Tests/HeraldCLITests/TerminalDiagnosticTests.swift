import Foundation
import Testing

/// On a terminal, a diagnostic shows the source line and a caret, in colour unless NO_COLOR;
/// piped, it is the bare `file:line:column: error: message` line.
@Suite struct TerminalDiagnosticTests {
    static let script = "/usr/bin/script"

    func runOnTerminal(_ command: String, in dir: URL, noColor: Bool) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.script)
        process.arguments = ["-qec", command, "/dev/null"]
        process.currentDirectoryURL = dir
        var env = HeraldProcess.environment(["TERM": "xterm"])
        if noColor { env["NO_COLOR"] = "1" }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: script), "needs script(1) from util-linux"))
    func caretUnderTheColumnAndColourOnlyOnATerminal() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-tty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("version: 1\nrecipients:\n  ops: { link: \"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0000\" }\nmessages:\n  - to: ops\n    text: { content: \"hi {{nme}}\" }\nvars: { name: x }\n".utf8)
            .write(to: dir.appendingPathComponent("job.yaml"))
        let command = "\(HeraldProcess.binary.path) check job.yaml"

        let plain = try runOnTerminal(command, in: dir, noColor: true)
        let source = #"    text: { content: "hi {{nme}}" }"#
        let expected = "job.yaml:6:26: error: unknown variable 'nme' — did you mean 'name'? (message 1, recipient 'ops')\n"
            + "  " + source + "\n" + "  " + String(repeating: " ", count: 25) + "^\n"
        #expect(plain == expected)
        let coloured = try runOnTerminal(command, in: dir, noColor: false)
        #expect(coloured.contains("\u{1B}[1;31merror:"))
        #expect(coloured.contains("\u{1B}[1;32m^"))

        let piped = try HeraldProcess.run(["check", "job.yaml"], in: dir)
        #expect(piped.stderr == "job.yaml:6:26: error: unknown variable 'nme' — did you mean 'name'? (message 1, recipient 'ops')\n")
    }

    func folder(_ job: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-tty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(job.utf8).write(to: dir.appendingPathComponent("job.yaml"))
        return dir
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: script), "needs script(1) from util-linux"))
    func theSourceLineIsMaskedLikeEveryOtherOutput() throws {
        let line = #"  ops: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send？key=11111111-aaaa-bbbb-cccc-000000000001", sk: SECRET-SK-VALUE-4321 }"#
        let dir = try folder("version: 1\nrecipients:\n\(line)\nmessages:\n  - to: ops\n    text: { content: hi }\n")
        let shown = try runOnTerminal("\(HeraldProcess.binary.path) check job.yaml", in: dir, noColor: true)
        let lines = shown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count >= 3, "\(shown)")
        #expect(lines.first?.hasPrefix("job.yaml:3:16: error: 'link' of recipient 'ops' holds a full-width '？'") == true, "\(shown)")
        #expect(lines.dropFirst().first == #"    ops: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send？key=…0001", sk: …4321 }"#)
        #expect(lines.dropFirst(2).first == "  " + String(repeating: " ", count: 15) + "^")
        #expect(!shown.contains("bbbb-cccc") && !shown.contains("SECRET-SK"), "\(shown)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: script), "needs script(1) from util-linux"))
    func theCaretCountsDisplayColumnsAfterCJKAndEmoji() throws {
        let source = #"    text: { content: "周报 🚀 {{nme}}" }"#
        let dir = try folder("version: 1\nrecipients:\n  ops: { link: \"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0000\" }\nmessages:\n  - to: ops\n\(source)\nvars: { name: x }\n")
        let shown = try runOnTerminal("\(HeraldProcess.binary.path) check job.yaml", in: dir, noColor: true)
        // Column 28 in scalars; on screen: 22 ASCII columns, then 周 报 (2 each), a space, 🚀 (2), a space.
        let expected = "job.yaml:6:28: error: unknown variable 'nme' — did you mean 'name'? (message 1, recipient 'ops')\n"
            + "  " + source + "\n" + "  " + String(repeating: " ", count: 30) + "^\n"
        #expect(shown == expected)
    }
}
