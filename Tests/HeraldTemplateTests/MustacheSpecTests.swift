import Foundation
import HeraldTemplate
import Testing

/// Every case of the official Mustache spec modules (a copy with its MIT license in
/// Tests/Fixtures/mustache-spec), in spec mode.
@Suite struct MustacheSpecTests {
    static let specDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/mustache-spec")
    static let modules = ["comments", "interpolation", "sections", "inverted", "partials", "delimiters"]

    struct Resolver: PartialResolver {
        var templates: [String: Template]
        func partial(named name: String) -> Template? { templates[name] }
        var partialNames: [String] { Array(templates.keys) }
    }

    @Test func allCasesPass() throws {
        var total = 0
        var failures: [String] = []
        for module in Self.modules {
            let url = Self.specDirectory.appendingPathComponent("\(module).json")
            let data = try Data(contentsOf: url) // fails the test if the copy is missing
            let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let tests = try #require(root["tests"] as? [[String: Any]])
            for test in tests {
                total += 1
                let name = "\(module): \(test["name"] as? String ?? "?")"
                do {
                    let template = try Template.compile(test["template"] as? String ?? "",
                                                        origin: TemplateOrigin(path: name), mode: .spec)
                    var partials: [String: Template] = [:]
                    for (key, text) in test["partials"] as? [String: String] ?? [:] {
                        partials[key] = try Template.compile(text, origin: TemplateOrigin(path: key), mode: .spec)
                    }
                    let output = try template.render([JSONValue.convert(test["data"] ?? NSNull())], partials: Resolver(templates: partials))
                    if output != test["expected"] as? String {
                        failures.append("\(name): got \(output.debugDescription), expected \((test["expected"] as? String ?? "").debugDescription)")
                    }
                } catch {
                    failures.append("\(name): \(error)")
                }
            }
        }
        print("mustache spec: \(total - failures.count)/\(total) passed")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(total == 136)
    }
}

/// JSONSerialization's objects as engine values (NSNumber told apart into bool, int, double).
enum JSONValue {
    static func convert(_ any: Any) -> Value {
        switch any {
        case is NSNull: return .null
        case let s as String: return .string(s)
        case let n as NSNumber:
            switch String(cString: n.objCType) {
            case "c", "B": return .bool(n.boolValue)
            case "d", "f": return .double(n.doubleValue)
            default: return .int(n.intValue)
            }
        case let a as [Any]: return .list(a.map(convert))
        case let d as [String: Any]: return .map(OrderedMap(d.keys.sorted().map { ($0, convert(d[$0] ?? NSNull())) }))
        default: return .null
        }
    }
}
