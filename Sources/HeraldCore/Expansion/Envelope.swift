import HeraldTemplate

/// One message to one recipient before rendering.
public struct Envelope: Sendable {
    /// Index into `job.messages` (0-based; the entry's own `index` is 1-based).
    public var entry: Int
    /// 1-based `for_each` row number, nil without `for_each`.
    public var rowNumber: Int?
    public var row: Value?
    public var recipient: String
}
