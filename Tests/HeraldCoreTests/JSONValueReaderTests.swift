import Foundation
@testable import HeraldCore
import HeraldTemplate
import Testing

/// The fast JSON reader against its reference, the YAML parser that reads every other JSON
/// file (`DataFile.value(ofJSON:)`): the same value for every saved payload and for generated
/// ones, and nothing where the reference refuses.
@Suite struct JSONValueReaderTests {
    static func reference(_ text: String) -> Value? {
        var log = DiagnosticLog()
        let source = SourceText(path: "<test>", directory: URL(fileURLWithPath: "/"), text: text)
        let value = DataFile.value(ofJSON: source, what: "test", log: &log)
        return log.hasErrors ? nil : value
    }

    static func referenceError(_ text: String) -> String {
        var log = DiagnosticLog()
        let source = SourceText(path: "<test>", directory: URL(fileURLWithPath: "/"), text: text)
        _ = DataFile.value(ofJSON: source, what: "test", log: &log)
        return log.sorted(primaryPath: "<test>").map(\.description).joined(separator: "; ")
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var savedPayloads: [String] {
        ["Tests/Fixtures/events", "examples/alerts/payloads", "Tests/Fixtures/serve"].flatMap { folder -> [String] in
            let dir = root.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return names.filter { $0.hasSuffix(".json") }.sorted().map { dir.appendingPathComponent($0).path }
        }
    }

    @Test func everySavedPayloadReadsAsTheReferenceReadsIt() throws {
        let paths = Self.savedPayloads
        #expect(paths.count >= 8, "the saved payloads were found: \(paths)")
        for path in paths {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let fast = JSONValueReader.read(text)
            let reference = Self.reference(text)
            if reference == nil { #expect(fast == nil, "\(path): the reference refuses it") } else { #expect(fast == reference, "\(path)") }
        }
    }

    @Test(arguments: 0..<40)
    func generatedDocumentsReadAsTheReferenceReadsThem(seed: Int) {
        var generator = Generator(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        let text = generator.document()
        let fast = JSONValueReader.read(text)
        #expect(fast != nil, "valid JSON is read: \(text.prefix(300))")
        #expect(fast == Self.reference(text), "\(text.prefix(300)) — reference: \(Self.referenceError(text))")
    }

    @Test(arguments: ["", "{", "{\"a\":1,}", "[1 2]", "{\"a\":1}x", "{\"a\":1,\"a\":2}", "01", "1.", ".5", "-", "1e", "\"\\x\"",
                      "\"\\ud800\"", "\"\\udc00x\"", "\"tab\there\"", "{a: 1}", "tru", "nul", "1e999", "[" + String(repeating: "[", count: 300) + String(repeating: "]", count: 301)])
    func notJSONIsRefused(_ text: String) {
        #expect(JSONValueReader.read(text) == nil, "\(text)")
    }

    @Test func numbersAreADataFilesNumbers() {
        #expect(JSONValueReader.read("[0, -0, 42, -7, 1.5, 1e3, 2E-2, -0.0, 123456789012345678901]")
                == .list([.int(0), .int(0), .int(42), .int(-7), .double(1.5), .double(1000), .double(0.02), .double(-0.0), .double(123456789012345678901)]))
        #expect(JSONValueReader.read(#"{"b": 1, "a": [true, false, null], "é\u00e9": "\ud83d\ude00\n\"\\/"}"#)
                == .map(OrderedMap([("b", .int(1)), ("a", .list([.bool(true), .bool(false), .null])), ("éé", .string("😀\n\"\\/"))])))
    }

    /// A small seeded generator of JSON texts (objects, arrays, escapes, numbers of every shape)
    /// within what the reference reads: libyaml refuses an escaped surrogate pair (`\\ud83d\\ude00`,
    /// which the fast reader reads: `numbersAreADataFilesNumbers`) and a line break before a colon.
    struct Generator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        mutating func document() -> String { object(depth: 0) }
        mutating func object(depth: Int) -> String {
            var keys = Set<String>()
            var parts: [String] = []
            for _ in 0..<next(6) {
                let key = string()
                guard keys.insert(key).inserted else { continue }
                // No line break between a key and its colon: JSON allows one, YAML (the reference) does not.
                parts.append("\(quoted(key))\(next(2) == 0 ? "" : " "):\(space())\(value(depth: depth + 1))")
            }
            return "{" + space() + parts.joined(separator: "," + space()) + space() + "}"
        }
        mutating func value(depth: Int) -> String {
            switch next(depth > 4 ? 5 : 7) {
            case 0: return quoted(string())
            case 1: return number()
            case 2: return ["true", "false", "null"][next(3)]
            case 3: return quoted(string())
            case 4: return number()
            case 5: return object(depth: depth)
            default: return "[" + (0..<next(5)).map { _ in value(depth: depth + 1) }.joined(separator: ",") + "]"
            }
        }
        mutating func space() -> String { ["", " ", "\n  ", "\t"][next(4)] }
        mutating func number() -> String {
            switch next(6) {
            case 0: return String(next(1000))
            case 1: return "-" + String(next(100000))
            case 2: return "\(next(100)).\(next(1000))"
            case 3: return "\(next(10))e\(["", "+", "-"][next(3)])\(next(20))"
            case 4: return "12345678901234567890\(next(10))"
            default: return "0"
            }
        }
        mutating func string() -> String {
            let pieces = ["a", "Z", "9", " ", "é", "中文", "😀", "-", "_", ".", "runbook_url", "http://x/y?z=1&w=2"]
            return (0..<next(6)).map { _ in pieces[next(pieces.count)] }.joined()
        }
        mutating func quoted(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch (u, next(4)) {
                case ("\"", _): out += "\\\""
                case ("/", 0): out += "\\/"
                case (_, 0) where u.value > 0x7F && u.value <= 0xFFFF: out += String(format: "\\u%04x", u.value)
                default: out.unicodeScalars.append(u)
                }
            }
            return out + (next(5) == 0 ? "\\n" : "") + "\""
        }
    }
}
