import Foundation

public struct RenderOptions: Sendable {
    /// The zone the `date` filter formats in.
    public var timeZone: TimeZone
    /// Partials nested deeper than this are an error (turns infinite recursion into a diagnostic).
    public var maxPartialDepth: Int
    /// Output larger than this is an error instead of eating the machine.
    public var maxOutputBytes: Int
    /// Section passes (one per list item) per render; bounds the work of nested sections
    /// over long lists even when they print nothing.
    public var maxSectionPasses: Int
    /// Sections open at once, across partials (one template alone allows 100): checked at each
    /// section pass, and at each partial tag for all sections, inverted ones included.
    public var maxSectionNesting: Int
    /// A `TemplateRenderer` replays a section whose output depends only on frames not set
    /// since it last ran, instead of running it again (a list in the job's vars, once per run
    /// instead of once per message); the output is the same either way. False runs every
    /// section: the reference the tests compare the replay with. (`Template.render`, one
    /// render that keeps nothing, always runs them.)
    public var replaysSections = true

    public init(timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current,
                maxPartialDepth: Int = 32, maxOutputBytes: Int = 8 << 20, maxSectionPasses: Int = 1_000_000,
                maxSectionNesting: Int = 200) {
        self.timeZone = timeZone
        self.maxPartialDepth = maxPartialDepth
        self.maxOutputBytes = maxOutputBytes
        self.maxSectionPasses = maxSectionPasses
        self.maxSectionNesting = maxSectionNesting
    }
}
