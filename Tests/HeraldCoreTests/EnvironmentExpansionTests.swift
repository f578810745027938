@testable import HeraldCore
import Testing

@Suite struct EnvironmentExpansionTests {
    let env = EnvironmentExpansion(environment: ["HOST": "example.com", "EMPTY": ""])

    @Test func expandsSetVariablesAndFallbacks() {
        #expect(env.expand("https://${HOST}/x") == .success("https://example.com/x"))
        #expect(env.expand("${MISSING:-fallback value}") == .success("fallback value"))
        #expect(env.expand("${EMPTY:-used when empty}") == .success("used when empty"))
        #expect(env.expand("${EMPTY}") == .success(""))
        #expect(env.expand("${MISSING:-}") == .success(""))
    }

    @Test func dollarDollarBraceIsALiteral() {
        #expect(env.expand("$${NOT_EXPANDED} and $HOST and $") == .success("${NOT_EXPANDED} and $HOST and $"))
    }

    @Test func errors() {
        #expect(env.expand("${MISSING}") == .failure(.unset("MISSING")))
        #expect(env.expand("${HOST") == .failure(.unterminated))
        #expect(env.expand("${1BAD}") == .failure(.badName("1BAD")))
        #expect(EnvironmentExpansion.message(for: .unset("X")).contains("${X:-default}"))
    }
}
