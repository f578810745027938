import Foundation
import HeraldTemplate

/// A validated job file: everything downstream needs, nothing read from YAML any more.
public struct Job: Sendable {
    /// The job file as named in diagnostics.
    public var path: String
    /// The folder relative paths resolve against.
    public var directory: URL
    public var name: String
    public var endpoint: String
    public var accessToken: String?
    public var maxBatch: Int
    public var rateLimit: Int
    public var templateDirs: [URL]
    /// Job `vars` with `vars_files` merged over them, in order.
    public var vars: OrderedMap
    public var recipients: [String: Recipient]
    /// Recipient names in the order written.
    public var recipientOrder: [String]
    /// Group name → member names in the order written (groups may name groups).
    public var groups: [String: [NamedReference]]
    public var library: TemplateLibrary
    public var messages: [MessageEntry]
}

extension Job {
    /// A recipient, or a group's recipients depth-first in written order (cycles were refused at load).
    public func recipientNames(reachedFrom name: String) -> [String] {
        if recipients[name] != nil { return [name] }
        var result: [String] = []
        var open = Set<String>()
        func visit(_ group: String) {
            guard open.insert(group).inserted else { return }
            for member in groups[group] ?? [] {
                if recipients[member.name] != nil { result.append(member.name) } else { visit(member.name) }
            }
            open.remove(group)
        }
        visit(name)
        return result
    }
}

public struct Recipient: Sendable {
    public var name: String
    public var link: String
    public var sk: String?
    public var vars: OrderedMap
    public var position: SourcePosition
}

/// A name written in the job (`to:` entry, group member) with where it was written.
public struct NamedReference: Sendable, Hashable {
    public var name: String
    public var position: SourcePosition
}

/// One entry of `messages:`.
public struct MessageEntry: Sendable {
    /// 1-based position in `messages:` (`{{message.index}}`).
    public var index: Int
    public var position: SourcePosition
    public var template: MessageTemplate
    public var to: [Addressee]
    public var vars: OrderedMap
    public var forEach: ForEachSource?
    /// The row's name in templates (`as:`, default `row`).
    public var rowName: String
}

/// A `to:` entry: a recipient or group name, or (with `for_each`) a template giving one.
public enum Addressee: Sendable {
    case name(NamedReference)
    case template(Template, SourcePosition)
}

/// Where `for_each` rows come from.
public enum ForEachSource: Sendable {
    case csv(path: String, position: SourcePosition)
    case list([Value], position: SourcePosition)
    case variable(String, position: SourcePosition)
}
