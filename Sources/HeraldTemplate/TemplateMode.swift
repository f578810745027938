public enum TemplateMode: Sendable, Hashable {
    /// Herald: strict names, filters, no HTML escaping.
    case herald
    /// The official Mustache spec's rules: HTML escaping on, unknown names render as nothing.
    case spec
}
