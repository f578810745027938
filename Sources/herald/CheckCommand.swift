import ArgumentParser
import HeraldCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a job: parse, expand, render and check each robot's limits; send nothing.",
        discussion: """
        Reports every problem at once, sorted by position, as FILE:LINE:COLUMN: error: … \
        on stderr, and exits 2 if there is any. Warnings (a message split into parts, say: \
        "markdown content is 8619 bytes, over the 4096-byte limit: split into 3 messages") \
        are printed once per template position and do not change the exit code. On success \
        prints a one-line summary.

        Each robot link is checked for its platform: host, path, key= (WeCom) or \
        access_token= (DingTalk), and no spaces, control or full-width characters; another \
        host is a warning unless 'platform:' names it a gateway. Every file the job names \
        must be in its folder, its template_dirs or its allow_paths (never /proc, /sys, /dev).

        A job's 'serve' routes are checked at load (keys, formats, dedupe, every template) and \
        listed in the summary; with --event FILE (and --route NAME) the route's messages are \
        rendered and checked for that payload, as 'herald serve' would.

        Examples:
          herald check examples/weekly-report/job.yaml --now 2026-11-25T09:30:00+08:00
          herald check examples/nightly-digest/job.yaml      # warns: split into 2 messages
          herald check job.yaml --event alert.json --route alertmanager
        """
    )

    @OptionGroup var options: JobOptions

    func run() throws {
        let prepared = try options.prepare(output: DiagnosticOutput(), needsMessages: false)
        let links = Set(prepared.plan.requests.map(\.link)).count
        let warnings = prepared.warnings.count
        let planned = "\(plural(prepared.plan.messageCount, "message")) in \(plural(prepared.plan.requests.count, "request")) to \(plural(links, "link"))"
        var summary: String
        if options.event != nil {
            summary = "route '\(options.routeName(in: prepared.job) ?? "")': " + planned
        } else if let serve = prepared.job.serve {
            let routes = "\(plural(serve.routes.count, "route")): \(serve.routeNames.joined(separator: ", "))"
            summary = prepared.job.messages.isEmpty ? routes : planned + "; " + routes
        } else {
            summary = planned
        }
        if warnings > 0 { summary += " (\(plural(warnings, "warning")))" }
        StandardOutput.write("\(prepared.job.path): ok — \(summary)\n")
    }
}

func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
