import HeraldTemplate

/// Whether a posted event is of its route's format (SPEC §11, "Formats"). Lenient on fields
/// it does not pin (Grafana adds its own; Alertmanager may add more), strict on the ones a
/// template or the dedupe key reads.
package enum EventPayload {
    /// The statuses of a group and of each alert.
    static let statuses = ["firing", "resolved"]
    /// Alertmanager's webhook `version` "4"; Grafana's unified alerting sends "1".
    static let versions = ["4", "1"]

    /// Empty when `value` is of `format`; else one problem per field, naming its path
    /// ("'alerts[3].labels' must be an object of strings, …").
    package static func problems(_ value: Value, format: EventFormat) -> [String] {
        guard case .map(let object) = value else { return ["the event must be a JSON object, not \(kind(value))"] }
        switch format {
        case .json: return []
        case .alertmanager: return alertmanagerProblems(object)
        }
    }

    private static func alertmanagerProblems(_ event: OrderedMap) -> [String] {
        var problems: [String] = []
        var check = FieldCheck(object: event, path: "", problems: [])
        check.oneOf("version", versions, why: "Alertmanager sends \"4\", Grafana \"1\"")
        check.oneOf("status", statuses)
        check.string("groupKey")
        check.stringMap("groupLabels")
        check.stringMap("commonLabels")
        check.object("commonAnnotations")
        check.string("receiver", required: false)
        check.string("externalURL", required: false)
        check.integer("truncatedAlerts", required: false)
        problems = check.problems
        switch event["alerts"] {
        case nil: problems.append("'alerts' is missing (a list of the group's alerts)")
        case .list(let alerts)?:
            for (i, alert) in alerts.enumerated() {
                guard case .map(let fields) = alert else {
                    problems.append("'alerts[\(i)]' must be an object, not \(kind(alert))")
                    continue
                }
                var alertCheck = FieldCheck(object: fields, path: "alerts[\(i)].", problems: [])
                alertCheck.oneOf("status", statuses)
                alertCheck.stringMap("labels")
                alertCheck.object("annotations")
                alertCheck.string("startsAt")
                alertCheck.string("endsAt", required: false)
                alertCheck.string("generatorURL", required: false)
                alertCheck.string("fingerprint")
                problems += alertCheck.problems
            }
        case let other?: problems.append("'alerts' must be a list of alerts, not \(kind(other))")
        }
        return problems
    }

    /// JSON's names for a value's kind.
    static func kind(_ value: Value) -> String {
        switch value {
        case .map: return "an object"
        case .list: return "an array"
        case .string: return "a string"
        case .int, .double: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// The fields of one object, checked one by one; problems name `path` + the key.
    private struct FieldCheck {
        let object: OrderedMap
        let path: String
        var problems: [String]

        private mutating func field(_ key: String, required: Bool, what: String) -> Value? {
            guard let value = object[key] else {
                if required { problems.append("'\(path)\(key)' is missing (\(what))") }
                return nil
            }
            return value
        }

        mutating func string(_ key: String, required: Bool = true) {
            guard let value = field(key, required: required, what: "a string") else { return }
            if case .string = value { return }
            problems.append("'\(path)\(key)' must be a string, not \(EventPayload.kind(value))")
        }

        mutating func integer(_ key: String, required: Bool) {
            guard let value = field(key, required: required, what: "a number") else { return }
            if case .int = value { return }
            problems.append("'\(path)\(key)' must be a whole number, not \(EventPayload.kind(value))")
        }

        mutating func oneOf(_ key: String, _ allowed: [String], why: String? = nil) {
            let list = allowed.map { "\"\($0)\"" }.joined(separator: " or ")
            guard let value = field(key, required: true, what: why.map { "\(list): \($0)" } ?? list) else { return }
            if case .string(let s) = value, allowed.contains(s) { return }
            let got = value.stringValue.map { "\"\($0)\"" } ?? EventPayload.kind(value)
            problems.append("'\(path)\(key)' must be \(list), not \(got)")
        }

        mutating func object(_ key: String) {
            guard let value = field(key, required: true, what: "an object") else { return }
            if case .map = value { return }
            problems.append("'\(path)\(key)' must be an object, not \(EventPayload.kind(value))")
        }

        /// Labels: an object whose values are all strings.
        mutating func stringMap(_ key: String) {
            guard let value = field(key, required: true, what: "an object of strings") else { return }
            guard case .map(let map) = value else {
                problems.append("'\(path)\(key)' must be an object of strings, not \(EventPayload.kind(value))")
                return
            }
            for (name, label) in map {
                if case .string = label { continue }
                problems.append("'\(path)\(key).\(name)' must be a string (labels are strings), not \(EventPayload.kind(label))")
            }
        }
    }
}
