/// Reads the relay's answer `{"code": 0, "data": {}, "msg": …, "hint": …}` strictly: the body
/// must be exactly one JSON object, `code` must appear once, and only the JSON integer `0`
/// means delivered. Foundation's JSONSerialization cannot serve here: it keeps the last of two
/// `code` keys, and bridges `false`, `0.0` and `0.5` to an NSNumber whose intValue is 0 —
/// each of which once counted as delivered.
enum RelayAnswerReader {
    struct Answer: Equatable {
        /// The `code` member's JSON text exactly as written (`0`, `"0"`, `false`, `45009`).
        var codeText: String?
        /// `code` when it is a JSON integer that fits an Int.
        var code: Int?
        var msg: String?
        var hint: String?
    }

    enum Problem: Error, Equatable, CustomStringConvertible {
        /// The body ended inside the JSON value: cut short.
        case cutShort
        case notJSON(String)
        case notAnObject
        case duplicateKey(String)
        case trailingData

        var description: String {
            switch self {
            case .cutShort: return "the answer's body is cut short (not a whole JSON object)"
            case .notJSON(let why): return "the answer's body is not JSON (\(why))"
            case .notAnObject: return "the answer's body is JSON but not an object"
            case .duplicateKey(let key): return "the answer's JSON has '\(key)' twice"
            case .trailingData: return "the answer's body has more after its JSON object"
            }
        }
    }

    /// Nesting deeper than this is refused, so a hostile answer cannot exhaust the stack.
    static let maxDepth = 64

    static func read(_ body: [UInt8]) -> Result<Answer, Problem> {
        var parser = Parser(bytes: body)
        do {
            parser.skipSpace()
            guard parser.peek != nil else { return .failure(.notJSON("it is empty")) }
            guard parser.peek == UInt8(ascii: "{") else {
                _ = try parser.value(depth: 0)
                return .failure(.notAnObject)
            }
            let answer = try parser.topObject()
            parser.skipSpace()
            if parser.peek != nil { return .failure(.trailingData) }
            return .success(answer)
        } catch let problem as Problem {
            return .failure(problem)
        } catch {
            return .failure(.notJSON("unreadable"))
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        }

        mutating func expect(_ byte: UInt8) throws {
            skipSpace()
            guard let b = peek else { throw Problem.cutShort }
            guard b == byte else { throw Problem.notJSON("expected '\(Character(Unicode.Scalar(byte)))' at byte \(i + 1)") }
            i += 1
        }

        /// The top-level object: its members are read; `code`, `msg` and `hint` kept.
        mutating func topObject() throws -> Answer {
            var answer = Answer()
            var seen = Set<String>()
            try expect(UInt8(ascii: "{"))
            skipSpace()
            if peek == UInt8(ascii: "}") { i += 1; return answer }
            while true {
                skipSpace()
                let key = try string()
                guard seen.insert(key).inserted else { throw Problem.duplicateKey(key) }
                try expect(UInt8(ascii: ":"))
                skipSpace()
                let start = i
                let kind = try value(depth: 1)
                let text = String(decoding: bytes[start..<i], as: UTF8.self)
                switch key {
                case "code":
                    answer.codeText = text
                    if kind == .integer { answer.code = Int(text) }
                case "msg", "hint":
                    let shown = kind == .string ? Self.unquoted(text) : text
                    if key == "msg" { answer.msg = shown } else { answer.hint = shown }
                default:
                    break
                }
                skipSpace()
                guard let b = peek else { throw Problem.cutShort }
                i += 1
                if b == UInt8(ascii: "}") { return answer }
                guard b == UInt8(ascii: ",") else { throw Problem.notJSON("expected ',' or '}' at byte \(i)") }
            }
        }

        /// A string member's text with its escapes undone (it was validated already).
        static func unquoted(_ text: String) -> String {
            var parser = Parser(bytes: Array(text.utf8))
            return (try? parser.string()) ?? text
        }

        enum Kind { case object, array, string, integer, number, literal }

        /// Skips one value, checking its grammar; says what kind it was.
        mutating func value(depth: Int) throws -> Kind {
            guard depth <= RelayAnswerReader.maxDepth else { throw Problem.notJSON("nested deeper than \(RelayAnswerReader.maxDepth)") }
            skipSpace()
            guard let b = peek else { throw Problem.cutShort }
            switch b {
            case UInt8(ascii: "{"):
                i += 1
                skipSpace()
                if peek == UInt8(ascii: "}") { i += 1; return .object }
                while true {
                    skipSpace()
                    _ = try string()
                    try expect(UInt8(ascii: ":"))
                    _ = try value(depth: depth + 1)
                    skipSpace()
                    guard let c = peek else { throw Problem.cutShort }
                    i += 1
                    if c == UInt8(ascii: "}") { return .object }
                    guard c == UInt8(ascii: ",") else { throw Problem.notJSON("expected ',' or '}' at byte \(i)") }
                }
            case UInt8(ascii: "["):
                i += 1
                skipSpace()
                if peek == UInt8(ascii: "]") { i += 1; return .array }
                while true {
                    _ = try value(depth: depth + 1)
                    skipSpace()
                    guard let c = peek else { throw Problem.cutShort }
                    i += 1
                    if c == UInt8(ascii: "]") { return .array }
                    guard c == UInt8(ascii: ",") else { throw Problem.notJSON("expected ',' or ']' at byte \(i)") }
                }
            case UInt8(ascii: "\""):
                _ = try string()
                return .string
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return try number()
            case UInt8(ascii: "t"): try literal("true"); return .literal
            case UInt8(ascii: "f"): try literal("false"); return .literal
            case UInt8(ascii: "n"): try literal("null"); return .literal
            default:
                throw Problem.notJSON("unexpected byte at \(i + 1)")
            }
        }

        mutating func literal(_ word: StaticString) throws {
            let expected = word.withUTF8Buffer { Array($0) }
            for byte in expected {
                guard let b = peek else { throw Problem.cutShort }
                guard b == byte else { throw Problem.notJSON("unexpected byte at \(i + 1)") }
                i += 1
            }
        }

        /// RFC 8259's number grammar; an integer has neither fraction nor exponent.
        mutating func number() throws -> Kind {
            var integer = true
            if peek == UInt8(ascii: "-") { i += 1 }
            guard let first = peek else { throw Problem.cutShort }
            if first == UInt8(ascii: "0") {
                i += 1
            } else if first >= UInt8(ascii: "1") && first <= UInt8(ascii: "9") {
                while let d = peek, d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") { i += 1 }
            } else {
                throw Problem.notJSON("a number without digits at byte \(i + 1)")
            }
            if peek == UInt8(ascii: ".") {
                integer = false
                i += 1
                try digits()
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                integer = false
                i += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
                try digits()
            }
            return integer ? .integer : .number
        }

        mutating func digits() throws {
            guard let d = peek else { throw Problem.cutShort }
            guard d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") else { throw Problem.notJSON("a number without digits at byte \(i + 1)") }
            while let d = peek, d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") { i += 1 }
        }

        /// A string, its escapes undone; invalid UTF-8 is replaced (it is only ever shown).
        mutating func string() throws -> String {
            guard let q = peek else { throw Problem.cutShort }
            guard q == UInt8(ascii: "\"") else { throw Problem.notJSON("expected a string at byte \(i + 1)") }
            i += 1
            var out: [UInt8] = []
            while true {
                guard let b = peek else { throw Problem.cutShort }
                i += 1
                switch b {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let e = peek else { throw Problem.cutShort }
                    i += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar), peek == UInt8(ascii: "\\"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "u") {
                            i += 2
                            let low = try hex4()
                            if (0xDC00..<0xE000).contains(low) { scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) }
                        }
                        out.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
                    default:
                        throw Problem.notJSON("a bad escape at byte \(i)")
                    }
                case 0x00..<0x20:
                    throw Problem.notJSON("a control character inside a string at byte \(i)")
                default:
                    out.append(b)
                }
            }
        }

        mutating func hex4() throws -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let h = peek else { throw Problem.cutShort }
                i += 1
                let digit: UInt32
                switch h {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(h - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(h - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(h - UInt8(ascii: "A") + 10)
                default: throw Problem.notJSON("a bad \\u escape at byte \(i)")
                }
                value = value << 4 | digit
            }
            return value
        }
    }
}
