/// What a render walks: the parsed tree flattened into one array of plain steps (no
/// reference to retain per step), with the text of every run in one byte pool. Immutable
/// once made; a class so a template passes it around as one reference.
final class Program: Sendable {
    enum Step: Sendable {
        /// Bytes `start..<end` of `text`.
        case text(start: Int, end: Int)
        /// `variables[index]`, its lookup hints from slot `hint` (one per name segment).
        case variable(Int, hint: Int)
        /// `sections[index]`; its body is the steps after it up to (not including) `end`.
        case section(Int, end: Int, hint: Int)
        /// `partials[index]`.
        case partial(Int)
    }

    let steps: [Step]
    let text: [UInt8]
    let variables: [Variable]
    let sections: [Section]
    let partials: [PartialCall]
    /// Lookup hint slots a run of this program takes.
    let hintSlots: Int
    /// The one tag of a template that is nothing else (`{{row.team}}`), without filters.
    let soleVariable: Variable?
    // The template's own data (`Template` is this one reference).
    let origin: TemplateOrigin
    let mode: TemplateMode
    let source: String
    /// The whole output of a template that is one run of text.
    let constantText: String?
    /// The template has no tags at all: its output is its source, byte for byte (a comment
    /// or a delimiter change makes the output differ from the source even without variables).
    let isVerbatim: Bool
    let references: [PartialReference]
    let indentedVariants = IndentedVariants()

    init(_ nodes: [TemplateNode], origin: TemplateOrigin, mode: TemplateMode, source: String, references: [PartialReference]) {
        self.origin = origin
        self.mode = mode
        self.source = source
        self.references = references
        if nodes.count == 1, case .text(let text) = nodes[0] { constantText = text } else { constantText = nil }
        isVerbatim = source.isEmpty || constantText == source
        var builder = Builder()
        var textOpen = false
        builder.lower(nodes, textOpen: &textOpen)
        steps = builder.steps
        text = builder.text
        variables = builder.variables
        sections = builder.sections
        partials = builder.partials
        hintSlots = builder.hintSlots
        if steps.count == 1, case .variable(let index, _) = steps[0], variables[index].filters.isEmpty {
            soleVariable = variables[index]
        } else {
            soleVariable = nil
        }
    }

    /// Calls `body` with `variables[index]`, not retained: the program holds it throughout,
    /// and a retain and a release per tag are a sizeable share of a render.
    @inline(__always)
    func withVariable<R>(_ index: Int, _ body: (Variable) -> R) -> R {
        Unmanaged.passUnretained(variables[index])._withUnsafeGuaranteedRef(body)
    }

    private struct Builder {
        var steps: [Step] = []
        var text: [UInt8] = []
        var variables: [Variable] = []
        var sections: [Section] = []
        var partials: [PartialCall] = []
        var hintSlots = 0

        mutating func slots(for name: NamePath) -> Int {
            defer { hintSlots += max(1, name.segments.count) }
            return hintSlots
        }

        /// `textOpen`: the last step is a text run that the next run may extend (not across the
        /// start or end of a section).
        mutating func lower(_ nodes: [TemplateNode], textOpen: inout Bool) {
            for node in nodes {
                switch node {
                case .text(let run):
                    let start = text.count
                    text.append(contentsOf: run.utf8)
                    // Runs split only by comments join up: the output and any error are the same.
                    if textOpen, case .text(let previousStart, _)? = steps.last {
                        steps[steps.count - 1] = .text(start: previousStart, end: text.count)
                    } else {
                        steps.append(.text(start: start, end: text.count))
                    }
                    textOpen = true
                case .variable(let variable):
                    textOpen = false
                    steps.append(.variable(variables.count, hint: slots(for: variable.name)))
                    variables.append(variable)
                case .section(let section):
                    let at = steps.count
                    let index = sections.count
                    let hint = slots(for: section.name)
                    sections.append(section)
                    steps.append(.section(index, end: at + 1, hint: hint))
                    textOpen = false
                    lower(section.children, textOpen: &textOpen)
                    steps[at] = .section(index, end: steps.count, hint: hint)
                    textOpen = false
                case .partial(let call):
                    textOpen = false
                    steps.append(.partial(partials.count))
                    partials.append(call)
                }
            }
        }
    }
}
