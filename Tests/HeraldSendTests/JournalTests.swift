import Foundation
import HeraldCore
import HeraldSend
import HeraldTestSupport
import Testing

@Suite struct JournalTests {
    @Test func aRerunSkipsWhatWasDelivered() async throws {
        let path = temporaryPath("journal")
        let failFirstTime = TestFlag()
        try await withRelay({ request, attempt in
            // link 1 fails on the first run only.
            request.link == link(1) && !failFirstTime.isSet ? .json(400, #"{"code":1,"msg":"bad"}"#) : .accept
        }) { relay in
            let plan = makePlan(endpoint: relay.endpoint, links: 2, messages: 3)
            let first = try Journal.open(path: path)
            try first.beginRun(job: "test", now: plan.now)
            let r1 = await Runner(options: options(), clock: VirtualClock(), journal: first).run(plan)
            #expect(r1.exitCode == 1)
            #expect(first.resumeNow == nil)
            first.close()
            failFirstTime.set()
            let second = try Journal.open(path: path)
            #expect(second.deliveredIDs.count == 1)
            #expect(second.resumeNow.map { abs($0.timeIntervalSince(plan.now)) < 0.001 } == true, "an unfinished run's now is reused")
            try second.beginRun(job: "test", now: plan.now)
            let r2 = await Runner(options: options(), clock: VirtualClock(), journal: second).run(plan)
            #expect(r2.outcomes.map(\.status) == [.skipped, .delivered])
            #expect(r2.exitCode == 0)
            second.close()
            let third = try Journal.open(path: path)
            #expect(third.resumeNow == nil, "a finished run is not resumed")
            #expect(relay.requests.filter { $0.link == link(0) }.count == 1, "nothing delivered twice")
        }
    }

    @Test func aTornLastLineIsToleratedWithAWarning() throws {
        let path = temporaryPath("torn")
        let good = #"{"type":"outcome","run":"r","id":"abc","request":1,"status":"delivered","attempts":1}"#
        try Data((good + "\n" + #"{"type":"outcome","run":"r","id":"de"#).utf8).write(to: URL(fileURLWithPath: path))
        let journal = try Journal.open(path: path)
        #expect(journal.deliveredIDs == ["abc"])
        #expect(journal.warnings.count == 1)
        try journal.beginRun(job: "x", now: Date())
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2, "the torn line was cut, the new record starts on its own line")
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    }

    @Test func corruptLinesInTheMiddleAreAnError() throws {
        let path = temporaryPath("corrupt")
        try Data("not json\n{\"type\":\"finished\",\"run\":\"r\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: Journal.OpenError.self) { try Journal.open(path: path) }
    }

    @Test func twoRunsCannotShareAJournal() throws {
        let path = temporaryPath("locked")
        let first = try Journal.open(path: path)
        do {
            _ = try Journal.open(path: path)
            Issue.record("the second open should fail")
        } catch {
            #expect(error.description.contains("in use by another herald run"))
        }
        withExtendedLifetime(first) {}
    }
}
