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

    /// Secrets: an unset name with no fallback stays as `${NAME}` and is reported; the rest expands.
    @Test func keepingUnsetLeavesTheRawReferenceAndNamesIt() {
        var unset: [String] = []
        #expect(env.expandKeepingUnset("https://${HOST}/send?key=${KEY}&x=${MISSING:-d}&y=${SK}", unset: &unset)
                == .success("https://example.com/send?key=${KEY}&x=d&y=${SK}"))
        #expect(unset == ["KEY", "SK"])
        var none: [String] = []
        #expect(env.expandKeepingUnset("$${LITERAL} ${HOST}", unset: &none) == .success("${LITERAL} example.com"))
        #expect(none.isEmpty)
        #expect(env.expandKeepingUnset("${OPEN", unset: &none) == .failure(.unterminated))
    }
}
