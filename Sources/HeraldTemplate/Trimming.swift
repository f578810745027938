import Foundation

/// Foundation's trimming, skipped when both ends are visible ASCII: it is slow, and it runs
/// once per row (`to:` and `mention:` results) and on every `--now` and date input.
/// `newlines: false` trims spaces and tabs only. (A flag, not a CharacterSet argument: a set
/// would be built on every call, fast path included.)
package func trimmedFast(_ text: String, newlines: Bool = true) -> String {
    let bytes = text.utf8
    if let first = bytes.first, let last = bytes.last, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last) {
        return text
    }
    return text.trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
}
