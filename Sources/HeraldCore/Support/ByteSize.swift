import Foundation

/// A size as written in a job file: `1MiB`, `512KiB`, `2048B`, or a bare whole number of bytes.
package enum ByteSize {
    package static let units: [(suffix: String, bytes: Int)] = [("MiB", 1_048_576), ("KiB", 1024), ("B", 1)]

    /// Bytes; nil when `text` is not a size (a unit other than B, KiB, MiB; a fraction; no digits).
    package static func bytes(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let unit = units.first { trimmed.hasSuffix($0.suffix) } ?? ("", 1)
        let digits = trimmed.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.count <= 12, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(digits) else { return nil }
        return n * unit.bytes
    }
}

extension ByteSize {
    /// A hint for a unit that is nearly one of ours (`1MB`, `512kib`).
    package static func unitHint(_ text: String) -> String {
        let letters = String(text.drop { $0.isNumber || $0 == " " })
        switch letters.lowercased() {
        case "mb", "m", "mib": return "; write '\(text.prefix { $0.isNumber })MiB' (1 MiB = 1048576 bytes)"
        case "kb", "k", "kib": return "; write '\(text.prefix { $0.isNumber })KiB' (1 KiB = 1024 bytes)"
        case "b", "bytes": return "; write '\(text.prefix { $0.isNumber })B'"
        default: return ""
        }
    }
}
