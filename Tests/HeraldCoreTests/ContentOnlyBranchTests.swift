import Foundation
@testable import HeraldCore
import HeraldTemplate
import Testing

/// When only the plan is wanted, the usual message takes `MessageEncoder`'s content-only
/// branch (`ContentOnlyMessage`); everything else goes the general way. Both must give the same
/// plan bytes, warnings and errors as keeping every message (never the content-only branch) does.
@Suite struct ContentOnlyBranchTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func outcome(_ source: SourceText, keepsMessages: Bool, threads: Int = 1) -> String {
        var options = PlanningOptions(now: ISO8601.parse("2026-11-25T09:30:00+08:00"),
                                      timeZone: TimeZone(identifier: "Asia/Shanghai") ?? .current,
                                      environment: ["TEAM_KEY": "k", "HOOK_KEY": "k", "KDOCS_ACCESS_TOKEN": "t"])
        options.keepsMessages = keepsMessages
        options.threads = threads
        switch JobPreparation.prepare(source: source, options: options) {
        case .failure(let e): return "failed: \(e.diagnostics)"
        case .success(let p):
            let requests = p.plan.requests.map { "\($0.index) \($0.link) \($0.sourceMessages) \($0.parts) \(String(decoding: $0.body, as: UTF8.self))" }
            return requests.joined(separator: "\n") + "\nwarnings: \(p.warnings)"
        }
    }

    /// Every golden, error-corpus and example job (their own arguments aside).
    @Test func shippedJobsPlanTheSameEitherWay() throws {
        var jobs: [URL] = []
        for folder in ["Tests/Fixtures/golden", "Tests/Fixtures/errors", "examples"] {
            let dir = Self.root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
                let job = dir.appendingPathComponent(name).appendingPathComponent("job.yaml")
                if FileManager.default.fileExists(atPath: job.path) { jobs.append(job) }
            }
        }
        #expect(jobs.count > 100)
        var plans = 0
        for job in jobs {
            guard case .success(let source) = JobPreparation.readSource(path: job.path) else { continue }
            let kept = Self.outcome(source, keepsMessages: true)
            #expect(Self.outcome(source, keepsMessages: false) == kept, "\(job.path)")
            if !kept.hasPrefix("failed") { plans += 1 }
        }
        #expect(plans > 40)
    }

    /// Rows that take every turn: an empty content, a render error, a content at and over the
    /// limit (split), escapes and non-ASCII, a DingTalk robot, on one thread and on three.
    @Test func unusualRowsGoTheGeneralWay() throws {
        let rows = (1...900).map { i -> String in
            switch i % 9 {
            case 0: return "{n: \(i), s: ''}"
            case 1: return "{n: \(i)}"
            case 2: return "{n: \(i), s: \"\(String(repeating: "é", count: 2048))\"}"
            case 3: return "{n: \(i), s: \"\(String(repeating: "x", count: 4096 - 2 - String(i).count))\"}"
            case 4: return "{n: \(i), s: \"\(String(repeating: "x", count: 4097 - 2 - String(i).count))\"}"
            case 5: return "{n: \(i), s: \"q\\\" b\\\\ t\\t nl\\n 中文 😀 \\u0001\"}"
            default: return "{n: \(i), s: \"row \(i)\"}"
            }
        }.joined(separator: ", ")
        let yaml = """
        version: 1
        max_batch: 7
        recipients:
          a: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1" }
          b: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=2", sk: s }
          d: { link: "https://oapi.dingtalk.com/robot/send?access_token=3" }
        messages:
          - to: [a, b, d]
            for_each: [\(rows)]
            markdown: { content: "{{row.n}}{{row.s}}" }
          - to: a
            for_each: [\(rows)]
            text: { content: "{{row.s}}" }
          - to: b
            markdown: { content: "constant" }
        """
        guard case .success(let source) = SourceText.decode(Array(yaml.utf8), path: "job.yaml", directory: FileManager.default.temporaryDirectory) else {
            Issue.record("decode"); return
        }
        let kept = Self.outcome(source, keepsMessages: true)
        #expect(kept.hasPrefix("failed"))  // the rows without `s`
        #expect(Self.outcome(source, keepsMessages: false) == kept)
        #expect(Self.outcome(source, keepsMessages: false, threads: 3) == kept)
        // Without the failing rows, a plan: the same bytes every way.
        let fine = yaml.replacingOccurrences(of: "{{row.s}}", with: #"{{row.s | default: \"-\"}}"#)
        guard case .success(let source2) = SourceText.decode(Array(fine.utf8), path: "job.yaml", directory: FileManager.default.temporaryDirectory) else {
            Issue.record("decode"); return
        }
        let plan = Self.outcome(source2, keepsMessages: true)
        #expect(!plan.hasPrefix("failed"))
        #expect(plan.contains("(1/2)"))
        #expect(Self.outcome(source2, keepsMessages: false) == plan)
        #expect(Self.outcome(source2, keepsMessages: false, threads: 3) == plan)
    }

    /// The branch is chosen once per entry: content alone, no `at`, no mention, and a kind
    /// whose checks ask nothing more of such a body.
    @Test func theBranchIsTakenByTheUsualEntryOnly() throws {
        let yaml = """
        version: 1
        people: { ann: { wecom: ann } }
        recipients:
          a: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1" }
        messages:
          - { to: a, text: { content: "t {{recipient.name}}" } }
          - { to: a, markdown: { content: "m" } }
          - { to: a, markdown_v2: { content: "v2" } }
          - { to: a, text: { content: "t", mentioned_list: ["@all"] } }
          - { to: a, mention: [ann], markdown: { content: "m" } }
        """
        var log = DiagnosticLog()
        guard case .success(let source) = SourceText.decode(Array(yaml.utf8), path: "job.yaml", directory: FileManager.default.temporaryDirectory),
              let job = JobLoader(environment: [:]).load(source, log: &log) else {
            Issue.record("load: \(log.diagnostics)"); return
        }
        let pipeline = Pipeline(job: job, run: RunContext(now: Date(timeIntervalSince1970: 0), timeZone: .gmt), only: nil, keepsMessages: false)
        #expect(pipeline.compiled.entries.map { $0.contentOnly != nil } == [true, true, false, false, false])
        #expect(pipeline.compiled.entries[1].contentOnly.map { String(decoding: $0.prefix + $0.suffix, as: UTF8.self) }
            == #"{"msgtype":"markdown","markdown":{"content":""}}"#)
    }

    /// `LimitChecker.checksOnlyContent` is true only where `check` asks nothing of a body of
    /// `content` alone but that it is not empty: what the branch tests itself.
    @Test func contentOnlyKindsAreCheckedForAnEmptyContentAlone() {
        let kinds: [MessageKind] = [.wecomText, .wecomMarkdown, .wecomMarkdownV2, .wecomImage, .wecomNews, .wecomFile, .wecomVoice,
                                    .wecomTemplateCard, .dingtalkText, .dingtalkMarkdown, .dingtalkLink, .dingtalkActionCard, .dingtalkFeedCard]
        let only = kinds.filter(LimitChecker.checksOnlyContent)
        #expect(only == [.wecomText, .wecomMarkdown, .dingtalkText])
        for kind in only {
            #expect(LimitChecker.check(kind: kind, body: ["content": "<font>x</font> <@id>"]).isEmpty, "\(kind)")
            let empty = LimitChecker.check(kind: kind, body: ["content": ""])
            #expect(empty.map(\.severity) == [.error], "\(kind)")
            #expect(empty.map(\.field) == [["content"]], "\(kind)")
        }
    }
}
