import HeraldTemplate

/// How `send --dry-run` prints the plan (docs/job-file.md, "The plan and the bytes").
package enum DryRunFormat: String, Sendable, CaseIterable {
    /// The exact request bodies, one per line.
    case jsonl
    /// Indented for reading; not the exact bytes.
    case pretty
    /// Runnable curl commands that read the token from `$KDOCS_ACCESS_TOKEN`.
    case curl

    /// Whether this output needs `PreparedJob.messages` (see `PlanningOptions.keepsMessages`).
    package func needsMessages(redact: Bool) -> Bool { self != .jsonl || redact }

    /// The output for a whole plan. `redact` masks each link's `key=` and the `sk`.
    package func output(for prepared: PreparedJob, redact: Bool) -> [UInt8] {
        var out: [UInt8] = []
        write(for: prepared, redact: redact) { out.append(contentsOf: $0) }
        return out
    }

    /// The same output, handed to `sink` a request at a time (a large plan is never copied whole).
    package func write(for prepared: PreparedJob, redact: Bool, to sink: ([UInt8]) -> Void) {
        if !needsMessages(redact: redact) {
            // The common case: the plan's bytes as they are.
            for request in prepared.plan.requests {
                sink(request.body)
                sink([0x0A])
            }
            return
        }
        let messagesByRequest = Self.messages(of: prepared)
        for (request, messages) in zip(prepared.plan.requests, messagesByRequest) {
            var out: [UInt8] = []
            let body = redact
                ? RequestEncoder.body(link: LinkMask.mask(request.link), sk: request.sk.map { _ in "…" }, messages: messages.map(\.json))
                : request.body
            switch self {
            case .jsonl:
                out.append(contentsOf: body)
                out.append(0x0A)
            case .pretty:
                if request.index > 0 { out.append(0x0A) }
                var map = OrderedMap()
                map["link"] = .string(redact ? LinkMask.mask(request.link) : request.link)
                if let sk = request.sk { map["sk"] = .string(redact ? "…" : sk) }
                map["data"] = .list(messages.map(\.value))
                out.append(contentsOf: PrettyJSON.string(.map(map)).utf8)
                out.append(0x0A)
            case .curl:
                let url = "\(prepared.plan.endpoint(for: request))?access_token="
                out.append(contentsOf: "curl -sS -X POST \(Self.shellQuote(url))\"$KDOCS_ACCESS_TOKEN\" -H 'Content-Type: application/json' --data-binary ".utf8)
                out.append(contentsOf: Self.shellQuote(String(decoding: body, as: UTF8.self)).utf8)
                out.append(0x0A)
            }
            sink(out)
        }
    }

    /// The rendered messages of each request, in plan order.
    static func messages(of prepared: PreparedJob) -> [[RenderedMessage]] {
        let byLink = LinkGroups(prepared.messages, link: \.link)
        var taken: [String: Int] = [:]
        return prepared.plan.requests.map { request in
            let start = taken[request.link] ?? 0
            taken[request.link] = start + request.messageCount
            guard let messages = byLink.group(of: request.link), start + request.messageCount <= messages.count else { return [] }
            return Array(messages[start..<(start + request.messageCount)])
        }
    }

    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
