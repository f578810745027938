import HeraldTemplate

/// WeCom's `markdown` does not draw tables (its `markdown_v2` does): a `markdown` content
/// whose template holds one, sent to a WeCom robot, gets a warning once per job, at the
/// table's first row. The template's text is read, not each rendered message, so the check
/// costs nothing per message and both branches of the message path see the same warnings; a
/// table that arrives whole through a variable is not seen.
enum WeComTableCheck {
    static func warnings(for job: Job, log: inout DiagnosticLog) {
        let wecomNames = Set(job.recipientOrder.filter { job.recipients[$0]?.platform == .wecom })
        guard !wecomNames.isEmpty else { return }
        var warned = Set<SourcePosition>()
        for entry in job.messages where entry.template.msgtype == "markdown" {
            guard case .map(let fields) = entry.template.body,
                  let content = fields.first(where: { $0.key == "content" }), case .text(let template, let position) = content.node,
                  let row = LimitChecker.markdownTableLine(in: template.source) else { continue }
            let reachesWeCom = entry.to.contains { addressee in
                switch addressee {
                case .name(let ref): return job.recipientNames(reachedFrom: ref.name).contains(where: wecomNames.contains)
                case .template: return true
                }
            }
            guard reachesWeCom else { continue }
            // A block scalar or a content file keeps its lines, so the table's row is placed; in a
            // quoted string `\n` is not a line of the file, so the string itself is.
            let keepsLines = template.origin.path != position.path || template.origin.line > position.line
            let at = template.origin.filePosition(line: row, column: 1)
            let tablePosition = keepsLines ? SourcePosition(path: template.origin.path, line: at.line, column: at.column) : position
            guard warned.insert(tablePosition).inserted else { continue }
            log.warning(tablePosition, "WeCom markdown does not draw tables: this table shows as '|' text; use markdown_v2, which draws it (but has no <font> colours or mentions)")
        }
    }
}
