/// A `{{> name}}` tag found at compile time.
public struct PartialReference: Sendable, Hashable {
    public var name: String
    public var line: Int
    public var column: Int
}
