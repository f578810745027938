import Foundation
import HeraldCore
import HeraldTemplate
import PropertyBased
import Testing

/// Properties over random inputs (swift-property-based): the JSON writer against Foundation's
/// parser, and the planner's invariants over random jobs run through the whole pipeline.
@Suite struct PropertyTests {
    // MARK: JSON writer

    @Test func jsonOutputParsesBackToTheSameValue() async {
        await propertyCheck(count: 500, input: RandomValues.generator) { value in
            let bytes = JSONWriter.string(value).utf8
            // docs/job-file.md, "The plan and the bytes": no raw control bytes, and '/' is never escaped.
            #expect(!bytes.contains { $0 < 0x20 })
            #expect(bytes.filter { $0 == UInt8(ascii: "/") }.count == RandomValues.slashes(in: value))
            let parsed = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            #expect(parsed.map { RandomValues.same(value, $0) } == true, "\(JSONWriter.string(value))")
        }
    }

    @Test func fefIsWrittenAsIs() {
        #expect(Array(JSONWriter.string(.string("\u{0B}\u{FEFF}x")).utf8) == [0x22, 0x5C, 0x75, 0x30, 0x30, 0x30, 0x62, 0xEF, 0xBB, 0xBF, 0x78, 0x22])
    }

    // MARK: Planner

    @Test func plannerInvariantsHoldOnRandomJobs() async throws {
        await propertyCheck(count: 200, input: RandomJobs.generator) { job in
            let dir = FileManager.default.temporaryDirectory
            guard case .success(let source) = SourceText.decode(Array(job.yaml.utf8), path: "job.yaml", directory: dir) else {
                Issue.record("not UTF-8"); return
            }
            let options = PlanningOptions(now: Date(timeIntervalSince1970: 0), timeZone: TimeZone(identifier: "UTC") ?? .current, environment: [:])
            guard case .success(let prepared) = JobPreparation.prepare(source: source, options: options) else {
                Issue.record("a valid random job failed:\n\(job.yaml)"); return
            }
            let requests = prepared.plan.requests
            // Every request carries 1…max_batch messages.
            #expect(requests.allSatisfy { (1...job.maxBatch).contains($0.messageCount) })
            // Every expanded message appears exactly once, and per link in expansion order.
            var seenPerLink: [String: [String]] = [:]
            var linkOrder: [String] = []
            for request in requests {
                if seenPerLink[request.link] == nil { linkOrder.append(request.link) }
                let contents = RandomJobs.contents(of: request.body)
                #expect(contents.count == request.messageCount)
                seenPerLink[request.link, default: []] += contents
            }
            var expectedPerLink: [String: [String]] = [:]
            var expectedOrder: [String] = []
            for message in job.expected {
                if expectedPerLink[message.link] == nil { expectedOrder.append(message.link) }
                expectedPerLink[message.link, default: []].append(message.content)
            }
            #expect(seenPerLink == expectedPerLink, "\(job.yaml)")
            // Links in first-appearance order, each link's requests together.
            #expect(linkOrder == expectedOrder)
            #expect(requests.map(\.link) == linkOrder.flatMap { link in requests.filter { $0.link == link }.map(\.link) })
            #expect(requests.map(\.index) == Array(requests.indices))
        }
    }
}

/// Random values that stress the JSON writer.
enum RandomValues {
    static let scalars: [Unicode.Scalar] = (0..<0x20).compactMap { Unicode.Scalar($0) }
        + ["\"", "\\", "/", "a", "Z", " ", "0", "é", "中", "文", "\u{7F}", "\u{2028}", "😀", "🎉", "𝄞", "\u{10FFFF}"]

    static let generator = Generator<Value, Shrink.None<Value>>(run: { rng in value(&rng, depth: 3) })

    static func pick(_ n: Int, _ rng: inout any SeededRandomNumberGenerator) -> Int { Int(rng.next() % UInt64(n)) }

    static func string(_ rng: inout any SeededRandomNumberGenerator) -> String {
        var view = String.UnicodeScalarView()
        for _ in 0..<pick(13, &rng) { view.append(scalars[pick(scalars.count, &rng)]) }
        return String(view)
    }

    static func value(_ rng: inout any SeededRandomNumberGenerator, depth: Int) -> Value {
        switch pick(depth > 0 ? 9 : 7, &rng) {
        case 0: return .null
        case 1: return .bool(pick(2, &rng) == 1)
        case 2: return .int(pick(1 << 54, &rng) - (1 << 53))
        case 3: return .double(Double(bitPattern: rng.next())) // any bits: NaN and infinities included
        case 4: return .double(Double(pick(2_000_001, &rng) - 1_000_000) / 1000)
        case 5, 6: return .string(string(&rng))
        case 7: return .list((0..<pick(5, &rng)).map { _ in value(&rng, depth: depth - 1) })
        default:
            var map = OrderedMap()
            for _ in 0..<pick(5, &rng) { map[string(&rng)] = value(&rng, depth: depth - 1) }
            return .map(map)
        }
    }

    // U+FEFF is left out: Foundation's JSON parser on Linux drops it inside strings (Swift 6.3:
    // "\u000b\u{FEFF}x" parses to two scalars), so it cannot be the oracle there;
    // `fefIsWrittenAsIs` checks our bytes for it instead.

    /// How many '/' the value's strings and keys hold: the output must hold exactly those.
    static func slashes(in value: Value) -> Int {
        switch value {
        case .string(let s): return s.utf8.filter { $0 == UInt8(ascii: "/") }.count
        case .list(let items): return items.reduce(0) { $0 + slashes(in: $1) }
        case .map(let map): return map.reduce(0) { $0 + slashes(in: .string($1.key)) + slashes(in: $1.value) }
        default: return 0
        }
    }

    /// The value Foundation parsed is the one written (strings compared scalar by scalar).
    static func same(_ value: Value, _ parsed: Any) -> Bool {
        switch value {
        case .null: return parsed is NSNull
        case .bool(let b): return (parsed as? Bool) == b
        case .int(let i): return (parsed as? NSNumber).map { $0.int64Value == Int64(i) && $0.doubleValue == Double(i) } == true
        case .double(let d):
            guard d.isFinite else { return parsed is NSNull }
            // Our text must round-trip exactly (Swift's parser rounds correctly). Foundation's
            // parser on Linux is not correctly rounded for tiny numbers (4.9130168707345056e-70
            // reads as …043e-70), so against it a relative 1e-12 is allowed.
            guard Double(JSONWriter.formatDouble(d)) == d, let p = (parsed as? NSNumber)?.doubleValue else { return false }
            return p == d || abs(p - d) <= abs(d) * 1e-12
        case .string(let s):
            return (parsed as? String).map { Array($0.unicodeScalars) == Array(s.unicodeScalars) } == true
        case .list(let items):
            guard let list = parsed as? [Any], list.count == items.count else { return false }
            return zip(items, list).allSatisfy { same($0, $1) }
        case .map(let map):
            guard let dict = parsed as? [String: Any], dict.count == map.count else { return false }
            return map.allSatisfy { key, v in dict[key].map { same(v, $0) } == true }
        }
    }
}

/// Random valid jobs — recipients sharing links, nested groups, `for_each` rows, any
/// `max_batch` — with the messages they must expand to, worked out independently here.
struct RandomJob: Sendable, CustomStringConvertible {
    struct Message: Sendable { var link: String; var content: String }
    var yaml: String
    var maxBatch: Int
    var expected: [Message]
    var description: String { yaml }
}

enum RandomJobs {
    static let generator = Generator<RandomJob, Shrink.None<RandomJob>>(run: { rng in make(&rng) })

    static func make(_ rng: inout any SeededRandomNumberGenerator) -> RandomJob {
        func pick(_ n: Int) -> Int { RandomValues.pick(n, &rng) }
        let recipientCount = 1 + pick(6)
        let linkCount = 1 + pick(recipientCount)
        let links = (0..<linkCount).map { "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=\($0)" }
        let recipients = (0..<recipientCount).map { (name: "r\($0)", link: links[pick(linkCount)]) }
        // Group i may name recipients and earlier groups: nesting without cycles.
        var groups: [(name: String, members: [String])] = []
        for g in 0..<pick(4) {
            let pool = recipients.map(\.name) + groups.map(\.name)
            groups.append((name: "g\(g)", members: (0..<(1 + pick(3))).map { _ in pool[pick(pool.count)] }))
        }
        let maxBatch = 1 + pick(20)
        var yaml = "version: 1\nmax_batch: \(maxBatch)\nrecipients:\n"
        for r in recipients { yaml += "  \(r.name): { link: \"\(r.link)\" }\n" }
        if !groups.isEmpty {
            yaml += "groups:\n"
            for g in groups { yaml += "  \(g.name): [\(g.members.joined(separator: ", "))]\n" }
        }
        func expand(_ name: String) -> [String] {
            if let g = groups.first(where: { $0.name == name }) { return g.members.flatMap(expand) }
            return [name]
        }
        yaml += "messages:\n"
        var expected: [RandomJob.Message] = []
        for e in 1...(1 + pick(4)) {
            let names = recipients.map(\.name) + groups.map(\.name)
            let to = (0..<(1 + pick(3))).map { _ in names[pick(names.count)] }
            let rows: [Int]? = pick(3) == 0 ? nil : Array(1...(1 + pick(30)))
            yaml += "  - to: [\(to.joined(separator: ", "))]\n"
            if let rows { yaml += "    for_each: [\(rows.map(String.init).joined(separator: ", "))]\n" }
            yaml += "    text: { content: \"e\(e)\(rows == nil ? "" : " r{{row}}") to {{recipient.name}}\" }\n"
            for row in rows ?? [0] {
                var seen = Set<String>()
                for name in to.flatMap(expand) where seen.insert(name).inserted {
                    let link = recipients.first { $0.name == name }?.link ?? ""
                    expected.append(.init(link: link, content: "e\(e)\(rows == nil ? "" : " r\(row)") to \(name)"))
                }
            }
        }
        return RandomJob(yaml: yaml, maxBatch: maxBatch, expected: expected)
    }

    /// The `text.content` of each message in a request body.
    static func contents(of body: [UInt8]) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let data = object["data"] as? [[String: Any]] else { return [] }
        return data.compactMap { ($0["text"] as? [String: Any])?["content"] as? String }
    }
}
