import HeraldCore
import Testing

/// The source line a terminal diagnostic shows under its message: no secret on it.
@Suite struct SourceLineMaskTests {
    @Test func linkValuesAreMaskedAsLinks() {
        #expect(SourceLineMask.mask(#"  ops: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=11111111-aaaa-0001", sk: SECabcdefgh }"#)
                == #"  ops: { link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…0001", sk: …efgh }"#)
        #expect(SourceLineMask.mask("    link: https://qyapi.weixin.qq.com/cgi-bin/webhook/send？key=11111111-aaaa-0001  # ops")
                == "    link: https://qyapi.weixin.qq.com/cgi-bin/webhook/send？key=…0001  # ops")
        #expect(SourceLineMask.mask(#"    link: "11111111-aaaa-bbbb-cccc-000000000001""#) == #"    link: "…0001""#)
        #expect(SourceLineMask.mask("endpoint: https://bot:hunter22@relay.example/api") == "endpoint: https://bot:…@relay.example/api")
    }

    @Test func signingKeysAndTokensKeepOnlyTheirLastFour() {
        #expect(SourceLineMask.mask("    sk: 'SEC0123456789abcdef'") == "    sk: '…cdef'")
        #expect(SourceLineMask.mask("access_token: tok-0123456789") == "access_token: …6789")
        #expect(SourceLineMask.mask("access_token: ${KDOCS_ACCESS_TOKEN}") == "access_token: ${KDOCS_ACCESS_TOKEN}", "a reference is no secret")
        #expect(SourceLineMask.mask("access_token: ${T:-tok-0123456789}") == "access_token: …6789}")
    }

    @Test func keysElsewhereOnTheLineAndOrdinaryLines() {
        #expect(SourceLineMask.mask(#"    text: { content: "see https://h/x?access_token=abcdefgh" }"#)
                == #"    text: { content: "see https://h/x?access_token=…efgh" }"#)
        let plain = #"    text: { content: "hi {{nme}}", mentioned_mobile_list: ["13800000000"] }"#
        #expect(SourceLineMask.mask(plain) == plain)
        #expect(SourceLineMask.mask("skip: true") == "skip: true")
        #expect(SourceLineMask.mask("link:") == "link:")
    }
}
