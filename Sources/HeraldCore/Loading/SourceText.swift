import Foundation
import HeraldTemplate

/// A file's text as read for loading: strictly UTF-8, with the lines kept for mapping
/// template positions inside YAML block scalars.
package struct SourceText: Sendable {
    /// The path shown in diagnostics (as the user wrote it, or `<stdin>`).
    package let path: String
    /// The folder relative paths in this file resolve against.
    package let directory: URL
    package let text: String
    private let lineCache = LineCache()

    /// The text's lines, split once on first use (CSV and partial files never need them).
    package var lines: [Substring] { lineCache.lines(of: text) }

    /// Fails with a diagnostic at the first byte that is not UTF-8.
    package static func decode(_ bytes: [UInt8], path: String, directory: URL) -> Result<SourceText, Diagnostic> {
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) {
            return .success(SourceText(path: path, directory: directory, text: text))
        }
        if let bad = firstInvalidUTF8Offset(bytes) {
            let prefix = bytes[..<bad]
            let line = prefix.lazy.filter { $0 == 0x0A }.count + 1
            let lineStart = prefix.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            let column = String(decoding: bytes[lineStart..<bad], as: UTF8.self).unicodeScalars.count + 1
            return .failure(.error(at: SourcePosition(path: path, line: line, column: column),
                                   String(format: "file is not valid UTF-8 (byte 0x%02X at offset %d); save it as UTF-8", bytes[bad], bad)))
        }
        return .success(SourceText(path: path, directory: directory, text: String(decoding: bytes, as: UTF8.self)))
    }

    init(path: String, directory: URL, text: String) {
        self.path = path
        self.directory = directory
        self.text = text
    }

    /// Reads a file relative to `base`; a missing, unreadable or oversized file is a diagnostic
    /// at `position`. Only regular files, unless `allowsStreams` (the job file named on the command line);
    /// only where `paths` allows (a file the job names).
    package static func read(_ relativePath: String, relativeTo base: URL, displayBase: String,
                            at position: SourcePosition, what: String, allowsStreams: Bool = false,
                            paths: PathPolicy = .unconfined) -> Result<SourceText, Diagnostic> {
        let url = resolve(relativePath, against: base)
        let display = displayPath(relativePath, displayBase: displayBase)
        switch FileContents.read(url.path, limit: FileContents.maxTextBytes, allowsStreams: allowsStreams, paths: paths) {
        case .success(let bytes):
            return decode(bytes, path: display, directory: url.deletingLastPathComponent())
        case .failure(let failure):
            return .failure(.error(at: position, "\(what) '\(display)' \(failure.reason)"))
        }
    }

    package static func resolve(_ path: String, against base: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path).standardizedFileURL
    }

    /// How a file found through a relative path is named in diagnostics: beside the naming file.
    package static func displayPath(_ path: String, displayBase: String) -> String {
        if path.hasPrefix("/") || displayBase.isEmpty || displayBase == "." { return path }
        return (displayBase as NSString).appendingPathComponent(path)
    }

    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            if b & 0xE0 == 0xC0, b >= 0xC2 { length = 2 }
            else if b & 0xF0 == 0xE0 { length = 3 }
            else if b & 0xF8 == 0xF0, b <= 0xF4 { length = 4 }
            else { return i }
            guard i + length <= n else { return i }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return i }
            if length == 3 {
                let cp = (UInt32(b & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6)
                if cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) { return i }
            } else if length == 4 {
                let cp = (UInt32(b & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12)
                if cp < 0x10000 || cp > 0x10FFFF { return i }
            }
            i += length
        }
        return nil
    }
}

private final class LineCache: Sendable {
    private let cached = Locked<[Substring]?>(nil)

    func lines(of text: String) -> [Substring] {
        cached.withLock { cached in
            if let cached { return cached }
            // Without a CR (CR LF is one Character) every "\n" Character is an LF byte:
            // split the bytes, not the Characters, which costs a grapheme walk of the file.
            let lines = text.utf8.contains(0x0D)
                ? text.split(separator: "\n", omittingEmptySubsequences: false)
                : text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
            cached = lines
            return lines
        }
    }
}

extension FileContents.Failure {
    package var reason: String {
        switch self {
        case .missing: return "does not exist"
        case .folder: return "is a folder"
        case .notRegular: return "is not a regular file (a device, pipe or socket)"
        case .unreadable: return "cannot be read"
        case .refused(let why): return why
        case .tooLarge(let n): return "is \(n) bytes or more, over Herald's \(FileContents.maxTextBytes >> 20) MiB limit for text files"
        }
    }
}
