import Crypto
import HeraldTemplate

/// The exact request bytes (SPEC §4): `{"link":…,"sk":…,"data":[…]}`, compact, `sk` only when set.
public enum RequestEncoder {
    public static func body(link: String, sk: String?, messages: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(messages.reduce(64 + link.utf8.count) { $0 + $1.count + 1 })
        out.append(contentsOf: #"{"link":"#.utf8)
        JSONWriter.appendString(link, to: &out)
        if let sk, !sk.isEmpty {
            out.append(contentsOf: #","sk":"#.utf8)
            JSONWriter.appendString(sk, to: &out)
        }
        out.append(contentsOf: #","data":["#.utf8)
        for (i, message) in messages.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: message)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    /// The journal's key: SHA-256 over the link's UTF-8, one NUL byte, then the body; lowercase hex.
    public static func contentID(link: String, body: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(link.utf8))
        hasher.update(data: [0])
        hasher.update(data: body)
        return hasher.finalize().map { hexByte($0) }.joined()
    }

    private static func hexByte(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }
}
