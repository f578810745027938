import Foundation
import HeraldCore

// Plans a job file as `herald send --dry-run` does, then a job built in code; sends nothing.
let path = CommandLine.arguments.dropFirst().first ?? "examples/weekly-report/job.yaml"
let options = PlanningOptions(now: Date(timeIntervalSince1970: 1_795_570_200),  // 2026-11-25T09:30:00+08:00
                              timeZone: TimeZone(secondsFromGMT: 8 * 3600) ?? .current,
                              environment: ProcessInfo.processInfo.environment)
do {
    let plan = try await Herald.plan(jobAt: URL(fileURLWithPath: path), options: options)
    for request in plan.requests { print(request.maskedLink, "\(request.body.count) bytes") }

    var job = Job(name: "deploys", vars: ["service": "api"])
    job.add(Recipient(name: "ops", link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY"))
    job.add(try MessageEntry(content: "{{service}} {{version}} is out", to: ["ops"], vars: ["version": "2.4"]))
    for request in try await Herald.plan(job: job, options: options).requests {
        print(request.maskedLink, String(decoding: request.body, as: UTF8.self))
    }
} catch {
    print(error)  // every diagnostic, `file:line:column: error: …`
    exit(2)
}
