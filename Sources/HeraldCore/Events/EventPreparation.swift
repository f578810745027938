import Foundation
import HeraldTemplate

/// One event planned offline (`herald send --dry-run --event FILE --route NAME`, render, plan,
/// preview, check) or by `herald serve`: the payload read and checked against its route's
/// format, then planned by `Herald.prepare(job:event:messages:options:)`'s pipeline.
extension JobPreparation {
    /// Reads the event at `path` (`-`: standard input) as a JSON object.
    package static func readEvent(path: String) -> Result<Value, HeraldError> {
        let position = SourcePosition(path: path == "-" ? "<stdin>" : path, line: 1, column: 1)
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let source: SourceText
        if path == "-" {
            switch FileContents.readStandardInput(limit: FileContents.maxTextBytes) {
            case .failure(let f): return .failure(HeraldError([.error(at: position, "event on standard input \(f.reason)")]))
            case .success(let bytes):
                switch SourceText.decode(bytes, path: "<stdin>", directory: cwd) {
                case .failure(let d): return .failure(HeraldError([d]))
                case .success(let s): source = s
                }
            }
        } else {
            switch SourceText.read(path, relativeTo: cwd, displayBase: "", at: position, what: "event file", allowsStreams: true) {
            case .failure(let d): return .failure(HeraldError([d]))
            case .success(let s): source = s
            }
        }
        return eventValue(source)
    }

    /// A request body as the value bound to `event` (`herald serve`): UTF-8, then as below.
    /// `nestingChecked`: the caller checked the body nests shallowly (`herald serve` does, at 64
    /// levels), so it is parsed on the calling thread.
    package static func eventValue(bytes: [UInt8], path: String, nestingChecked: Bool = false) -> Result<Value, HeraldError> {
        switch SourceText.decode(bytes, path: path, directory: URL(fileURLWithPath: "/")) {
        case .failure(let d): return .failure(HeraldError([d]))
        case .success(let source): return eventValue(source, nestingChecked: nestingChecked)
        }
    }

    /// A payload's text as the value bound to `event`: a JSON object, keys in order, numbers as
    /// a `.json` data file's. Not JSON, or not an object: a diagnostic at its line:column.
    package static func eventValue(_ source: SourceText, nestingChecked: Bool = false) -> Result<Value, HeraldError> {
        // The YAML parser reads JSON (with positions) but also YAML; an object must open with '{'.
        guard let (offset, first) = source.text.unicodeScalars.enumerated().first(where: { !" \t\r\n".unicodeScalars.contains($0.element) }) else {
            return .failure(HeraldError([.error(at: SourcePosition(path: source.path, line: 1, column: 1), "the event is empty; it must be a JSON object")]))
        }
        guard first == "{" else {
            let before = source.text.unicodeScalars.prefix(offset)
            let line = before.filter { $0 == "\n" }.count + 1
            let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
            return .failure(HeraldError([.error(at: SourcePosition(path: source.path, line: line, column: column),
                                                "the event must be a JSON object ({…}), but it starts with '\(Character(first))'")]))
        }
        // The fast reader first; what it refuses, the reference (the YAML parser) reads or explains.
        if let value = JSONValueReader.read(source.text), case .map = value { return .success(value) }
        var log = DiagnosticLog()
        guard let value = DataFile.value(ofJSON: source, what: "event", nestingChecked: nestingChecked, log: &log), !log.hasErrors else {
            return .failure(HeraldError(log.sorted(primaryPath: source.path).map(asJSONDiagnostic)))
        }
        return .success(value)
    }

    /// The parser's words for a JSON text: its syntax errors are JSON's, not YAML's.
    private static func asJSONDiagnostic(_ d: Diagnostic) -> Diagnostic {
        var d = d
        if d.message.hasPrefix("YAML ") { d.message = "JSON" + d.message.dropFirst(4) }
        return d
    }

    /// The route `name` names; with nil, the job's only route. A diagnostic on the command line otherwise.
    package static func route(_ name: String?, in job: Job) -> Result<EventRoute, HeraldError> {
        let commandLine = SourcePosition(path: "<command line>", line: 1, column: 1)
        guard let serve = job.serve, !serve.routes.isEmpty else {
            return .failure(HeraldError([.error(at: commandLine, "--event needs a route, and \(job.path) has no 'serve: routes:'; add one (docs/job-file.md, \"serve\")")]))
        }
        let names = serve.routeNames
        guard let name else {
            if serve.routes.count == 1 { return .success(serve.routes[0]) }
            return .failure(HeraldError([.error(at: commandLine, "the job has \(names.count) routes (\(names.joined(separator: ", "))); say which with --route NAME")]))
        }
        if let route = serve.route(named: name) { return .success(route) }
        return .failure(HeraldError([.error(at: commandLine, "--route '\(name)' is not a route of this job"
                                            + NameSuggestion.hint(for: name, among: names, otherwise: "; its routes are \(names.joined(separator: ", "))"))]))
    }

    /// Plans `event` posted to `route` (what `herald serve` stores for it): a payload not of the
    /// route's format is refused naming its fields, at `eventPath`:1:1. `job.warnings` are
    /// reported again among the result's, as `Herald.prepare(job:)` does.
    package static func prepare(job: Job, event: Value, route: EventRoute, eventPath: String,
                                options: PlanningOptions) -> Result<PreparedJob, HeraldError> {
        let problems = EventPayload.problems(event, format: route.format)
        guard problems.isEmpty else {
            let position = SourcePosition(path: eventPath, line: 1, column: 1)
            return .failure(HeraldError(problems.map { .error(at: position, "route '\(route.name)' takes \(route.format.rawValue) events: \($0)") }))
        }
        var log = DiagnosticLog()
        log.append(contentsOf: job.warnings)
        return prepare(job: job.binding(event: event, messages: route.messages), log: log, options: options)
    }
}
