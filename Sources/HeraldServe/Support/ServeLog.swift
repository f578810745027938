import Foundation
import HeraldCore
import HeraldSend
import HeraldTemplate
import Logging

/// Herald's server log: one line per event and per request outcome on stderr, as text or JSON
/// lines (`--log-format`), every line scrubbed of the job's secrets — Hummingbird's own lines
/// too, since they go through the same handler.
package struct ServeLog: Sendable {
    package let logger: Logger

    package init(format: LogFormat, level: Logger.Level = .info, secrets: @escaping @Sendable () -> Secrets,
                 write: @escaping @Sendable (String) -> Void = { writeStandardError($0) }) {
        var logger = Logger(label: "herald") { label in
            ScrubbingLogHandler(label: label, format: format, secrets: secrets, write: write)
        }
        logger.logLevel = level
        self.logger = logger
    }

    package func info(_ kind: String, _ message: String) { logger.info("\(message)", metadata: ["kind": "\(kind)"]) }
    package func warning(_ kind: String, _ message: String) { logger.warning("\(message)", metadata: ["kind": "\(kind)"]) }
    package func error(_ kind: String, _ message: String) { logger.error("\(message)", metadata: ["kind": "\(kind)"]) }
}

struct ScrubbingLogHandler: LogHandler {
    let label: String
    let format: LogFormat
    let secrets: @Sendable () -> Secrets
    let write: @Sendable (String) -> Void
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        var all = metadata
        if let extra { all.merge(extra) { $1 } }
        let kind = all.removeValue(forKey: "kind").map { "\($0)" } ?? (label == "herald" ? "server" : label)
        let scrub = secrets()
        let text = scrub.scrub(message.description)
        let time = Self.timestamp(Date())
        switch format {
        case .text:
            var out = "\(time) \(level.rawValue) \(kind): \(text)"
            for (key, value) in all.sorted(by: { $0.key < $1.key }) { out += " \(key)=\(scrub.scrub("\(value)"))" }
            write(out + "\n")
        case .json:
            var map = OrderedMap()
            map["time"] = .string(time)
            map["level"] = .string(level.rawValue)
            map["kind"] = .string(kind)
            map["message"] = .string(text)
            for (key, value) in all.sorted(by: { $0.key < $1.key }) { map[key] = .string(scrub.scrub("\(value)")) }
            var bytes: [UInt8] = []
            JSONWriter.append(.map(map), to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
            write(String(decoding: bytes, as: UTF8.self))
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
