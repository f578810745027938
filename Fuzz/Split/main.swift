import FuzzDriver
import Foundation
import HeraldCore

// libFuzzer target: the long-message splitter. The first two bytes choose the limit, the
// third the syntax and mode; the rest is the field. Every part must be within the limit and
// valid UTF-8 and carry its (i/n) marker; truncate must stay within the limit.

func fuzzSplit(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size >= 3 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let limit = 16 + (Int(bytes[0]) << 8 | Int(bytes[1])) % 4096
    let syntax: SplitSyntax = bytes[2] & 1 == 0 ? .plain : .markdown
    let text = String(decoding: bytes[3...], as: UTF8.self)
    guard text.utf8.count > limit else { return 0 }
    if bytes[2] & 2 == 0 {
        if case .success(let parts) = LongFieldSplitter.split(text, limit: limit, syntax: syntax) {
            for (i, part) in parts.enumerated() {
                // Findings, not user input: libFuzzer needs a crash to report them.
                if part.utf8.count > limit { fatalError("part \(i + 1) is \(part.utf8.count) bytes, over \(limit)") }
                // Bytes, not Characters: "\r" + "\n(1/2)" is one Character too many for hasSuffix.
                let marker = Array("\n(\(i + 1)/\(parts.count))".utf8)
                if !Array(part.utf8).suffix(marker.count).elementsEqual(marker) { fatalError("part \(i + 1) lacks its marker") }
            }
        }
    } else if case .success(let one) = LongFieldSplitter.truncate(text, limit: limit, syntax: syntax, mentionText: "\n<@x>") {
        if one.utf8.count > limit { fatalError("truncated text is \(one.utf8.count) bytes, over \(limit)") }
    }
    return 0
}

var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argv, { data, size in fuzzSplit(data, size) }))
