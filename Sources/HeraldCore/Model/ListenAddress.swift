/// `serve.listen` / `--listen`: `HOST:PORT` where HOST is an IPv4 address, `[IPv6]` or
/// `localhost` (a name other than localhost would need a lookup to bind, so it is refused).
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The address without brackets: `127.0.0.1`, `::1`, `localhost`.
    public var host: String
    /// 0 lets the system pick a free port.
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `127.0.0.1:9095`, `[::1]:9095`.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// 127.0.0.0/8, ::1 (and ::ffff:127.x.y.z), or localhost: reachable from this machine only.
    public var isLoopback: Bool {
        if host.lowercased() == "localhost" { return true }
        if let v4 = Self.ipv4(host) { return v4[0] == 127 }
        guard let v6 = Self.ipv6(host) else { return false }
        if v6[0..<7].allSatisfy({ $0 == 0 }) { return v6[7] == 1 }
        // An IPv4-mapped address: ::ffff:a.b.c.d.
        return v6[0..<5].allSatisfy { $0 == 0 } && v6[5] == 0xFFFF && v6[6] >> 8 == 127
    }

    /// nil when `text` is not `HOST:PORT` as above, or the port is not 0–65535.
    package static func parse(_ text: String) -> ListenAddress? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
            guard ipv6(String(host)) != nil else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard host.lowercased() == "localhost" || ipv4(String(host)) != nil else { return nil }
        }
        guard !portText.isEmpty, portText.count <= 5, portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let port = Int(portText), port <= 65535 else { return nil }
        return ListenAddress(host: String(host), port: port)
    }

    /// Four decimal octets, no leading zeros (`010` is octal to some parsers).
    static func ipv4(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  part.count == 1 || !part.hasPrefix("0"), let n = Int(part), n <= 255 else { return nil }
            octets.append(n)
        }
        return octets
    }

    /// Eight 16-bit groups; `::` once for a run of zeros; an IPv4 tail allowed. No zone (`%eth0`).
    static func ipv6(_ text: String) -> [UInt16]? {
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, piece) in pieces.enumerated() {
                if i == pieces.count - 1, piece.contains("."), let v4 = ipv4(String(piece)) {
                    result.append(UInt16(v4[0] << 8 | v4[1]))
                    result.append(UInt16(v4[2] << 8 | v4[3]))
                    continue
                }
                guard (1...4).contains(piece.count), let n = UInt16(piece, radix: 16) else { return nil }
                result.append(n)
            }
            return result
        }
        let halves = text.components(separatedBy: "::")
        switch halves.count {
        case 1:
            guard let all = groups(Substring(text)), all.count == 8 else { return nil }
            return all
        case 2:
            guard let head = groups(Substring(halves[0])), let tail = groups(Substring(halves[1])), head.count + tail.count <= 7 else { return nil }
            return head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        default:
            return nil
        }
    }
}
