import Crypto
import HeraldTemplate

/// The exact request bytes (docs/job-file.md, "The plan and the bytes"): `{"link":…,"sk":…,"data":[…]}`, compact, `sk` only when set.
enum RequestEncoder {
    static func body(link: String, sk: String?, messages: [[UInt8]]) -> [UInt8] {
        var out = prefix(link: link, sk: sk, capacity: messages.reduce(0) { $0 + $1.count + 1 })
        for (i, message) in messages.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: message)
        }
        appendSuffix(to: &out)
        return out
    }

    /// `{"link":…,"sk":…,"data":[` — a body up to its first message.
    static func prefix(link: String, sk: String?, capacity: Int = 4096) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(capacity + 64 + link.utf8.count)
        out.append(contentsOf: #"{"link":"#.utf8)
        JSONWriter.appendString(link, to: &out)
        if let sk, !sk.isEmpty {
            out.append(contentsOf: #","sk":"#.utf8)
            JSONWriter.appendString(sk, to: &out)
        }
        out.append(contentsOf: #","data":["#.utf8)
        return out
    }

    static func appendSuffix(to out: inout [UInt8]) {
        out.append(contentsOf: "]}".utf8)
    }

    /// The journal's key: SHA-256 over the link's UTF-8, one NUL byte, then the body; lowercase hex.
    static func contentID(link: String, body: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(link.utf8))
        hasher.update(data: [0])
        hasher.update(data: body)
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in hasher.finalize() {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
