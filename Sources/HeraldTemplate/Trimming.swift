import Foundation

/// Foundation's trimming, skipped when both ends are visible ASCII: it is slow, and it runs
/// once per row (`to:` and `mention:` results) and on every `--now` and date input.
package func trimmedFast(_ text: String, _ set: CharacterSet = .whitespacesAndNewlines) -> String {
    let bytes = text.utf8
    if let first = bytes.first, let last = bytes.last, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last) {
        return text
    }
    return text.trimmingCharacters(in: set)
}
