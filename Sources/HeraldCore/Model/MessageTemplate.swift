import HeraldTemplate

/// A message body to render: the type key as written (`text`, `markdown`, `actionCard`, …)
/// and a tree whose string leaves are templates. Which platform's kind it becomes is decided
/// per recipient (PlatformAdapter).
package struct MessageTemplate: Sendable {
    package var msgtype: String
    package var body: BodyNode
    /// DingTalk's `at`, written beside the type key.
    package var at: BodyNode? = nil
    /// Where the msgtype key was written (named in limit violations).
    package var position: SourcePosition
    /// The template's name when it came from `templates:` or a template folder.
    package var name: String?
}

/// The message body as written, keys in order; `_file` fields are already read and
/// compiled, and an image's `path` waits to be read at plan time.
package indirect enum BodyNode: Sendable {
    /// A string leaf: rendered with the message's scope.
    case text(Template, SourcePosition)
    /// A number, boolean or null: passes through as written.
    case literal(Value)
    case list([BodyNode])
    case map([BodyField])
    /// An image `path` (itself a template): becomes `base64` and `md5` where it stood.
    case imagePath(Template, SourcePosition)
}

package struct BodyField: Sendable {
    package var key: String
    package var node: BodyNode
    package var position: SourcePosition
}
