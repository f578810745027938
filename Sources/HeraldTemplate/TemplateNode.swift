/// The parsed form of a template: a tree of nodes, names split once at compile time.
/// `Program` flattens it for rendering.
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
    let segments: [String]
    let text: String
    /// The first segment, kept apart so a lookup reads it without going through the array.
    let first: String
    /// A plain name: one segment, not `.`.
    let isSimple: Bool

    init(_ text: String) {
        self.text = text
        segments = text == "." ? [] : text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        first = segments.first ?? ""
        isSimple = segments.count == 1
    }
}

// Nodes are classes so walking a template retains one reference per node, not every field.
final class Variable: Sendable {
    let name: NamePath
    /// `{{{x}}}` and `{{& x}}`: never escaped, even in spec mode.
    let raw: Bool
    let filters: [FilterCall]
    let position: TextPosition
    /// A `default` filter makes an unknown name acceptable.
    let hasDefault: Bool
    /// The last filter, when it may print its result straight into the output.
    let direct: DirectFilter?
    /// `{{.}}` with no filter.
    let isPlainTop: Bool

    init(name: NamePath, raw: Bool, filters: [FilterCall], position: TextPosition) {
        self.name = name
        self.raw = raw
        self.filters = filters
        self.position = position
        hasDefault = filters.contains { $0.filter == .default }
        direct = filters.last.flatMap(DirectFilter.init)
        isPlainTop = name.segments.isEmpty && filters.isEmpty
    }
}

final class Section: Sendable {
    let name: NamePath
    let inverted: Bool
    /// `{{#name?}}`: an unknown name is falsey instead of an error (Herald's extension).
    let optional: Bool
    /// `{{#rows | first: 10}}`: the section runs over the filtered value. Empty (no
    /// allocation, nothing to do at render time) for a plain section.
    let filters: [FilterCall]
    /// A `default` filter makes an unknown name acceptable, as in a variable tag.
    let hasDefault: Bool
    let children: [TemplateNode]
    let position: TextPosition

    init(name: NamePath, inverted: Bool, optional: Bool, filters: [FilterCall], children: [TemplateNode], position: TextPosition) {
        self.name = name
        self.inverted = inverted
        self.optional = optional
        self.filters = filters
        hasDefault = filters.contains { $0.filter == .default }
        self.children = children
        self.position = position
    }
}

struct PartialCall: Sendable {
    var name: String
    /// The whitespace before a standalone partial tag, prepended to each of its lines.
    var indentation: String
    var position: TextPosition
    /// Sections open around the tag in its template.
    var sectionDepth: Int
}
