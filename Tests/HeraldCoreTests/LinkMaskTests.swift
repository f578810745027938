import HeraldCore
import Testing

@Suite struct LinkMaskTests {
    @Test func masksTheKeyToItsLastFourCharacters() {
        #expect(LinkMask.mask("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa")
                == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…5aaa")
        #expect(LinkMask.mask("https://h/p?a=1&key=abcdef&b=2") == "https://h/p?a=1&key=…cdef&b=2")
        #expect(LinkMask.mask("https://oapi.dingtalk.com/robot/send?access_token=0123456789") == "https://oapi.dingtalk.com/robot/send?access_token=…6789")
        #expect(LinkMask.mask("https://h/no-query") == "https://h/no-query")
    }

    @Test func queryEdgesKeepEverythingButTheSecret() {
        #expect(LinkMask.mask("https://h/p?") == "https://h/p?")
        #expect(LinkMask.mask("https://h/p?&&KEY=abcdef&") == "https://h/p?&&KEY=…cdef&")
        #expect(LinkMask.mask("https://h/p?key&sign=xy&x=1#key=frag") == "https://h/p?key&sign=…xy&x=1#key=frag")
        #expect(LinkMask.mask("https://h/p?key=密钥是一二三四五") == "https://h/p?key=…二三四五")
        #expect(LinkMask.mask("https://h/p?Secret=a=b=cdef") == "https://h/p?Secret=…cdef")
        #expect(LinkMask.mask("https://h/p?keys=abcdef") == "https://h/p?keys=abcdef")
    }

    @Test func secretValuesAreTheMaskedParameters() {
        #expect(LinkMask.secretValues(in: "https://h/p?a=1&key=abc%2Fdef&access_token=t0k3n&x=key") == ["abc%2Fdef", "t0k3n"])
        #expect(LinkMask.secretValues(in: "https://h/p#key=frag").isEmpty)
    }

    @Test func scrubRemovesSecretsFromFreeText() {
        #expect(LinkMask.scrub("GET /x?access_token=tok-123456 failed", secrets: ["tok-123456"]) == "GET /x?access_token=… failed")
    }
}
