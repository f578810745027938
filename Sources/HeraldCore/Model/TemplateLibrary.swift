import Foundation
import HeraldTemplate

/// Named message templates and partials, all compiled at load time. Partial names are
/// static in Mustache, so the load follows `{{> name}}` references transitively and the
/// library never has to read a file while rendering.
public struct TemplateLibrary: Sendable, PartialResolver {
    public var templates: [String: MessageTemplate] = [:]
    public var partials: [String: Template] = [:]
    /// Every partial name that could be used (for "did you mean …?").
    public var knownPartialNames: [String] = []

    public func partial(named name: String) -> Template? { partials[name] }
    public var partialNames: [String] { knownPartialNames }
}
