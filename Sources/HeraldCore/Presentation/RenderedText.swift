import HeraldTemplate

/// `herald render`: each rendered message per recipient, as a person reads it.
package enum RenderedText {
    package static func text(for prepared: PreparedJob) -> String {
        var out = ""
        for message in prepared.messages {
            var header = "── message \(message.messageIndex)"
            if let part = message.part, let count = message.partCount { header += ", part \(part)/\(count)" }
            if let row = message.rowNumber { header += ", row \(row)" }
            header += " → \(message.recipient) (\(LinkMask.mask(message.link))) · \(message.kind.displayName) "
            out += header + String(repeating: "─", count: max(3, 72 - header.count)) + "\n"
            if let long = message.kind.longField, case .string(let content)? = message.body.mapValue?[long.key] {
                out += content
                if !content.hasSuffix("\n") { out += "\n" }
                var extra = message.body.mapValue.map { OrderedMap($0.pairs.filter { $0.key != long.key }.map { ($0.key, $0.value) }) } ?? OrderedMap()
                if let at = message.at { extra["at"] = at }
                if !extra.isEmpty { out += PrettyJSON.string(.map(extra)) + "\n" }
            } else {
                out += PrettyJSON.string(abbreviated(message.body)) + "\n"
            }
            out += "\n"
        }
        return out
    }

    /// One JSON object per message, for scripts.
    package static func jsonLines(for prepared: PreparedJob) -> String {
        prepared.messages.map { m in
            JSONWriter.string(.map(OrderedMap([
                ("message", .int(m.messageIndex)),
                ("row", m.rowNumber.map(Value.int) ?? .null),
                ("part", m.part.map(Value.int) ?? .null),
                ("parts", m.partCount.map(Value.int) ?? .null),
                ("recipient", .string(m.recipient)),
                ("link", .string(LinkMask.mask(m.link))),
                ("platform", .string(m.platform.rawValue)),
                ("msgtype", .string(m.msgtype)),
                ("body", m.body),
            ] + (m.at.map { [("at", $0)] } ?? [])))) + "\n"
        }.joined()
    }

    /// Long base64 image data is unreadable; show its size instead.
    private static func abbreviated(_ body: Value) -> Value {
        guard case .map(var map) = body, case .string(let b64)? = map["base64"], b64.count > 80 else { return body }
        map["base64"] = .string("<\(b64.count) base64 characters>")
        return .map(map)
    }
}
