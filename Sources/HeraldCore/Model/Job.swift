import Foundation
import HeraldTemplate

/// A validated job file: everything downstream needs, nothing read from YAML any more.
public struct Job: Sendable {
    /// The job file as named in diagnostics.
    public var path: String
    /// The folder relative paths resolve against.
    public var directory: URL
    public var name: String
    /// The WeCom relay endpoint.
    public var endpoint: String
    /// `dingtalk_endpoint` as written; nil derives it from `endpoint` (see `relayEndpoint(for:)`).
    public var dingtalkEndpoint: String?
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
    package var library: TemplateLibrary
    public var messages: [MessageEntry]
    /// `overflow:` at the top level: what a long field over its limit becomes (default split).
    public var overflow: OverflowMode = .split
    /// `people:` name → ids, for `mention:`.
    public var people: [String: Person] = [:]
    public var peopleOrder: [String] = []
    /// Where the job's files may be read from: its folder, `template_dirs`, `allow_paths`.
    package var paths = PathPolicy.unconfined
    /// What loading the job file found that is not an error (`Herald.load`); planning the job
    /// reports them again among the plan's warnings. Empty for a job built in code.
    public var warnings: [Diagnostic] = []
    /// `serve:` (SPEC §11): nil when the job has none.
    public var serve: ServeSettings?
}

extension Job {
    /// The relay endpoint a platform's requests go to; nil for DingTalk when `dingtalk_endpoint`
    /// is not set and `endpoint` does not end in `/wecom`.
    public func relayEndpoint(for platform: Platform) -> String? {
        switch platform {
        case .wecom: return endpoint
        case .dingtalk: return dingtalkEndpoint ?? Platform.dingtalkEndpoint(derivedFrom: endpoint)
        }
    }

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
    /// `platform:`, else inferred from the link's host.
    public var platform: Platform = .wecom
}

/// One entry of `people:`: the ids a person has on each platform.
public struct Person: Sendable {
    public var name: String
    public var wecom: String?
    public var dingtalk: String?
    public var mobile: String?
    public var position: SourcePosition
}

/// One `mention:` entry: a person's name or `@all`, possibly a template.
package struct MentionName: Sendable {
    package var template: Template
    package var position: SourcePosition
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
    package var template: MessageTemplate
    package var to: [Addressee]
    public var vars: OrderedMap
    package var forEach: ForEachSource?
    /// The row's name in templates (`as:`, default `row`).
    package var rowName: String
    /// `overflow:` on the entry; nil takes the job's.
    package var overflow: OverflowMode? = nil
    /// `mention:`; nil when not given (an empty list is given).
    package var mention: [MentionName]? = nil
}

/// A `to:` entry: a recipient or group name, or (with `for_each`) a template giving one.
package enum Addressee: Sendable {
    case name(NamedReference)
    case template(Template, SourcePosition)
}

/// Where `for_each` rows come from.
package enum ForEachSource: Sendable {
    /// A CSV, JSON or YAML file (by extension), relative to the job file.
    case file(path: String, position: SourcePosition)
    case list([Value], position: SourcePosition)
    case variable(String, position: SourcePosition)
}
