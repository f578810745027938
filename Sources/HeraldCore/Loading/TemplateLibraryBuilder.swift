import Foundation
import HeraldTemplate
import Yams

/// Gathers templates and partials while a job loads: `templates:` and `partials:` first,
/// then `NAME.yaml` / `NAME.md` from `template_dirs` as they are named.
struct TemplateLibraryBuilder {
    let loader: JobLoader
    let templateDirs: [URL]
    let paths: PathPolicy
    private(set) var library = TemplateLibrary()
    private var brokenTemplates = Set<String>()
    private var brokenPartials = Set<String>()
    private var fileTemplates: [String: MessageTemplate?] = [:]
    /// Inline message bodies: not in the library, but their partials must exist too.
    private var inlineTemplates: [MessageTemplate] = []

    init(loader: JobLoader, templateDirs: [URL], paths: PathPolicy) {
        self.loader = loader
        self.templateDirs = templateDirs
        self.paths = paths
    }

    mutating func addPartial(_ name: String, _ template: Template) { library.partials[name] = template }
    mutating func addTemplate(_ name: String, _ template: MessageTemplate) { library.templates[name] = template }
    mutating func markBroken(template name: String) { brokenTemplates.insert(name) }
    mutating func noteInline(_ template: MessageTemplate) { inlineTemplates.append(template) }
    mutating func markBroken(partial name: String) { brokenPartials.insert(name) }

    /// `template: NAME`: from `templates:`, else the first `NAME.yaml` in the template folders.
    mutating func template(named name: String, at node: Node, reader: NodeReader) -> MessageTemplate? {
        if let t = library.templates[name] { return t }
        if brokenTemplates.contains(name) { return nil }
        if let cached = fileTemplates[name] { return cached }
        guard let url = findFile(name, extensions: ["yaml", "yml"]) else {
            let candidates = Array(library.templates.keys) + Array(brokenTemplates) + filesInDirs(extensions: ["yaml", "yml"])
            reader.error(node, NameSuggestion.unknown("template", name, among: candidates,
                                                      otherwise: "; define it under 'templates:' or add \(name).yaml to a folder in 'template_dirs' (searched: \(searchedFolders()))"))
            fileTemplates[name] = .some(nil)
            return nil
        }
        let loaded = loadTemplateFile(url, name: name, at: reader.position(node), log: &reader.log)
        fileTemplates[name] = .some(loaded)
        return loaded
    }

    private func loadTemplateFile(_ url: URL, name: String, at position: SourcePosition, log: inout DiagnosticLog) -> MessageTemplate? {
        let source: SourceText
        switch SourceText.read(displayPath(url), relativeTo: Self.workingFolder, displayBase: "", at: position, what: "template file", paths: paths) {
        case .failure(let d): log.append(d); return nil
        case .success(let s): source = SourceText(path: displayPath(url), directory: s.directory, text: s.text)
        }
        switch YAMLParsing.parse(source) {
        case .failure(let d): log.append(d); return nil
        case .success(nil):
            log.error(SourcePosition(path: source.path, line: 1, column: 1), "template file is empty; it needs one message type key")
            return nil
        case .success(let root?):
            let reader = NodeReader(source: source, log: log, budget: loader.budget)
            reader.paths = paths
            defer { log = reader.log }
            guard let fields = reader.fields(of: root, what: "template '\(name)'", known: JobLoader.messageTypes + JobLoader.templateSiblingKeys) else { return nil }
            return loader.messageTemplate(fields, what: "template '\(name)'", name: name, reader)
        }
    }

    /// Follows `{{> name}}` from every template transitively, loading `NAME.md` files as needed.
    mutating func resolvePartials(log: inout DiagnosticLog) {
        library.knownPartialNames = Array(Set(library.partials.keys).union(brokenPartials).union(filesInDirs(extensions: ["md"]))).sorted()
        var pending: [(name: String, position: SourcePosition)] = []
        for t in library.templates.values { pending += references(in: t.body) }
        for case let t?? in fileTemplates.values { pending += references(in: t.body) }
        for t in inlineTemplates { pending += references(in: t.body) }
        for p in library.partials.values { pending += Self.references(of: p) }
        var seen = Set(library.partials.keys)
        while let ref = pending.popLast() {
            guard !seen.contains(ref.name), !brokenPartials.contains(ref.name) else { continue }
            seen.insert(ref.name)
            guard let url = findFile(ref.name, extensions: ["md"]) else {
                log.error(ref.position, NameSuggestion.unknown("partial", ref.name, among: library.knownPartialNames))
                continue
            }
            let position = ref.position
            switch SourceText.read(displayPath(url), relativeTo: Self.workingFolder, displayBase: "", at: position, what: "partial file", paths: paths) {
            case .failure(let d): log.append(d)
            case .success(let file):
                if let t = TemplateCompiling.compile(file.text, origin: TemplateOrigin(path: displayPath(url)), log: &log) {
                    library.partials[ref.name] = t
                    pending += Self.references(of: t)
                }
            }
        }
    }

    private static func references(of template: Template) -> [(name: String, position: SourcePosition)] {
        template.partialReferences.map { ($0.name, SourcePosition(path: template.origin.path, line: $0.line, column: $0.column)) }
    }

    private func references(in node: BodyNode) -> [(name: String, position: SourcePosition)] {
        switch node {
        case .text(let t, _), .imagePath(let t, _): return Self.references(of: t)
        case .literal: return []
        case .list(let items): return items.flatMap(references)
        case .map(let fields): return fields.flatMap { references(in: $0.node) }
        }
    }

    private func findFile(_ name: String, extensions: [String]) -> URL? {
        guard !name.contains("/"), !name.hasPrefix(".") else { return nil }
        for dir in templateDirs {
            for ext in extensions {
                let url = dir.appendingPathComponent("\(name).\(ext)")
                if FileManager.default.fileExists(atPath: url.path) { return url }
            }
        }
        return nil
    }

    /// The template folders as a message names them: each path, and whether it is missing
    /// (a job copied out of examples/ keeps `template_dirs: [../../templates]`).
    private func searchedFolders() -> String {
        guard !templateDirs.isEmpty else { return "no folders: 'template_dirs' is empty" }
        return templateDirs.map { dir in
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: dir.path, isDirectory: &isFolder) && isFolder.boolValue
            return displayPath(dir) + (exists ? "" : " (no such folder)")
        }.joined(separator: ", ")
    }

    private func filesInDirs(extensions: [String]) -> [String] {
        templateDirs.flatMap { dir -> [String] in
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return files.filter { extensions.contains(($0 as NSString).pathExtension) }
                .map { ($0 as NSString).deletingPathExtension }
        }
    }

    /// Template files are read by their display path (relative to here when they are below it),
    /// so a refused or unreadable one is named as its other diagnostics name it.
    private static var workingFolder: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }

    /// Paths relative to the working folder read best in diagnostics.
    private func displayPath(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let path = url.standardizedFileURL.path
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }
}
