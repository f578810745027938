import Foundation
@testable import HeraldCore
import HeraldTemplate
import Testing

/// `OneMessageJob` (herald notify): the job it makes, and that preparing it gives the plan of
/// the job file that says the same.
@Suite struct OneMessageJobTests {
    static let wecom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=ONE-0001"
    static let dingtalk = "https://oapi.dingtalk.com/robot/send?access_token=ONE-0002"
    let here = URL(fileURLWithPath: "/")

    func made(_ message: OneMessageJob) throws -> Job {
        switch message.job(directory: here) {
        case .success(let job): return job
        case .failure(let error): throw error
        }
    }

    func errors(_ message: OneMessageJob) -> [String] {
        guard case .failure(let error) = message.job(directory: here) else { return [] }
        return error.diagnostics.map(\.description)
    }

    @Test func oneRecipientPerLinkInOrderWithItsPlatformAndTheSk() throws {
        var message = OneMessageJob(links: [Self.dingtalk, Self.wecom], body: "hi")
        message.sk = "SK"
        let job = try made(message)
        #expect(job.name == "notify")
        #expect(job.recipientOrder == ["link 1", "link 2"])
        #expect(job.recipients["link 1"]?.platform == .dingtalk && job.recipients["link 2"]?.platform == .wecom)
        #expect(job.recipients.values.allSatisfy { $0.sk == "SK" })
        #expect(job.messages.count == 1 && job.messages[0].template.msgtype == "text")
        #expect(job.messages[0].vars["body"] == .string("hi"))
    }

    @Test func mentionsBecomePeopleByTheirShape() throws {
        var message = OneMessageJob(links: [Self.wecom], body: "hi")
        message.mentions = [" lisi ", "13800000000", "@all", "lisi", "1380000000"]
        let job = try made(message)
        #expect(job.peopleOrder == ["lisi", "13800000000", "1380000000"])
        #expect(job.people["lisi"]?.wecom == "lisi" && job.people["lisi"]?.dingtalk == "lisi" && job.people["lisi"]?.mobile == nil)
        #expect(job.people["13800000000"]?.mobile == "13800000000" && job.people["13800000000"]?.wecom == nil)
        #expect(job.people["1380000000"]?.wecom == "1380000000", "10 digits is not a mobile number")
        #expect(job.messages[0].mention?.count == 5)
    }

    @Test func theTitleIsTheFirstLineAndDingTalksMarkdownTitle() throws {
        var message = OneMessageJob(links: [Self.dingtalk], body: "- one\n- two")
        message.format = .markdown
        message.title = "Release 2.4"
        let job = try made(message)
        #expect(job.messages[0].vars["body"] == .string("# Release 2.4\n\n- one\n- two"))
        let prepared = try #require(try? JobPreparation.prepare(job: job, log: DiagnosticLog(), options: PlanningOptions()).get())
        let body = String(decoding: try #require(prepared.plan.requests.first).body, as: UTF8.self)
        #expect(body.contains(##""markdown":{"title":"Release 2.4","text":"# Release 2.4\n\n- one\n- two"}"##), "\(body)")
    }

    @Test func theBodyIsNeverATemplate() throws {
        let job = try made(OneMessageJob(links: [Self.wecom], body: "{{#x}} {{> p}} {{y"))
        let prepared = try #require(try? JobPreparation.prepare(job: job, log: DiagnosticLog(), options: PlanningOptions()).get())
        #expect(String(decoding: try #require(prepared.plan.requests.first).body, as: UTF8.self).contains(#""content":"{{#x}} {{> p}} {{y""#))
    }

    @Test func everyProblemIsReportedAtOnce() {
        var message = OneMessageJob(links: ["not a link", Self.wecom, Self.wecom], body: " \n")
        message.title = "a\nb"
        message.mentions = [""]
        message.endpoint = "ftp://relay"
        #expect(errors(message) == [
            "<command line>:1:1: error: --endpoint must be an http(s) URL, got 'ftp://relay'",
            "<command line>:1:1: error: link 1 must be an http(s) URL, got 'not a link'",
            "<command line>:1:1: error: link 3 is link 2 again; each robot gets the message once",
            "<command line>:1:1: error: --title must be one line",
            "<command line>:1:1: error: the message is empty; give its text as the last argument, or '-' (or nothing) to read it from standard input",
            "<command line>:1:1: error: --mention is empty; give a userid, a mobile number or @all",
        ])
        #expect(errors(OneMessageJob(links: [], body: "hi")).first?.contains("no robot link") == true)
    }
}
