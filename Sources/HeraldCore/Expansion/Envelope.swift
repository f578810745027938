import HeraldTemplate

/// One message to one recipient before rendering.
struct Envelope: Sendable {
    /// Index into `job.messages` (0-based; the entry's own `index` is 1-based).
    var entry: Int
    /// 1-based `for_each` row number, nil without `for_each`.
    var rowNumber: Int?
    /// Index into the run's recipients (`CompiledJob.recipients`).
    var recipient: Int
    /// The `for_each` row (its frame is the renderer's: `ScopeBuilder.rowFrame`, `replaceRow`);
    /// nil without `for_each`.
    var row: Value?

    init(entry: Int, rowNumber: Int?, recipient: Int, row: Value?) {
        self.entry = entry
        self.rowNumber = rowNumber
        self.recipient = recipient
        self.row = row
    }
}
