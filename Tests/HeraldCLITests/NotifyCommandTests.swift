import Foundation
import HeraldTestSupport
import Testing

/// `herald notify LINK… [BODY | -]`: one message with no job file, with the guarantees of
/// `send` — the dry run is the equivalent job file's, byte for byte; sends go through the relay.
@Suite(.serialized) struct NotifyCommandTests {
    static let wecom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=NOTIFY-WECOM-0001"
    static let wecom2 = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=NOTIFY-WECOM-0002"
    static let dingtalk = "https://oapi.dingtalk.com/robot/send?access_token=NOTIFY-DING-0003"
    static let token = "NOTIFY-TOKEN-0004"
    static let secrets = ["NOTIFY-WECOM-0001", "NOTIFY-WECOM-0002", "NOTIFY-DING-0003", token, "NOTIFY-SK-0005"]

    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("herald-notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A YAML double-quoted scalar (JSON's string syntax is YAML's).
    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    func notify(_ args: [String], in dir: URL, stdin: [UInt8]? = nil, token: Bool = true) throws -> HeraldProcess.Result {
        try HeraldProcess.run(["notify"] + args, in: dir, environment: HeraldProcess.environment(token ? ["KDOCS_ACCESS_TOKEN": Self.token] : [:]),
                              stdin: stdin)
    }

    // MARK: - The dry run is the equivalent job file's

    struct Equivalent: CustomTestStringConvertible {
        var name: String
        var notify: [String]
        /// The job file that sends the same message (`{{body}}` reads `vars.body` when the text has tags).
        var job: String
        var testDescription: String { name }
    }

    static let long = (1...300).map { "line \($0): the build of every service finished; 检查通过 ✅" }.joined(separator: "\n")

    static let equivalents: [Equivalent] = [
        Equivalent(name: "text to one WeCom robot", notify: [wecom, "Deploy of 2.4 finished"], job: """
            recipients: { r: { link: "\(wecom)" } }
            messages:
              - to: r
                text: { content: "Deploy of 2.4 finished" }
            """),
        Equivalent(name: "markdown, title, mention and sk to WeCom and DingTalk", notify:
                    [wecom, dingtalk, "--markdown", "--title", "Release 2.4", "--mention", "zhangsan", "--sk", "NOTIFY-SK-0005",
                     "## Changes\n- faster {{plans}}\n- fewer bugs"], job: """
            people: { zhangsan: { wecom: zhangsan, dingtalk: zhangsan } }
            recipients:
              w: { link: "\(wecom)", sk: NOTIFY-SK-0005 }
              d: { link: "\(dingtalk)", sk: NOTIFY-SK-0005 }
            messages:
              - to: [w, d]
                mention: zhangsan
                vars: { body: \(quoted("# Release 2.4\n\n## Changes\n- faster {{plans}}\n- fewer bugs")) }
                markdown: { content: "{{body}}" }
            """),
        Equivalent(name: "text with mentions by id, mobile and @all", notify:
                    [wecom, dingtalk, "--mention", "lisi", "--mention", "13800000000", "--mention", "@all", "--title", "Incident", "disk full"], job: """
            people:
              lisi: { wecom: lisi, dingtalk: lisi }
              "13800000000": { mobile: "13800000000" }
            recipients:
              w: { link: "\(wecom)" }
              d: { link: "\(dingtalk)" }
            messages:
              - to: [w, d]
                mention: [lisi, "13800000000", "@all"]
                text: { content: "Incident\\n\\ndisk full" }
            """),
        Equivalent(name: "a long message split into parts, to three robots", notify: [wecom, wecom2, dingtalk, "--mention", "lisi", long], job: """
            people: { lisi: { wecom: lisi, dingtalk: lisi } }
            recipients:
              a: { link: "\(wecom)" }
              b: { link: "\(wecom2)" }
              c: { link: "\(dingtalk)" }
            messages:
              - to: [a, b, c]
                mention: lisi
                text: { content: \(quoted(long)) }
            """),
    ]

    @Test(arguments: equivalents)
    func theDryRunIsTheEquivalentJobFilesByteForByte(_ equivalent: Equivalent) throws {
        let dir = try folder()
        try Data(("version: 1\n" + equivalent.job + "\n").utf8).write(to: dir.appendingPathComponent("job.yaml"))
        let fromJob = try HeraldProcess.run(["send", "--dry-run", "job.yaml"], in: dir)
        #expect(fromJob.status == 0, "\(fromJob.stderr)")
        let notified = try notify(["--dry-run"] + equivalent.notify, in: dir, token: false)
        #expect(notified.status == 0, "\(notified.stderr)")
        #expect(!notified.stdout.isEmpty)
        #expect(notified.stdout == fromJob.stdout, "\(notified.stdoutText)\n---\n\(fromJob.stdoutText)")
        for format in ["pretty", "curl"] {
            let a = try notify(["--dry-run", "--format", format, "--redact"] + equivalent.notify, in: dir, token: false)
            let b = try HeraldProcess.run(["send", "--dry-run", "--format", format, "--redact", "job.yaml"], in: dir)
            #expect(a.status == 0 && a.stdout == b.stdout, "\(format)")
            for secret in Self.secrets { #expect(!a.stdoutText.contains(secret), "\(format): \(secret)") }
        }
    }

    @Test func aLongMessageIsSplitIntoPartsWithTheMentionOnTheLast() throws {
        let result = try notify(["--dry-run", Self.wecom, "--mention", "lisi", Self.long], in: try folder(), token: false)
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: text content is"), "\(result.stderr)")
        let requests = result.stdout.split(separator: 0x0A)
        #expect(requests.count == 1)
        let body = try JSONSerialization.jsonObject(with: Data(requests[0])) as? [String: Any]
        let parts = (body?["data"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? [String: Any] }
        let contents = parts.compactMap { $0["content"] as? String }
        #expect(contents.count == 10)
        #expect(contents.allSatisfy { $0.utf8.count <= 2048 })
        #expect(contents.enumerated().allSatisfy { $1.hasSuffix("\n(\($0 + 1)/10)") })
        #expect(contents.first?.hasPrefix("line 1: the build") == true && contents.last?.contains("line 300: the build") == true)
        #expect(parts.dropLast().allSatisfy { $0["mentioned_list"] == nil })
        #expect(parts.last?["mentioned_list"] as? [String] == ["lisi"])
    }

    // MARK: - Real sends through the loopback relay

    @Test func aRealSendReachesEachPlatformsRelayWithTheDryRunsBytes() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder()
        let args = [Self.wecom, Self.dingtalk, "--markdown", "--mention", "wangwu", "--sk", "NOTIFY-SK-0005", "--endpoint", relay.endpoint,
                    "**Deploy** of 2.4 finished"]
        let dry = try notify(["--dry-run"] + args, in: dir)
        let sent = try notify(args + ["--state-dir", dir.appendingPathComponent("state").path, "--report", "r.json"], in: dir)
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stderr.contains("2 of 2 requests"), "\(sent.stderr)")
        let received = relay.requests.sorted { $0.order < $1.order }
        #expect(received.count == 2)
        let planned = dry.stdout.split(separator: 0x0A).map(Array.init)
        #expect(Set(received.map(\.body)) == Set(planned))
        for request in received {
            let toDingTalk = request.link == Self.dingtalk
            #expect(request.path == (toDingTalk ? "/api/v1/openapi/notification/dingtalk" : "/api/v1/openapi/notification/wecom"))
            #expect(request.uri.hasSuffix("?access_token=\(Self.token)"))
            #expect(request.messages.first?["msgtype"] as? String == "markdown")
        }
        let report = try String(contentsOf: dir.appendingPathComponent("r.json"), encoding: .utf8)
        for secret in Self.secrets {
            #expect(!sent.stderr.contains(secret) && !sent.stdoutText.contains(secret) && !report.contains(secret), "\(secret)")
        }
    }

    @Test func theMessageComesFromStandardInputWithItsTrailingNewlinesDropped() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder()
        let state = ["--state-dir", dir.appendingPathComponent("state").path, "--endpoint", relay.endpoint]
        let notes = Array("Release notes\n\n- one\n- two\n\n".utf8)
        #expect(try notify([Self.wecom, "-"] + state, in: dir, stdin: notes).status == 0)
        #expect(try notify([Self.dingtalk] + state, in: dir, stdin: notes).status == 0)
        let contents = relay.requests.sorted { $0.order < $1.order }.compactMap { ($0.messages.first?["text"] as? [String: Any])?["content"] as? String }
        #expect(contents == ["Release notes\n\n- one\n- two", "Release notes\n\n- one\n- two"])
        #expect(relay.requests.last?.path == "/api/v1/openapi/notification/dingtalk")
    }

    @Test func aJournaledReRunSendsNothingTwice() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder()
        let args = [Self.wecom, "--endpoint", relay.endpoint, "--journal", "n.journal", "--state-dir", dir.appendingPathComponent("state").path, "hello"]
        #expect(try notify(args, in: dir).status == 0)
        let again = try notify(args, in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(relay.requests.count == 1)
    }

    @Test func aRelayErrorIsReportedForItsLinkAndExits1() async throws {
        let relay = LoopbackRelay { _, _ in .json(200, #"{"code":93000,"data":{},"msg":"invalid webhook url","hint":"check the key"}"#) }
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder()
        let result = try notify([Self.wecom, "--endpoint", relay.endpoint, "--state-dir", dir.appendingPathComponent("state").path,
                                 "--report", "r.json", "hi"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("request 1 to link 1 (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…0001) failed after 1 attempt"),
                "\(result.stderr)")
        #expect(result.stderr.contains("code 93000") && result.stderr.contains("hint: check the key"))
        let report = try String(contentsOf: dir.appendingPathComponent("r.json"), encoding: .utf8)
        #expect(report.contains("\"job\": \"notify\""), "\(report)")
        for secret in Self.secrets { #expect(!result.stderr.contains(secret) && !report.contains(secret)) }
    }

    // MARK: - Refused: exit 2, nothing sent, secrets masked

    @Test func badArgumentsAreRefusedBeforeAnythingIsSent() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let dir = try folder()
        let cases: [([String], [UInt8]?, String)] = [
            (["qyapi.weixin.qq.com/cgi-bin/webhook/send?key=NOTIFY-WECOM-0001", Self.wecom2, "hi"], nil,
             "<command line>:1:1: error: link 1 must be an http(s) URL, got 'qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…0001'"),
            ([Self.wecom, Self.wecom, "hi"], nil, "error: link 2 is link 1 again; each robot gets the message once"),
            ([Self.wecom, ""], nil, "error: the message is empty; give its text as the last argument"),
            ([Self.wecom, "-"], Array(" \n\n".utf8), "<command line>:1:1: error: the message on standard input is empty"),
            ([Self.wecom], [], "error: the message on standard input is empty"),
            ([Self.dingtalk], Array(repeating: 0x78, count: 9 << 20), "error: the message is 9437184 bytes, over Herald's 8 MiB limit for one message"),
            ([Self.wecom, "--markdown", "--mention", "@all", "hi"], nil, "error: --mention @all: WeCom markdown can mention only userids (<@userid>); use --text to mention everyone"),
            ([Self.wecom, "--markdown", "--mention", "13800000000", "hi"], nil, "use --text to mention a mobile number"),
            ([Self.wecom, "--mention", "{{who}}", "hi"], nil, "error: --mention '{{who}}' is not a userid, mobile number or @all"),
            ([Self.wecom, "--title", "two\nlines", "hi"], nil, "error: --title must be one line"),
            ([Self.wecom, "11111111-aaaa-bbbb-cccc-000000000001"], nil, "error: the last argument (…0001) looks like a robot link or key, not a message"),
            ([Self.wecom, "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=NOTIFY-WECOM-0002"], nil, "looks like a robot link or key"),
            ([Self.dingtalk, "--endpoint", "http://127.0.0.1:\(relay.port)/relay", "hi"], nil,
             "error: a DingTalk link needs --dingtalk-endpoint: the endpoint 'http://127.0.0.1:\(relay.port)/relay' does not end in /wecom"),
            ([Self.wecom, "--endpoint", "relay.example", "hi"], nil, "error: --endpoint must be an http(s) URL, got 'relay.example'"),
        ]
        for (args, stdin, message) in cases {
            let result = try notify(args + (args.contains("--endpoint") ? [] : ["--endpoint", relay.endpoint]), in: dir, stdin: stdin)
            #expect(result.status == 2, "\(args)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains(message), "\(args): \(result.stderr)")
            for secret in Self.secrets { #expect(!result.stderr.contains(secret), "\(args): \(secret)") }
            #expect(!result.stderr.contains("11111111-aaaa"))
        }
        #expect(relay.requests.isEmpty)
    }

    /// Malformed robot links (docs/job-file.md): notify takes or refuses each as a job file's
    /// `link:` is taken or refused, and shows no more of its secret.
    static let malformedLinks = [
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send？key=NOTIFY-WECOM-0001",
        "NOTIFY-WECOM-0001-aaaa-bbbb-cccc",
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=NOTIFY-WECOM-0001 ",
        " https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=NOTIFY-WECOM-0001",
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=",
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send",
        "https://qyapi.weixin.qq.con/cgi-bin/webhook/send?key=NOTIFY-WECOM-0001",
        "https://developer.kdocs.cn/api/v1/openapi/notification/wecom",
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?access_token=NOTIFY-WECOM-0001",
        "https://oapi.dingtalk.com/robot/send?key=NOTIFY-DING-0003",
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=NOTIFY-WECOM-0001\r\n",
        "https://qyapi.weixin.qq.com/cgi-bin/web hook/send?key=NOTIFY-WECOM-0001",
        "https://ops:PASS-WORD-0006@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=NOTIFY-WECOM-0001",
    ]

    @Test(arguments: malformedLinks)
    func aLinkIsCheckedAsAJobFilesLinkIs(_ link: String) throws {
        let dir = try folder()
        let job = "version: 1\nrecipients: { r: { link: \(Self.quoted(link)) } }\nmessages:\n  - { to: r, text: { content: hi } }\n"
        try Data(job.utf8).write(to: dir.appendingPathComponent("job.yaml"))
        let fromJob = try HeraldProcess.run(["send", "--dry-run", "job.yaml"], in: dir)
        let notified = try notify(["--dry-run", link, "hi"], in: dir, token: false)
        #expect(notified.status == fromJob.status, "job: \(fromJob.stderr)\nnotify: \(notified.stderr)")
        #expect(notified.stdout == fromJob.stdout)
        if notified.status == 2 {
            #expect(notified.stderr.contains("error: link 1 "), "\(notified.stderr)")
        }
        for secret in Self.secrets + ["PASS-WORD-0006"] where !fromJob.stderr.contains(secret) {
            #expect(!notified.stderr.contains(secret), "\(secret): \(notified.stderr)")
        }
    }

    @Test func aRealSendWithoutATokenIsRefused() async throws {
        let relay = LoopbackRelay()
        try await relay.start()
        defer { Task { await relay.stop() } }
        let result = try notify([Self.wecom, "--endpoint", relay.endpoint, "hi"], in: try folder(), token: false)
        #expect(result.status == 2)
        #expect(result.stderr.contains("no access token: set KDOCS_ACCESS_TOKEN"))
        #expect(result.stderr.contains("nothing was sent"))
        #expect(relay.requests.isEmpty)
    }

    @Test func noLinkIsAUsageError() throws {
        let result = try notify([], in: try folder())
        #expect(result.status == 2)
        #expect(result.stderr.contains("give at least one robot link"))
    }

    @Test func helpTeachesItWithExamples() throws {
        let help = try HeraldProcess.run(["notify", "--help"]).stdoutText
        for text in ["herald notify --dry-run \"$WECOM_HOOK\"", "< notes.md", "--mention <NAME>", "--title <T>", "--markdown", "--text",
                     "KDOCS_ACCESS_TOKEN", "--sk <SK>", "--journal <FILE>", "--dry-run", "herald init"] {
            #expect(help.contains(text), "\(text)")
        }
        #expect(try HeraldProcess.run(["--help"]).stdoutText.contains("notify"))
    }
}
