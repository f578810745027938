import Foundation
@testable import HeraldCore
import HeraldTemplate
import Testing

/// Alertmanager's and Grafana's payloads (Tests/Fixtures/events, from /work/shared/reference),
/// and what is refused, naming the field.
@Suite struct EventPayloadTests {
    static func fixture(_ name: String) throws -> Value {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/events/\(name)")
        return try Herald.value(json: String(contentsOf: url, encoding: .utf8), path: name)
    }

    static func alert(_ fields: [(String, Value)] = []) -> Value {
        let pairs: [(String, Value)] = [("status", "firing"), ("labels", ["alertname": "Disk"]), ("annotations", [:]),
                              ("startsAt", "2026-12-04T08:01:00Z"), ("fingerprint", "0a1b")]
        var map = OrderedMap(pairs)
        for (k, v) in fields { map[k] = v }
        return .map(map)
    }

    static func event(_ fields: [(String, Value)] = [], alerts: [Value] = [alert()]) -> Value {
        let pairs: [(String, Value)] = [("version", "4"), ("groupKey", "{}:{}"), ("status", "firing"), ("receiver", "herald"),
                              ("groupLabels", [:]), ("commonLabels", [:]), ("commonAnnotations", [:]), ("alerts", .list(alerts))]
        var map = OrderedMap(pairs)
        for (k, v) in fields { map[k] = v }
        return .map(map)
    }

    @Test func alertmanagerAndGrafanaPayloadsAreAccepted() throws {
        #expect(EventPayload.problems(try Self.fixture("firing.json"), format: .alertmanager).isEmpty)
        #expect(EventPayload.problems(try Self.fixture("grafana-resolved.json"), format: .alertmanager).isEmpty)
        #expect(EventPayload.problems(Self.event(), format: .alertmanager).isEmpty)
        // Lenient on fields it does not pin.
        #expect(EventPayload.problems(Self.event([("extra", [1, 2])], alerts: [Self.alert([("values", ["A": 1.5])])]), format: .alertmanager).isEmpty)
        #expect(EventPayload.problems(Self.event(alerts: []), format: .alertmanager).isEmpty)
    }

    @Test func anyObjectIsJSON() {
        #expect(EventPayload.problems(["tag": "v1"], format: .json).isEmpty)
        #expect(EventPayload.problems([:], format: .json).isEmpty)
        #expect(EventPayload.problems(["a", "b"], format: .json) == ["the event must be a JSON object, not an array"])
        #expect(EventPayload.problems("x", format: .alertmanager) == ["the event must be a JSON object, not a string"])
    }

    @Test func eachProblemNamesItsField() {
        let cases: [(Value, String)] = [
            (Self.event([("version", "3")]), #"'version' must be "4" or "1", not "3""#),
            (Self.event([("version", 4)]), #"'version' must be "4" or "1", not a number"#),
            (Self.event([("status", "pending")]), #"'status' must be "firing" or "resolved", not "pending""#),
            (Self.event([("groupKey", 7)]), "'groupKey' must be a string, not a number"),
            (Self.event([("commonLabels", ["team": 1])]), "'commonLabels.team' must be a string (labels are strings), not a number"),
            (Self.event([("commonAnnotations", "none")]), "'commonAnnotations' must be an object, not a string"),
            (Self.event([("truncatedAlerts", "0")]), "'truncatedAlerts' must be a whole number, not a string"),
            (Self.event([("alerts", [:])]), "'alerts' must be a list of alerts, not an object"),
            (Self.event(alerts: [Self.alert(), Self.alert(), Self.alert(), Self.alert([("labels", "x")])]),
             "'alerts[3].labels' must be an object of strings, not a string"),
            (Self.event(alerts: [Self.alert([("status", nil)])]), #"'alerts[0].status' must be "firing" or "resolved", not null"#),
            (Self.event(alerts: [Self.alert([("fingerprint", 12)])]), "'alerts[0].fingerprint' must be a string, not a number"),
            (Self.event(alerts: ["alert"]), "'alerts[0]' must be an object, not a string"),
        ]
        for (event, problem) in cases {
            #expect(EventPayload.problems(event, format: .alertmanager) == [problem])
        }
    }

    @Test func missingFieldsAreNamedEach() {
        guard case .map(var alert) = Self.alert() else { return }
        alert["startsAt"] = nil
        var map = Self.event(alerts: [.map(alert)]).mapValue ?? OrderedMap()
        map["groupKey"] = nil
        #expect(EventPayload.problems(.map(map), format: .alertmanager)
                == ["'groupKey' is missing (a string)", "'alerts[0].startsAt' is missing (a string)"])
    }
}
