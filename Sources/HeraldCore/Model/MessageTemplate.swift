import HeraldTemplate

/// A message body to render: the type key as written (`text`, `markdown`, `actionCard`, …)
/// and a tree whose string leaves are templates. Which platform's kind it becomes is decided
/// per recipient (PlatformAdapter).
public struct MessageTemplate: Sendable {
    public var msgtype: String
    public var body: BodyNode
    /// DingTalk's `at`, written beside the type key.
    public var at: BodyNode? = nil
    /// Where the msgtype key was written (named in limit violations).
    public var position: SourcePosition
    /// The template's name when it came from `templates:` or a template folder.
    public var name: String?
}

/// The message body as written, keys in order; `_file` fields are already read and
/// compiled, and an image's `path` waits to be read at plan time.
public indirect enum BodyNode: Sendable {
    /// A string leaf: rendered with the message's scope.
    case text(Template, SourcePosition)
    /// A number, boolean or null: passes through as written.
    case literal(Value)
    case list([BodyNode])
    case map([BodyField])
    /// An image `path` (itself a template): becomes `base64` and `md5` where it stood.
    case imagePath(Template, SourcePosition)
}

public struct BodyField: Sendable {
    public var key: String
    public var node: BodyNode
    public var position: SourcePosition
}
