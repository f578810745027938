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
        #expect(LinkMask.mask("https://h/p?key&sign=xy&x=1#key=frag") == "https://h/p?key&sign=…xy&x=1#key=…frag")
        #expect(LinkMask.mask("https://h/p?key=密钥是一二三四五") == "https://h/p?key=…二三四五")
        #expect(LinkMask.mask("https://h/p?Secret=a=b=cdef") == "https://h/p?Secret=…cdef")
        #expect(LinkMask.mask("https://h/p?keys=abcdef") == "https://h/p?keys=abcdef")
    }

    @Test func secretValuesAreTheMaskedParameters() {
        #expect(LinkMask.secretValues(in: "https://h/p?a=1&key=abc%2Fdef&access_token=t0k3n&x=key") == ["abc%2Fdef", "t0k3n"])
        #expect(LinkMask.secretValues(in: "https://h/p#key=frag") == ["frag"])
        #expect(LinkMask.secretValues(in: "https://u:pa55word@h/p?x=1").contains("pa55word"))
        #expect(LinkMask.secretValues(in: "11111111-aaaa-bbbb-cccc-000000000001") == ["11111111-aaaa-bbbb-cccc-000000000001"])
        #expect(LinkMask.secretValues(in: "https://h/p?x=1").isEmpty)
    }

    @Test func scrubRemovesSecretsFromFreeText() {
        #expect(LinkMask.scrub("GET /x?access_token=tok-123456 failed", secrets: ["tok-123456"]) == "GET /x?access_token=… failed")
    }

    // The malformed links users paste (issue 22): each keeps only the key's last 4 characters.
    static let key = "11111111-aaaa-bbbb-cccc-000000000001"

    @Test func aFullWidthQuestionMarkStillMasksTheKey() {
        #expect(LinkMask.mask("https://qyapi.weixin.qq.com/cgi-bin/webhook/send？key=\(Self.key)")
                == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send？key=…0001")
        #expect(LinkMask.mask("https://h/send?a=1＆key=\(Self.key)") == "https://h/send?a=1＆key=…0001")
        #expect(LinkMask.mask("https://h/send＃key=\(Self.key)") == "https://h/send＃key=…0001")
    }

    @Test func aKeyPastedAloneIsMasked() {
        #expect(LinkMask.mask(Self.key) == "…0001")
        #expect(LinkMask.mask("key: \(Self.key)") == "key: …0001")
        #expect(LinkMask.mask("693a91f67xxx4bc497a00ec2sifa5aaa") == "…5aaa")
        #expect(LinkMask.mask("not a url") == "not a url", "short words are no key")
    }

    @Test func whitespaceAndControlCharactersDoNotLetTheKeyThrough() {
        let base = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="
        #expect(LinkMask.mask(base + Self.key + " ") == base + "…0001 ")
        #expect(LinkMask.mask(" " + base + Self.key) == " " + base + "…0001")
        #expect(LinkMask.mask(base + "11111111-aaaa-\nbbbb-cccc-000000000001") == base + "…aaa-\n…0001")
        #expect(LinkMask.mask(base + "11111111-aaaa-\0bbbb-cccc-000000000001") == base + "…aaa-\0…0001")
        #expect(LinkMask.mask("https://qyapi.weixin.qq.com/cgi-bin/webhook/send key=\(Self.key)")
                == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send key=…0001")
        #expect(LinkMask.mask("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key＝\(Self.key)")
                == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key＝…0001", "a full-width '=': masked as a run")
    }

    @Test func afterAHashOrAnAmpersandToo() {
        #expect(LinkMask.mask("https://gw.example/hook#key=abcdefgh") == "https://gw.example/hook#key=…efgh")
        #expect(LinkMask.mask("https://gw.example/hook&access_token=abcdefgh") == "https://gw.example/hook&access_token=…efgh")
        #expect(LinkMask.mask("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=") == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=")
    }

    @Test func userinfoPasswordsAreMaskedWhole() {
        #expect(LinkMask.mask("https://bot:S3cr3tPass@gw.example/send?key=abcdef") == "https://bot:…@gw.example/send?key=…cdef")
        #expect(LinkMask.mask("http://u:p%40ss@h:8080/x") == "http://u:…@h:8080/x")
        #expect(LinkMask.mask("https://user@h/x") == "https://user@h/x", "no password, nothing to hide")
        #expect(LinkMask.mask("https://h/x?next=a:b@c") == "https://h/x?next=a:b@c", "an @ in the query is no userinfo")
        #expect(LinkMask.maskSecrets(in: "proxy https://a:hunter22@h and https://h/p?key=abcdef") == "proxy https://a:…@h and https://h/p?key=…cdef")
    }

    @Test func maskingIsIdempotent() {
        for link in ["https://bot:pw@gw.example/send?key=abcdef", Self.key, "https://h/send？key=\(Self.key) "] {
            #expect(LinkMask.mask(LinkMask.mask(link)) == LinkMask.mask(link))
        }
    }
}
