/// The compiled form of a template: a tree of nodes, names split once at compile time.
enum TemplateNode: Sendable {
    case text(String)
    case variable(Variable)
    case section(Section)
    case partial(PartialCall)
}

/// Where a tag sits inside the template text (1-based, columns in Unicode scalars).
struct TextPosition: Sendable, Hashable {
    var line: Int
    var column: Int
}

/// A dotted name: `.` (the top of the stack) or segments looked up from the stack.
struct NamePath: Sendable, Hashable {
    /// Empty for the implicit iterator `.`.
    var segments: [String]
    var text: String

    init(_ text: String) {
        self.text = text
        segments = text == "." ? [] : text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }
}

struct Variable: Sendable {
    var name: NamePath
    /// `{{{x}}}` and `{{& x}}`: never escaped, even in spec mode.
    var raw: Bool
    var filters: [FilterCall]
    var position: TextPosition
    /// A `default` filter makes an unknown name acceptable.
    var hasDefault: Bool { filters.contains { $0.filter == .default } }
}

struct Section: Sendable {
    var name: NamePath
    var inverted: Bool
    var children: [TemplateNode]
    var position: TextPosition
}

struct PartialCall: Sendable {
    var name: String
    /// The whitespace before a standalone partial tag, prepended to each of its lines.
    var indentation: String
    var position: TextPosition
}
