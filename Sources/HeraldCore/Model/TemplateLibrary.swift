import Foundation
import HeraldTemplate

/// Named message templates and partials, all compiled at load time. Partial names are
/// static in Mustache, so the load follows `{{> name}}` references transitively and the
/// library never has to read a file while rendering.
package struct TemplateLibrary: Sendable, PartialResolver {
    package var templates: [String: MessageTemplate] = [:]
    package var partials: [String: Template] = [:]
    /// Every partial name that could be used (for "did you mean …?").
    package var knownPartialNames: [String] = []

    package func partial(named name: String) -> Template? { partials[name] }
    package var partialNames: [String] { knownPartialNames }
}
