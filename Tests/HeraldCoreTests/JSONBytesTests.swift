import Foundation
import HeraldTemplate
import Testing

@Suite struct JSONBytesTests {
    @Test func escapesExactlyQuoteBackslashAndControlCharacters() {
        var all = ""
        for scalar in 0..<0x20 { all.unicodeScalars.append(Unicode.Scalar(UInt8(scalar))) }
        let value: Value = .string(all + "\"\\/ é中😀\u{7F}")
        let text: String = JSONWriter.string(value)
        let want: String = #""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\/ é中😀"# + "\u{7F}\""
        #expect(text == want)
    }

    @Test func numbersBooleansNullAndOrder() {
        let value: Value = ["z": 1, "a": 2.5, "m": 0.1, "t": true, "f": false, "n": nil, "l": [1, "x"], "e": [:] as Value]
        #expect(JSONWriter.string(value) == #"{"z":1,"a":2.5,"m":0.1,"t":true,"f":false,"n":null,"l":[1,"x"],"e":{}}"#)
    }

    @Test func outputParsesBackToTheSameStrings() throws {
        let samples = ["", "plain", "tab\there", "line\r\nbreak", "\u{1}\u{1F}", "👨‍👩‍👧 家族", "quote\"back\\slash"]
        for s in samples {
            let value: Value = .list([.string(s)])
            let data = Data(JSONWriter.string(value).utf8)
            let parsed = try JSONSerialization.jsonObject(with: data) as? [String]
            #expect(parsed == [s])
        }
    }
}
