import Foundation
import HeraldTemplate

/// `herald queue list`: one line a request, links masked, errors already scrubbed by the server.
package enum QueueListing {
    package static func text(_ requests: [StoredRequest], json: Bool) -> String {
        if json {
            var out: [UInt8] = []
            for r in requests {
                var map = OrderedMap()
                map["id"] = .int(Int(r.id))
                map["event"] = .int(Int(r.eventID))
                map["route"] = .string(r.route)
                map["state"] = .string(r.state.rawValue)
                map["link"] = .string(r.maskedLink)
                map["platform"] = .string(r.platform.rawValue)
                map["messages"] = .int(r.messageCount)
                map["attempts"] = .int(r.attempts)
                map["accepted_at"] = .string(ISO8601.format(r.acceptedAt, in: TimeZone(identifier: "UTC") ?? .current))
                map["last_error"] = r.lastError.map(Value.string) ?? .null
                JSONWriter.append(.map(map), to: &out)
                out.append(UInt8(ascii: "\n"))
            }
            return String(decoding: out, as: UTF8.self)
        }
        guard !requests.isEmpty else { return "nothing in the queue\n" }
        var lines = ["ID\tSTATE\tEVENT\tROUTE\tMESSAGES\tATTEMPTS\tACCEPTED\tLINK\tLAST ERROR"]
        for r in requests {
            lines.append([String(r.id), r.state.rawValue, String(r.eventID), r.route, String(r.messageCount), String(r.attempts),
                          ISO8601.format(r.acceptedAt, in: TimeZone(identifier: "UTC") ?? .current), r.maskedLink,
                          r.lastError ?? ""].joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
