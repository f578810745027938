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

    @Test func scrubRemovesSecretsFromFreeText() {
        #expect(LinkMask.scrub("GET /x?access_token=tok-123456 failed", secrets: ["tok-123456"]) == "GET /x?access_token=… failed")
    }
}
