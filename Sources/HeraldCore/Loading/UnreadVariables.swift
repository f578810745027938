import HeraldTemplate

/// `--var NAME=…` that no template of the job reads — a typo like `verison` would otherwise
/// be silently ignored: a warning with the nearest name the templates do read.
package enum UnreadVariables {
    /// Every top-level name read by the job's templates: message bodies, `at`, partials,
    /// `to:` and `mention:` templates, and `for_each: {var: …}` — of the job's messages and of
    /// its `serve` routes' (and their `dedupe_key`s).
    package static func namesRead(by job: Job) -> Set<String> {
        var names = Set<String>()
        func add(_ node: BodyNode) {
            switch node {
            case .text(let t, _), .imagePath(let t, _): names.formUnion(t.namesRead)
            case .literal: break
            case .list(let items): items.forEach(add)
            case .map(let fields): fields.forEach { add($0.node) }
            }
        }
        func add(_ template: MessageTemplate) {
            add(template.body)
            if let at = template.at { add(at) }
        }
        job.library.templates.values.forEach(add)
        for partial in job.library.partials.values { names.formUnion(partial.namesRead) }
        let routes = job.serve?.routes ?? []
        for key in routes.compactMap(\.dedupeKey) { names.formUnion(key.namesRead) }
        for entry in job.messages + routes.flatMap(\.messages) {
            add(entry.template)
            for case .template(let t, _) in entry.to { names.formUnion(t.namesRead) }
            for mention in entry.mention ?? [] { names.formUnion(mention.template.namesRead) }
            if case .variable(let name, _)? = entry.forEach, let first = name.split(separator: ".").first { names.insert(String(first)) }
        }
        return names
    }

    /// A warning for each of `names` (the `--var` names, in order) that no template reads.
    package static func warnings(for names: [String], in job: Job) -> [Diagnostic] {
        guard !names.isEmpty else { return [] }
        let read = namesRead(by: job)
        var seen = Set<String>()
        return names.compactMap { name in
            guard !read.contains(name), seen.insert(name).inserted else { return nil }
            return .warning(at: CommandLineVariable.position,
                            "--var \(name) is read by no template of this job, so it changes nothing"
                            + NameSuggestion.hint(for: name, among: read.sorted()))
        }
    }
}
