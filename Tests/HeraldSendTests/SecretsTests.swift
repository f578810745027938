import Foundation
import HeraldCore
import HeraldSend
import HeraldTestSupport
import Testing

@Suite struct SecretsTests {
    /// Failing sends, whose server answers even echo the URL: nothing we write shows a secret.
    @Test func noSecretInOutcomesReportJournalOrProgress() async throws {
        let journalPath = temporaryPath("secrets")
        let progressText = TestText()
        try await withRelay({ request, _ in
            .json(400, #"{"code":7,"msg":"bad request to \#(request.uri) tok en&SECRET/1","hint":"sk SK-SECRET-value"}"#)
        }) { relay in
            let plan = makePlan(endpoint: relay.endpoint, links: 2, messages: 2, sk: true)
            let journal = try Journal.open(path: journalPath)
            try journal.beginRun(job: "x", now: plan.now)
            let progress = Progress(live: true) { progressText.append($0) }
            let result = await Runner(options: options(), clock: VirtualClock(), journal: journal, progress: progress).run(plan)
            #expect(result.exitCode == 1)
            let journalText = try String(contentsOfFile: journalPath, encoding: .utf8)
            let outcomeText = result.outcomes.map { "\($0)" }.joined()
            for text in [result.reportJSON, result.summary, journalText, outcomeText, progressText.text] {
                for secret in [token, "tok%20en", skSecret, "KEYSECRET-1000", "KEYSECRET-1001", link(0)] {
                    #expect(!text.contains(secret), "'\(secret)' leaked")
                }
            }
            // The relay still got the real ones.
            #expect(relay.requests.first?.uri.contains("tok%20en%26SECRET%2F1") == true)
            #expect(relay.requests.first?.json?["sk"] as? String == skSecret)
        }
    }
}
