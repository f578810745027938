import Foundation
import HeraldTemplate
import Yams

/// Loads one entry of `messages:`: its template (named or inline), `to`, `vars`, `for_each`, `as`.
struct MessageEntryLoader {
    let loader: JobLoader
    let reader: NodeReader
    let index: Int
    let addressable: Set<String>
    let people: [String: Person]
    let peopleNames: [String]

    func load(_ fields: NodeReader.Fields, library: inout TemplateLibraryBuilder) -> MessageEntry? {
        let before = reader.log.errorCount
        let inline = fields.pairs.filter { JobLoader.messageTypes.contains($0.key) }
        var template: MessageTemplate?
        if let nameNode = fields["template"] {
            if let first = inline.first {
                reader.error(first.keyNode, "a message takes either 'template: NAME' or an inline '\(first.key)' body, not both")
            } else if let at = fields.keyNode("at") {
                reader.error(at, "'at' goes beside an inline body; with 'template: NAME' write it in the template, or use 'mention:'")
            } else if let name = reader.string(nameNode, what: "'template'") {
                template = library.template(named: name, at: nameNode, reader: reader)
            }
        } else if inline.isEmpty {
            if !fields.hadUnknownKeys { reader.error(fields.node, "message \(index) needs 'template: NAME' or an inline body (\(JobLoader.messageTypes.joined(separator: ", ")))") }
        } else {
            template = loader.messageTemplate(fields, what: "message \(index)", name: nil, reader)
            if let template { library.noteInline(template) }
        }

        let forEach = fields["for_each"].flatMap(loadForEach)
        var rowName = "row"
        if let asNode = fields["as"], let name = reader.string(asNode, what: "'as'") {
            if name != ".", name.isEmpty || name.contains(".") || name.contains(" ") {
                reader.error(asNode, "'as' must be a plain name like 'row' (no dots or spaces), or '.' to use the row's keys as names")
            } else {
                rowName = name
            }
            if forEach == nil, fields["for_each"] == nil { reader.error(asNode, "'as' names the row of 'for_each'; this message has no 'for_each'") }
        }
        var vars = OrderedMap()
        if let v = fields["vars"], let map = loader.varsMap(v, what: "'vars' of message \(index)", reader) { vars = map }
        let to = loadTo(fields)
        let overflow = fields["overflow"].flatMap { loader.overflowMode($0, reader) }
        let mention = fields["mention"].flatMap(loadMention)

        guard reader.log.errorCount == before, let template, let to else { return nil }
        return MessageEntry(index: index, position: reader.position(fields.node), template: template, to: to,
                            vars: vars, forEach: forEach, rowName: rowName, overflow: overflow, mention: mention)
    }

    /// `mention:` a name or a list of names (people or `@all`), each a template.
    private func loadMention(_ node: Node) -> [MentionName]? {
        guard let names = reader.stringList(node, what: "'mention'") else { return nil }
        var result: [MentionName] = []
        for (name, nameNode) in names {
            let origin = TemplateCompiling.origin(of: nameNode, in: reader.source)
            guard let template = TemplateCompiling.compile(name, origin: origin, log: &reader.log) else { continue }
            let position = reader.position(nameNode)
            // A plain name is checked now, so a typo is reported once at load, not per message.
            if template.isConstant {
                let trimmed = trimmedFast(name)
                if trimmed != "@all", people[trimmed] == nil {
                    reader.error(nameNode, MentionResolver.unknownPersonMessage(trimmed, people: peopleNames))
                    continue
                }
            }
            result.append(MentionName(template: template, position: position))
        }
        return result
    }

    private func loadTo(_ fields: NodeReader.Fields) -> [Addressee]? {
        guard let node = reader.require(fields, "to", in: "message \(index)") else { return nil }
        guard let names = reader.stringList(node, what: "'to'") else { return nil }
        if names.isEmpty {
            reader.error(node, "'to' is empty; name at least one recipient or group")
            return nil
        }
        var result: [Addressee] = []
        for (name, nameNode) in names {
            let position = reader.position(nameNode)
            if name.contains("{{") {
                let origin = TemplateCompiling.origin(of: nameNode, in: reader.source)
                if let t = TemplateCompiling.compile(name, origin: origin, log: &reader.log) { result.append(.template(t, position)) }
            } else if addressable.contains(name) {
                result.append(.name(NamedReference(name: name, position: position)))
            } else {
                reader.error(nameNode, NameSuggestion.unknown("recipient or group", name, among: addressable))
            }
        }
        return result
    }

    private func loadForEach(_ node: Node) -> ForEachSource? {
        let position = reader.position(node)
        switch node {
        case .scalar:
            guard let path = reader.string(node, what: "'for_each'") else { return nil }
            return .file(path: path, position: position)
        case .sequence:
            guard let value = reader.value(node, what: "'for_each'"), case .list(let rows) = value else { return nil }
            switch loader.env.expand(.list(rows)) {
            case .success(.list(let expanded)): return .list(expanded, position: position)
            case .failure(let f): reader.error(node, "'for_each': " + EnvironmentExpansion.message(for: f)); return nil
            default: return nil
            }
        case .mapping:
            guard let fields = reader.fields(of: node, what: "'for_each'", known: ["var"]),
                  let varNode = reader.require(fields, "var", in: "'for_each'"),
                  let name = reader.string(varNode, what: "'for_each: { var }'") else { return nil }
            return .variable(name, position: reader.position(varNode))
        case .alias:
            reader.error(node, "unresolved YAML alias in 'for_each'")
            return nil
        }
    }
}
