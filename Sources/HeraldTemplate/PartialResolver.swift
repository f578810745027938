/// Supplies `{{> name}}` partials, compiled once by the caller.
public protocol PartialResolver: Sendable {
    func partial(named name: String) -> Template?
    /// Every name the resolver knows, for "did you mean …?".
    var partialNames: [String] { get }
}
