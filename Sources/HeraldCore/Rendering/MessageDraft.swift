import HeraldTemplate

/// A message between rendering and fitting: rendered for its recipient, adapted to the
/// platform, checked, mentions resolved — its long field not yet measured against the limit.
struct MessageDraft: Sendable {
    var messageIndex: Int
    var rowNumber: Int?
    var recipient: String
    var link: String
    var sk: String?
    var kind: MessageKind
    /// The type's object, keys in order.
    var body: OrderedMap
    var at: Value?
    /// Appended to the long field (WeCom markdown `<@id>`, DingTalk markdown `@id`); "" for none.
    var mentionText: String
    var overflow: OverflowMode
    /// Where the long field was written, for the fitting stage's warning or error.
    var longFieldPosition: SourcePosition
    var context: MessageContext
}
