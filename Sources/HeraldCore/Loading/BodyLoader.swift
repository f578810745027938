import Foundation
import HeraldTemplate
import Yams

/// Loads a message body: string leaves become templates, `<field>_file` reads the field's
/// template from a file (relative to the file naming it), an image's `path` is kept for plan time.
struct BodyLoader {
    let reader: NodeReader
    let msgtype: String

    func load(_ node: Node, topLevel: Bool = false) -> BodyNode {
        switch node {
        case .mapping(let mapping):
            var fields: [BodyField] = []
            let keys = Set(mapping.keys.compactMap { $0.scalar?.string })
            for (keyNode, valueNode) in mapping {
                guard let key = keyNode.scalar?.string else {
                    reader.error(keyNode, "keys of a '\(msgtype)' message must be strings")
                    continue
                }
                let position = reader.position(keyNode)
                if key.hasSuffix("_file"), key.count > 5 {
                    let field = String(key.dropLast(5))
                    if keys.contains(field) {
                        reader.error(keyNode, "'\(key)' and '\(field)' both given; keep one")
                        continue
                    }
                    if let template = fileTemplate(valueNode, key: key) {
                        fields.append(BodyField(key: field, node: .text(template, position), position: position))
                    }
                    continue
                }
                if topLevel, msgtype == "image", key == "path" {
                    if let text = reader.string(valueNode, what: "image 'path'"),
                       let template = TemplateCompiling.compile(text, origin: TemplateCompiling.origin(of: valueNode, in: reader.source), log: &reader.log) {
                        fields.append(BodyField(key: key, node: .imagePath(template, reader.position(valueNode)), position: position))
                    }
                    continue
                }
                fields.append(BodyField(key: key, node: load(valueNode), position: position))
            }
            return .map(fields)
        case .sequence(let items):
            return .list(items.map { load($0) })
        case .scalar:
            let value = NodeReader.scalarValue(node)
            guard case .string(let text) = value else {
                if case .double(let d) = value, !d.isFinite {
                    reader.error(node, "'\(node.scalar?.string ?? "")' is not a finite number; JSON cannot carry it — quote it to send a string")
                }
                return .literal(value)
            }
            let origin = TemplateCompiling.origin(of: node, in: reader.source)
            guard let template = TemplateCompiling.compile(text, origin: origin, log: &reader.log) else { return .literal(.null) }
            return .text(template, reader.position(node))
        case .alias:
            reader.error(node, "unresolved YAML alias in a message body")
            return .literal(.null)
        }
    }

    private func fileTemplate(_ node: Node, key: String) -> Template? {
        guard let path = reader.string(node, what: "'\(key)'") else { return nil }
        let base = (reader.path as NSString).deletingLastPathComponent
        switch SourceText.read(path, relativeTo: reader.source.directory, displayBase: base,
                               at: reader.position(node), what: "'\(key)' file", paths: reader.paths) {
        case .failure(let d):
            reader.log.append(d)
            return nil
        case .success(let file):
            return TemplateCompiling.compile(file.text, origin: TemplateOrigin(path: file.path), log: &reader.log)
        }
    }
}
