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
            #expect(first.recordedNow == nil)
            first.close()
            failFirstTime.set()
            let second = try Journal.open(path: path)
            #expect(second.deliveredIDs.count == 1)
            #expect(second.recordedNow.map { abs($0.timeIntervalSince(plan.now)) < 0.001 } == true, "the run's now is reused")
            #expect(second.uncertainIDs.isEmpty, "every request sent had its outcome recorded")
            try second.beginRun(job: "test", now: plan.now)
            let r2 = await Runner(options: options(), clock: VirtualClock(), journal: second).run(plan)
            #expect(r2.outcomes.map(\.status) == [.skipped, .delivered])
            #expect(r2.exitCode == 0)
            second.close()
            let third = try Journal.open(path: path)
            #expect(third.recordedNow.map { abs($0.timeIntervalSince(plan.now)) < 0.001 } == true,
                    "a journal is one run: finished or not, its first now stands")
            #expect(relay.requests.filter { $0.link == link(0) }.count == 1, "nothing delivered twice")
        }
    }

    @Test func aTornLastLineIsToleratedWithAWarning() throws {
        let path = temporaryPath("torn")
        let run = #"{"type":"run","run":"r","job":"x","now":"2026-11-25T01:30:00.000Z","now_unix":1795570200}"#
        let good = #"{"type":"outcome","run":"r","id":"abc","request":1,"status":"delivered","attempts":1}"#
        try Data((run + "\n" + good + "\n" + #"{"type":"outcome","run":"r","id":"de"#).utf8).write(to: URL(fileURLWithPath: path))
        let journal = try Journal.open(path: path)
        #expect(journal.deliveredIDs == ["abc"])
        #expect(journal.warnings.count == 1)
        try journal.beginRun(job: "x", now: Date())
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3, "the torn line was cut, the new record starts on its own line")
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

/// A journal is the truth or nothing is sent: files that are not journals are refused and left
/// as they are; records are whole; what was in flight is remembered as uncertain.
@Suite struct JournalSafetyTests {
    static let runRecord = #"{"type":"run","run":"r","job":"x","now":"2026-11-25T01:30:00.000Z","now_unix":1795570200}"#

    @Test(arguments: [
        "just one line that is not a journal\n",
        "no newline either",
        "{\"type\":\"outcome\",\"run\":\"r\",\"id\":\"abc\",\"status\":\"delivered\"}\n",
        "\u{7F}ELF\u{02}\u{01}\u{01}\0\0\0\0binary",
        "{\"a\":1}\n{\"b\":2}\n",
    ])
    func aFileThatIsNotAJournalIsRefusedAndLeftAsItIs(content: String) throws {
        let path = temporaryPath("not-a-journal")
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try Journal.open(path: path)
            Issue.record("opened a file that is not a journal")
        } catch {
            #expect(error.description.contains("not a Herald journal") || error.description.contains("not a journal record"), "\(error)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(content.utf8), "never truncated or rewritten")
    }

    @Test func devicesFIFOsAndFoldersAreRefusedBeforeAnythingIsRead() throws {
        let fifo = temporaryPath("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        for path in ["/dev/zero", "/dev/null", fifo, FileManager.default.temporaryDirectory.path] {
            do {
                _ = try Journal.open(path: path)
                Issue.record("opened \(path)")
            } catch {
                #expect(error.description.contains("not a file"), "\(path): \(error)")
            }
        }
    }

    @Test func aRecordThatFailedHalfWayIsCutBeforeTheNextOneNeverJoined() throws {
        let path = temporaryPath("halfway")
        let journal = try Journal.open(path: path)
        try journal.beginRun(job: "x", now: Date(timeIntervalSince1970: 1_795_570_200))
        // What a write that ran out of space half-way leaves behind.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"type":"outcome","run":"#.utf8))
        try handle.close()
        try journal.recordSending(contentID: "abc", index: 0)
        journal.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil }, "\(lines)")
        #expect(try Journal.open(path: path).uncertainIDs == ["abc"])
    }

    @Test func aSendingRecordWithoutItsOutcomeIsUncertainAndAnOutcomeSettlesIt() throws {
        let path = temporaryPath("inflight")
        let lines = [
            Self.runRecord,
            #"{"type":"sending","run":"r","id":"a","request":1}"#,
            #"{"type":"outcome","run":"r","id":"a","request":1,"status":"delivered","attempts":1}"#,
            #"{"type":"sending","run":"r","id":"b","request":2}"#,
            #"{"type":"sending","run":"r","id":"c","request":3}"#,
            #"{"type":"outcome","run":"r","id":"c","request":3,"status":"uncertain","attempts":1}"#,
            #"{"type":"sending","run":"r","id":"d","request":4}"#,
            #"{"type":"outcome","run":"r","id":"d","request":4,"status":"failed","attempts":4}"#,
        ]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let journal = try Journal.open(path: path)
        #expect(journal.deliveredIDs == ["a"])
        #expect(journal.uncertainIDs == ["b", "c"], "b was in flight at a crash, c's answer was lost; d failed for sure")
        #expect(journal.recordedNow == Date(timeIntervalSince1970: 1_795_570_200))
    }

    @Test func theRunnerRecordsEachRequestInFlightBeforeSendingIt() async throws {
        let path = temporaryPath("order")
        try await withRelay { relay in
            let plan = makePlan(endpoint: relay.endpoint, links: 2, messages: 3, batch: 1)
            let journal = try Journal.open(path: path)
            try journal.beginRun(job: "test", now: plan.now)
            let result = await Runner(options: options(), clock: VirtualClock(), journal: journal).run(plan)
            #expect(result.exitCode == 0)
            journal.close()
            let records = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            for request in plan.requests {
                let types = records.filter { $0["id"] as? String == request.contentID }.compactMap { $0["type"] as? String }
                #expect(types == ["sending", "outcome"], "request \(request.index + 1): \(types)")
            }
        }
    }
}
