@testable import HeraldCore
import Testing

/// The small grammars of `serve:`: listen addresses, durations, sizes, route names.
@Suite struct ServeValuesTests {
    @Test func listenAddressesThatParse() {
        #expect(ListenAddress.parse("127.0.0.1:9095") == ListenAddress(host: "127.0.0.1", port: 9095))
        #expect(ListenAddress.parse("[2001:db8::1]:443") == ListenAddress(host: "2001:db8::1", port: 443))
        #expect(ListenAddress.parse("[::ffff:127.0.0.1]:80")?.isLoopback == true)
        #expect(ListenAddress.parse("[0:0:0:0:0:0:0:1]:80")?.isLoopback == true)
        #expect(ListenAddress.parse("LOCALHOST:80")?.isLoopback == true)
        #expect(ListenAddress.parse("192.168.1.10:9095")?.isLoopback == false)
        #expect(ListenAddress(host: "::1", port: 9095).description == "[::1]:9095")
        #expect(ListenAddress(host: "127.0.0.1", port: 9095).description == "127.0.0.1:9095")
    }

    @Test func listenAddressesThatDoNot() {
        for text in ["", "9095", ":9095", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "256.0.0.1:80", "01.2.3.4:80",
                     "1.2.3:80", "herald.internal:9095", "::1:9095", "[::1]", "[::1]9095", "[:::1]:80", "[1::2::3]:80", "[12345::]:80",
                     "[fe80::1%eth0]:80", "127.0.0.1:80x", "127.0.0.1:+80"] {
            #expect(ListenAddress.parse(text) == nil, "\(text)")
        }
    }

    @Test func durations() {
        let cases: [(String, Double?)] = [("0", 0), ("30s", 30), ("10m", 600), ("1h", 3600), ("1h30m", 5400), ("1.5h", 5400), ("2d", 172_800),
                                          ("0s", 0), ("10", nil), ("10 m", nil), ("m", nil), ("1x", nil), ("", nil), ("1h30", nil), (".5h", nil), ("-1m", nil)]
        for (text, seconds) in cases { #expect(DurationText.seconds(text) == seconds, "\(text)") }
    }

    @Test func sizes() {
        let cases: [(String, Int?)] = [("1MiB", 1_048_576), ("512KiB", 524_288), ("2048B", 2048), ("100", 100), ("1 MiB", 1_048_576),
                                       ("1MB", nil), ("1.5MiB", nil), ("KiB", nil), ("-1", nil), ("1GiB", nil), ("1kib", nil)]
        for (text, bytes) in cases { #expect(ByteSize.bytes(text) == bytes, "\(text)") }
    }

    @Test func routeNames() {
        #expect(EventRoute.isValidName("alertmanager") && EventRoute.isValidName("per-alert_2"))
        #expect(!EventRoute.isValidName("") && !EventRoute.isValidName("a b") && !EventRoute.isValidName("a/b") && !EventRoute.isValidName("告警"))
        #expect(EventRoute.suggestedName("release notes") == "release-notes")
        #expect(EventRoute.suggestedName("告警") == nil)
    }
}
