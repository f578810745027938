/// What a render walks: the parsed tree flattened into one array of plain steps (no
/// reference to retain per step), with the text of every run in one byte pool.
struct Program: Sendable {
    enum Step: Sendable {
        /// Bytes `start..<end` of `text`.
        case text(start: Int, end: Int)
        /// `variables[index]`.
        case variable(Int)
        /// `sections[index]`; its body is the steps after it up to (not including) `end`.
        case section(Int, end: Int)
        /// `partials[index]`.
        case partial(Int)
    }

    private(set) var steps: [Step] = []
    private(set) var text: [UInt8] = []
    private(set) var variables: [Variable] = []
    private(set) var sections: [Section] = []
    private(set) var partials: [PartialCall] = []

    init(_ nodes: [TemplateNode]) {
        var textOpen = false
        lower(nodes, textOpen: &textOpen)
    }

    /// Calls `body` with `variables[index]`, not retained: the program holds it throughout,
    /// and a retain and a release per tag are a sizeable share of a render.
    @inline(__always)
    func withVariable<R>(_ index: Int, _ body: (Variable) -> R) -> R {
        Unmanaged.passUnretained(variables[index])._withUnsafeGuaranteedRef(body)
    }

    /// True when there are only text runs (or nothing).
    var isText: Bool {
        steps.allSatisfy { if case .text = $0 { return true } else { return false } }
    }

    /// `textOpen`: the last step is a text run that the next run may extend (not across the
    /// start or end of a section).
    private mutating func lower(_ nodes: [TemplateNode], textOpen: inout Bool) {
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
                steps.append(.variable(variables.count))
                variables.append(variable)
            case .section(let section):
                let at = steps.count
                let index = sections.count
                sections.append(section)
                steps.append(.section(index, end: at + 1))
                textOpen = false
                lower(section.children, textOpen: &textOpen)
                steps[at] = .section(index, end: steps.count)
                textOpen = false
            case .partial(let call):
                textOpen = false
                steps.append(.partial(partials.count))
                partials.append(call)
            }
        }
    }
}
