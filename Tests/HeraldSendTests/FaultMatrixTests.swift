import Foundation
import HeraldCore
import HeraldSend
import HeraldTestSupport
import Testing

/// Relays that answer badly, over real loopback sockets: Herald never reports a loss as a
/// delivery, never sends a message twice without saying so, and never reads an answer without end.
@Suite struct FaultMatrixTests {
    func runOne(_ behavior: LoopbackRelay.Behavior, timeout: Double = 5, retries: Int = 3) async throws -> (RequestOutcome, RunResult, Int) {
        try await withRelay({ _, _ in behavior }) { relay in
            let plan = makePlan(endpoint: relay.endpoint, links: 1, messages: 1)
            let result = await Runner(options: options(timeout: timeout, retries: retries), clock: VirtualClock()).run(plan)
            return (try #require(result.outcomes.first), result, relay.requests.count)
        }
    }

    // MARK: - Redirects are final, never followed

    @Test(arguments: [301, 302, 303, 307, 308])
    func aRedirectIsAFinalFailureAndItsTargetIsNeverContacted(status: Int) async throws {
        try await withRelay { elsewhere in
            let target = "http://127.0.0.1:\(elsewhere.port)/steal?key=LOCATION-SECRET"
            let (outcome, result, arrived) = try await runOne(.respond(status: status, headers: [("Location", target)], body: ""))
            #expect(outcome.status == .failed)
            #expect(outcome.attempts == 1, "not retried")
            #expect(arrived == 1)
            #expect(elsewhere.requests.isEmpty, "the Location was not followed")
            let error = outcome.error ?? ""
            #expect(error.contains("HTTP \(status) redirect to http://127.0.0.1:\(elsewhere.port)"), "\(error)")
            #expect(!error.contains("LOCATION-SECRET") && !error.contains("steal"), "only the Location's host is shown")
            #expect(result.exitCode == 1)
        }
    }

    @Test func anHTTPSRelayRedirectingToPlainHTTPDoesNotSendTheBodyThere() async throws {
        try await withRelay { plain in
            try await withStarted(LoopbackRelay(tls: .relay, script: { _, _ in
                .respond(status: 307, headers: [("Location", "http://127.0.0.1:\(plain.port)/api/v1/openapi/notification/wecom")], body: "")
            })) { relay in
                let caPath = temporaryPath("ca.pem")
                try Data(TestCertificates.caPEM.utf8).write(to: URL(fileURLWithPath: caPath))
                let tls = try TLSSettings.load(cacert: caPath, environment: [:])
                let plan = makePlan(endpoint: relay.endpoint, links: 1, messages: 1, sk: true)
                let result = await Runner(options: options(tls: tls), clock: VirtualClock()).run(plan)
                #expect(result.outcomes.map(\.status) == [.failed])
                #expect(relay.requests.count == 1)
                #expect(plain.requests.isEmpty, "the robot's key and sk never reach the Location's host")
            }
        }
    }

    // MARK: - `code` is the JSON integer 0, or it is not delivered

    @Test(arguments: [
        #"{"code":"0","data":{}}"#, #"{"code":0.0}"#, #"{"code":false}"#, #"{"code":null}"#, #"{"code":0.5}"#,
        #"{"code":-0}"#, #"{"code":0e0}"#, #"{"data":{}}"#, #"{"code":0,"code":1}"#, #"{"code":1,"code":0}"#,
        #"[{"code":0}]"#, #"{"code":0}{"code":0}"#, #"{"code":0} trailing"#, "0", "", "garbage", "<html>ok</html>",
        #"{"code":[0]}"#, #"{"code":{"value":0}}"#, #"{code:0}"#,
    ])
    func anAnswerWhoseCodeIsNotTheInteger0IsAFailureNotADelivery(body: String) async throws {
        let (outcome, result, arrived) = try await runOne(.json(200, body))
        #expect(outcome.status == .failed, "\(body): \(outcome.status)")
        #expect(outcome.attempts == 1, "a 2xx is never retried: the relay may have delivered it")
        #expect(arrived == 1)
        #expect(outcome.error?.isEmpty == false)
        #expect(result.exitCode == 1)
    }

    @Test func exactly0IsDeliveredWithAnyMembersAroundIt() async throws {
        for body in [#"{"code":0}"#, #" { "msg" : "ok", "code" : 0 , "data" : {"a":[1,2,{"b":null}]}, "hint": "\u00e9" } "#] {
            let (outcome, _, _) = try await runOne(.json(200, body))
            #expect(outcome.status == .delivered, "\(body)")
        }
    }

    // MARK: - Lost answers are uncertain, never retried

    @Test func anAnswerLaterThanTheTimeoutIsUncertainAndNotSentAgain() async throws {
        let (outcome, result, arrived) = try await runOne(.respondAfter(seconds: 2, status: 200, headers: [], body: #"{"code":0}"#),
                                                          timeout: 0.3)
        #expect(outcome.status == .uncertain)
        #expect(outcome.attempts == 1)
        #expect(arrived == 1, "a second copy would be a silent duplicate")
        #expect(outcome.error?.contains("may have been delivered") == true, "\(outcome.error ?? "")")
        #expect(result.exitCode == 1)
        #expect(result.summary.contains("1 uncertain"), "\(result.summary)")
        #expect(result.reportJSON.contains(#""uncertain": 1"#))
    }

    @Test func aConnectionClosedAfterTheRequestArrivedIsUncertain() async throws {
        let (outcome, _, arrived) = try await runOne(.close)
        #expect(outcome.status == .uncertain)
        #expect(arrived == 1)
    }

    @Test func anAnswerCutShortIsUncertain() async throws {
        let (outcome, _, arrived) = try await runOne(.cut(status: 200, body: #"{"code":0,"da"#, claimed: 200))
        #expect(outcome.status == .uncertain, "\(outcome.error ?? "")")
        #expect(arrived == 1)
    }

    @Test func aJSONBodyCutShortInsideAComplete200IsUncertainToo() async throws {
        let (outcome, _, _) = try await runOne(.json(200, #"{"code":0,"data":{"#))
        #expect(outcome.status == .uncertain)
    }

    @Test func aLaterRequestOfAnUncertainLinkWaitsOtherLinksGoOn() async throws {
        try await withRelay({ request, _ in request.link == link(0) ? .close : .accept }) { relay in
            let plan = makePlan(endpoint: relay.endpoint, links: 2, messages: 3, batch: 1)
            let result = await Runner(options: options(), clock: VirtualClock()).run(plan)
            let byLink = Dictionary(grouping: result.outcomes, by: \.link)
            #expect(byLink[LinkMask.mask(link(0))]?.map(\.status) == [.uncertain, .notSent, .notSent])
            #expect(byLink[LinkMask.mask(link(1))]?.map(\.status) == [.delivered, .delivered, .delivered])
            #expect(relay.requests.filter { $0.link == link(0) }.count == 1)
        }
    }

    // MARK: - Bounded answers

    @Test func anAnswerThatNeverEndsIsCutAtTheCapWithoutGrowingTheProcess() async throws {
        let (outcome, _, arrived) = try await runOne(.endless(status: 200, limit: 64 << 20))
        #expect(outcome.status == .uncertain, "a 2xx head came: it may have been delivered")
        #expect(outcome.error?.contains("64 KiB") == true, "\(outcome.error ?? "")")
        #expect(arrived == 1)
    }

    @Test func aHugeErrorAnswerIsAFinalFailure() async throws {
        let (outcome, _, _) = try await runOne(.endless(status: 500, limit: 64 << 20))
        #expect(outcome.status == .failed)
        #expect(outcome.attempts == 1)
        #expect(outcome.error?.contains("64 KiB") == true)
    }

    @Test func aDeclaredLengthOverTheCapIsRefusedBeforeItsBodyIsRead() async throws {
        let big = String(repeating: " ", count: 70_000) + #"{"code":0}"#
        let (outcome, _, _) = try await runOne(.json(200, big))
        #expect(outcome.status == .uncertain)
    }
}
