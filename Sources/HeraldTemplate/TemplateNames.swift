/// The top-level names a template reads, for "this --var is read by no template" warnings.
extension Template {
    /// The first segment of every variable and section name (`x` of `{{x.y}}`); `.` is none.
    /// Parsed again from the source: asked once per template, and only when `--var` is given,
    /// so the compiled program carries nothing for it.
    public var namesRead: Set<String> {
        var names = Set<String>()
        func walk(_ nodes: [TemplateNode]) {
            for node in nodes {
                switch node {
                case .text, .partial: break
                case .variable(let v): if !v.name.first.isEmpty { names.insert(v.name.first) }
                case .section(let s):
                    if !s.name.first.isEmpty { names.insert(s.name.first) }
                    walk(s.children)
                }
            }
        }
        walk(TemplateParser.parse(source, mode: mode).nodes)
        return names
    }
}
