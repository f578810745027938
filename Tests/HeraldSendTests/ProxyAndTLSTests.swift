import Foundation
import HeraldCore
import HeraldSend
import HeraldTestSupport
import Testing

/// Proxies and TLS over real loopback sockets: an HTTP CONNECT proxy that records what passed
/// through it, and a relay with a certificate from a test CA.
@Suite struct ProxyAndTLSTests {
    func withProxy<T>(_ policy: LoopbackProxy.Policy = .open, _ body: (LoopbackProxy) async throws -> T) async throws -> T {
        try await withStarted(LoopbackProxy(policy: policy), body)
    }

    func withTLSRelay<T>(_ identity: TestCertificates.Identity = .relay, _ body: (LoopbackRelay) async throws -> T) async throws -> T {
        try await withStarted(LoopbackRelay(tls: identity), body)
    }

    func caFile() throws -> String {
        let path = temporaryPath("ca.pem")
        try Data(TestCertificates.caPEM.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func proxyCredentialsComeFromAFileSoThePasswordIsNotInTheProcessList() throws {
        let path = temporaryPath("proxy-credentials")
        try Data("alice:PROXY-PASSWORD\n".utf8).write(to: URL(fileURLWithPath: path))
        let settings = try ProxySettings.resolve(flag: "http://proxy.example:3128", environment: [:], credentialsFile: path)
        #expect(settings.https?.username == "alice" && settings.https?.password == "PROXY-PASSWORD")
        let fromURL = try ProxySettings.resolve(flag: "http://bob:other@proxy.example:3128", environment: [:], credentialsFile: path)
        #expect(fromURL.https?.username == "bob", "credentials in the URL win")
        try Data("no colon here".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ProxySettings.InvalidProxy.self) { try ProxySettings.resolve(flag: "http://p:1", environment: [:], credentialsFile: path) }
        #expect(throws: ProxySettings.InvalidProxy.self) { try ProxySettings.resolve(flag: nil, environment: [:], credentialsFile: path) }
        #expect(throws: ProxySettings.InvalidProxy.self) { try ProxySettings.resolve(flag: "http://p:1", environment: [:], credentialsFile: "/nonexistent") }
    }

    // MARK: - Proxies

    @Test func httpsGoesThroughTheProxyFromTheEnvironmentWithItsCredentials() async throws {
        try await withProxy(.credentials(user: "alice", password: "PROXY-PASSWORD")) { proxy in
            try await withTLSRelay { relay in
                let settings = try ProxySettings.resolve(flag: nil, environment: ["HTTPS_PROXY": proxy.url(user: "alice", password: "PROXY-PASSWORD")])
                let tls = try TLSSettings.load(cacert: caFile(), environment: [:])
                let plan = makePlan(endpoint: relay.endpoint, links: 2, messages: 3)
                let result = await Runner(options: options(proxy: settings, tls: tls), clock: VirtualClock()).run(plan)
                #expect(result.exitCode == 0, "\(result.outcomes.map { $0.error ?? "" })")
                #expect(relay.requests.count == 2)
                #expect(Set(relay.requests.map(\.body)) == Set(plan.requests.map(\.body)), "the same bytes through the tunnel")
                let connects = proxy.connects
                #expect(!connects.isEmpty && connects.allSatisfy { $0.target == "127.0.0.1:\(relay.port)" && $0.opened })
                #expect(connects.first?.proxyAuthorization == "Basic " + Data("alice:PROXY-PASSWORD".utf8).base64EncodedString())
            }
        }
    }

    @Test func noProxyGoesDirect() async throws {
        try await withProxy { proxy in
            try await withRelay { relay in
                for noProxy in ["127.0.0.1", "localhost,127.0.0.0/8", "*"] {
                    let settings = try ProxySettings.resolve(flag: nil, environment: ["http_proxy": proxy.url(), "NO_PROXY": noProxy])
                    let result = await Runner(options: options(proxy: settings), clock: VirtualClock())
                        .run(makePlan(endpoint: relay.endpoint, links: 1, messages: 1))
                    #expect(result.exitCode == 0)
                }
                #expect(proxy.connects.isEmpty)
                #expect(relay.requests.count == 3)
                // Without NO_PROXY the same relay is reached through the proxy.
                let settings = try ProxySettings.resolve(flag: nil, environment: ["http_proxy": proxy.url()])
                let result = await Runner(options: options(proxy: settings), clock: VirtualClock())
                    .run(makePlan(endpoint: relay.endpoint, links: 1, messages: 1))
                #expect(result.exitCode == 0)
                #expect(proxy.connects.map(\.target) == ["127.0.0.1:\(relay.port)"])
            }
        }
    }

    @Test func aRefusingProxyIsAClearErrorRetriedLikeAnyTransportError() async throws {
        try await withProxy(.refuse) { proxy in
            try await withRelay { relay in
                let settings = try ProxySettings.resolve(flag: proxy.url(user: "bob", password: "BOB-SECRET"), environment: [:])
                let clock = VirtualClock()
                let result = await Runner(options: options(retries: 2, proxy: settings), clock: clock, random: halfJitter)
                    .run(makePlan(endpoint: relay.endpoint, links: 1, messages: 1))
                let outcome = try #require(result.outcomes.first)
                #expect(outcome.status == .failed && outcome.attempts == 3)
                #expect(outcome.error == "the proxy 127.0.0.1:\(proxy.port) refused to open a tunnel to 127.0.0.1:\(relay.port) (its answer to CONNECT was not 2xx); gave up after 3 attempts")
                #expect(clock.recordedWaits == [0.25, 0.5], "backoff between attempts")
                #expect(proxy.connects.count == 3)
                #expect(relay.requests.isEmpty)
                for text in [result.reportJSON, result.summary] { #expect(!text.contains("BOB-SECRET")) }
            }
        }
        // Nobody listening where the proxy should be.
        let settings = try ProxySettings.resolve(flag: "http://127.0.0.1:1", environment: [:])
        let result = await Runner(options: options(retries: 0, proxy: settings), clock: VirtualClock())
            .run(makePlan(endpoint: "http://127.0.0.1:9/api", links: 1, messages: 1))
        #expect(result.outcomes.first?.error == "cannot reach the proxy 127.0.0.1:1 (connection refused); gave up after 1 attempt")
    }

    @Test func proxySettingsAreReadAsCurlReadsThem() throws {
        func resolve(_ env: [String: String], flag: String? = nil) throws -> ProxySettings { try ProxySettings.resolve(flag: flag, environment: env) }
        let https = "https://relay.example/api", http = "http://relay.example/api"
        #expect(try resolve(["HTTPS_PROXY": "p1:3128"]).proxy(for: https)?.display == "p1:3128")
        #expect(try resolve(["https_proxy": "http://p2:8080", "HTTPS_PROXY": "p1:3128"]).proxy(for: https)?.display == "p2:8080", "lowercase wins")
        #expect(try resolve(["HTTP_PROXY": "p1:3128"]).proxy(for: http) == nil, "HTTP_PROXY in capitals is ignored, as by curl")
        #expect(try resolve(["http_proxy": "p1:3128"]).proxy(for: http)?.display == "p1:3128")
        #expect(try resolve(["http_proxy": "p1:3128"]).proxy(for: https) == nil)
        #expect(try resolve(["ALL_PROXY": "p3"]).proxy(for: https)?.display == "p3:1080", "curl's default port")
        #expect(try resolve(["HTTPS_PROXY": "p1:3128"], flag: "http://p4:9000").proxy(for: https)?.display == "p4:9000", "--proxy wins")
        #expect(try resolve(["HTTPS_PROXY": "p1:3128"], flag: "").proxy(for: https) == nil, "--proxy '' turns it off")
        let withCredentials = try resolve(["HTTPS_PROXY": "http://us%40er:p%3Ass@p1:3128"]).proxy(for: https)
        #expect(withCredentials?.username == "us@er" && withCredentials?.password == "p:ss")
        for (noProxy, host, bypassed) in [(".example.com", "relay.example.com", true), ("example.com", "example.com", true),
                                          ("example.com", "notexample.com", false), ("10.0.0.0/8", "10.1.2.3", true),
                                          ("10.0.0.0/8", "11.0.0.1", false), ("::1", "[::1]", true), ("*", "anything", true),
                                          ("a.test, example.com", "x.example.com", true), ("EXAMPLE.com", "relay.example.COM", true)] {
            let settings = try resolve(["HTTPS_PROXY": "p1:3128", "NO_PROXY": noProxy])
            #expect((settings.proxy(for: "https://\(host)/api") == nil) == bypassed, "NO_PROXY=\(noProxy) for \(host)")
        }
    }

    @Test func anUnusableProxyURLSaysWhyWithoutItsPassword() {
        for (value, why) in [("socks5://u:SECRET-PW@p:1080", "socks5:// is not supported"), ("http://u:SECRET-PW@p:99999", "out of range"),
                             ("http://u:SECRET-PW@:3128", "no host"), ("http://u:SECRET-PW@p:3128/path", "no path")] {
            #expect {
                _ = try ProxySettings.resolve(flag: nil, environment: ["HTTPS_PROXY": value])
            } throws: { error in
                let text = "\(error)"
                return text.hasPrefix("HTTPS_PROXY: '") && text.contains(why) && !text.contains("SECRET-PW") && text.contains("u:…@")
            }
        }
    }

    // MARK: - TLS

    @Test func anUntrustedCertificateIsFinalAndSaysWhatToDo() async throws {
        try await withTLSRelay { relay in
            let result = await Runner(options: options(retries: 3), clock: VirtualClock())
                .run(makePlan(endpoint: relay.endpoint, links: 1, messages: 2, batch: 1))
            let outcome = try #require(result.outcomes.first)
            #expect(outcome.status == .failed)
            #expect(outcome.attempts == 1, "not retried")
            #expect(outcome.error == "TLS: the certificate of 127.0.0.1 is not trusted (CERTIFICATE_VERIFY_FAILED); for a company CA set SSL_CERT_FILE or --cacert")
            #expect(result.outcomes.last?.status == .notSent)
            #expect(relay.requests.isEmpty)
            for text in [result.reportJSON, result.summary] { #expect(!text.contains(".build") && !text.contains(".cc:")) }
        }
    }

    @Test func cacertAndSSLCertFileAddTheCompanyCA() async throws {
        try await withTLSRelay { relay in
            for tls in [try TLSSettings.load(cacert: caFile(), environment: [:]),
                        try TLSSettings.load(cacert: nil, environment: ["SSL_CERT_FILE": caFile()])] {
                let result = await Runner(options: options(tls: tls), clock: VirtualClock()).run(makePlan(endpoint: relay.endpoint, links: 1, messages: 1))
                #expect(result.exitCode == 0, "\(result.outcomes.map { $0.error ?? "" })")
            }
            #expect(relay.requests.count == 2)
        }
    }

    @Test func aCertificateForAnotherNameIsFinal() async throws {
        try await withTLSRelay(.otherName) { relay in
            let tls = try TLSSettings.load(cacert: caFile(), environment: [:])
            let result = await Runner(options: options(tls: tls), clock: VirtualClock()).run(makePlan(endpoint: relay.endpoint, links: 1, messages: 1))
            let outcome = try #require(result.outcomes.first)
            #expect(outcome.attempts == 1 && outcome.status == .failed)
            #expect(outcome.error?.hasPrefix("TLS: the certificate presented by 127.0.0.1 is for other names") == true, "\(outcome.error ?? "")")
        }
    }

    @Test func anUnreadableOrEmptyCAFileIsAnError() throws {
        let missing = temporaryPath("missing.pem")
        #expect { try TLSSettings.load(cacert: missing, environment: [:]) } throws: { "\($0)" == "--cacert \(missing): cannot read it (No such file or directory)" }
        let notPEM = temporaryPath("not.pem")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: notPEM))
        #expect { try TLSSettings.load(cacert: nil, environment: ["SSL_CERT_FILE": notPEM]) } throws: {
            "\($0)" == "SSL_CERT_FILE \(notPEM): holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
        }
        // A device is refused at once, not read for ever.
        #expect { try TLSSettings.load(cacert: "/dev/zero", environment: [:]) } throws: {
            "\($0)" == "--cacert /dev/zero: cannot read it (it is not a regular file (a device, pipe or socket))"
        }
    }
}
