import ArgumentParser
import Foundation
import HeraldCore

struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Send one message to robot links, with no job file.",
        discussion: """
        Each LINK is a WeCom (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…) or DingTalk \
        (https://oapi.dingtalk.com/robot/send?access_token=…) robot webhook; the platform is read \
        from the link's host. The message is the last argument, or standard input when it is '-' \
        or left out (its trailing newlines dropped, as $(cat file) drops them). It is sent as it \
        is — never read as a template — as text, or markdown with --markdown; a message over the \
        robot's limit is split into parts as a job's is. Everything else is herald send's: the \
        same exact dry run (the bytes an equivalent job file gives), pacing, retries, --journal \
        and --report, masked links.

        --title T starts the message with the line T (markdown: '# T') and a blank line, so T is \
        also a DingTalk markdown message's notification title. --mention takes a userid, a \
        mobile number (11 digits starting with 1) or @all: on WeCom text a userid, mobile or \
        @all; on WeCom markdown a userid only (<@userid>); on DingTalk a userid, mobile or \
        @all (at). --sk is every link's signing key or secret. The access token comes from \
        KDOCS_ACCESS_TOKEN, never from the command line. A message starting with '-' goes after \
        '--'.

        Examples:
          herald notify --dry-run "$WECOM_HOOK" "Deploy of 2.4 finished"
          herald notify "$WECOM_HOOK" "$DING_HOOK" --markdown --title "2.4" < notes.md
          git log -5 --oneline | herald notify "$WECOM_HOOK" --mention zhangsan
          herald notify "$DING_HOOK" --sk "$DING_SECRET" --mention @all -- "-1 failed"
        For more than one message, variables, for_each or per-robot settings, write a job file \
        (herald init).
        """
    )

    @Argument(help: ArgumentHelp("Robot webhook links, then the message ('-' or none: standard input).", valueName: "LINK… [BODY]"))
    var arguments: [String] = []

    @Flag(help: "The message's type (default: text).")
    var format: OneMessageJob.Format = .text

    @Option(help: ArgumentHelp("The message's first line (markdown: '# T'); DingTalk markdown's title.", valueName: "T"))
    var title: String?

    @Option(help: ArgumentHelp("Mention a userid, mobile number or @all (repeatable).", valueName: "NAME"))
    var mention: [String] = []

    @Option(help: ArgumentHelp("Every link's signing key (WeCom) or signing secret (DingTalk).", valueName: "SK"))
    var sk: String?

    @Option(help: ArgumentHelp("The WeCom relay endpoint (default: KDocs'; the DingTalk one is derived from it).", valueName: "URL"))
    var endpoint: String?

    @Option(help: ArgumentHelp("The DingTalk relay endpoint, when it cannot be derived from --endpoint.", valueName: "URL"))
    var dingtalkEndpoint: String?

    @OptionGroup var dryRun: DryRunOptions
    @OptionGroup var sending: SendingOptions

    func validate() throws {
        if arguments.isEmpty {
            throw ValidationError("give at least one robot link: herald notify LINK… [BODY]")
        }
        try sending.validate(dryRun: dryRun.dryRun)
    }

    func run() async throws {
        let output = DiagnosticOutput()
        let (links, written) = Self.split(arguments)
        if let written, Self.looksLikeALink(written) {
            output.print([.error(at: SourcePosition(path: "<command line>", line: 1, column: 1),
                                 "the last argument (…\(written.suffix(4))) looks like a robot link or key, not a message, so it is not sent; fix the link (https://…), then give the message after it, or on standard input")])
            throw ExitCode(2)
        }
        var message = OneMessageJob(links: links, body: written ?? "")
        message.format = format
        message.title = title
        message.mentions = mention
        message.sk = sk
        message.endpoint = endpoint
        message.dingtalkEndpoint = dingtalkEndpoint
        let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var linkWarnings: [Diagnostic] = []
        func make(_ message: OneMessageJob) throws -> Job {
            linkWarnings = []
            switch message.job(directory: directory, warnings: &linkWarnings) {
            case .success(let job): return job
            case .failure(let error):
                output.print(error.diagnostics)
                throw ExitCode(2)
            }
        }

        // The arguments, then the token, are checked before herald waits for the message on
        // standard input.
        var probe = message
        if written == nil { probe.body = "-" }
        var job = try make(probe)
        if !dryRun.dryRun, (ProcessInfo.processInfo.environment["KDOCS_ACCESS_TOKEN"] ?? "").isEmpty {
            output.note("error: no access token: set KDOCS_ACCESS_TOKEN (or use --dry-run to see the request bodies); nothing was sent")
            throw ExitCode(2)
        }
        if written == nil {
            if standardInputIsATerminal { output.note("reading the message from standard input; end it with Ctrl-D") }
            switch OneMessageJob.readStandardInput() {
            case .success(let text): message.body = text
            case .failure(let d):
                output.print([d])
                throw ExitCode(2)
            }
            message.bodySource = "<stdin>"
            job = try make(message)
        }

        // Preparation runs on a thread of its own: it does not hold a cooperative thread.
        func prepare(recordedNow: Date?, keepsMessages: Bool, failed: ([Diagnostic]) -> Void = { _ in }) async throws -> PreparedJob {
            let options = PlanningOptions(now: recordedNow, environment: ProcessInfo.processInfo.environment, keepsMessages: keepsMessages)
            var log = DiagnosticLog()
            log.append(contentsOf: linkWarnings)
            let job = job
            switch await DedicatedThread.run({ [log] in JobPreparation.prepare(job: job, log: log, options: options) }) {
            case .success(let prepared):
                output.print(prepared.warnings)
                return prepared
            case .failure(let error):
                output.print(error.diagnostics)
                failed(error.diagnostics)
                throw ExitCode(2)
            }
        }
        if dryRun.dryRun {
            dryRun.write(try await prepare(recordedNow: nil, keepsMessages: dryRun.needsMessages))
            return
        }
        try await sending.send(output: output, SendingOptions.Planning(job: job.name, now: nil, timeZone: .current) { recordedNow, failed in
            try await prepare(recordedNow: recordedNow, keepsMessages: false, failed: failed)
        })
    }

    /// The links, and the message when the last argument is one (not a link, not '-').
    static func split(_ arguments: [String]) -> (links: [String], body: String?) {
        guard let last = arguments.last else { return ([], nil) }
        if last == "-" { return (Array(arguments.dropLast()), nil) }
        if isWebLink(last) { return (arguments, nil) }
        return (Array(arguments.dropLast()), last)
    }

    private static func isWebLink(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// A one-word "message" that is really a mistyped link or a pasted key: sending it would
    /// put the robot's secret in the chat, so it is refused instead.
    static func looksLikeALink(_ text: String) -> Bool {
        guard !text.isEmpty, !text.contains(where: \.isWhitespace) else { return false }
        let lower = text.lowercased()
        if lower.contains("://") || lower.contains("key=") || lower.contains("access_token=") { return true }
        if lower.hasPrefix("qyapi.weixin.qq.com") || lower.hasPrefix("oapi.dingtalk.com") { return true }
        // A WeCom key (a UUID) or a DingTalk access token (64 hex digits).
        let hex = lower.utf8.filter { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }.count
        return hex >= 32 && lower.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || $0 == 0x2D }
    }
}

extension OneMessageJob.Format: EnumerableFlag {
    package static func help(for value: OneMessageJob.Format) -> ArgumentHelp? {
        switch value {
        case .text: return "Send it as text (the default): WeCom text, DingTalk text."
        case .markdown: return "Send it as markdown: WeCom markdown, DingTalk markdown."
        }
    }
}
