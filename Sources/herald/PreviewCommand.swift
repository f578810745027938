import ArgumentParser
import Foundation
import HeraldCore

struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Write one self-contained HTML page showing each robot's messages as the chat would.",
        discussion: """
        WeCom robots show WeCom's markdown subset (headings, bold, links, quotes, \
        <font color>, <@userid> mentions), news and template cards, and images inline; \
        DingTalk robots show in DingTalk's look: text with its @-mentions, markdown under its \
        notification title, link cards, actionCard buttons and feedCard links. Each part of a \
        split message is its own bubble. The page loads nothing from the network; remote \
        pictures are shown as placeholders naming their host.

        --event FILE (and --route NAME) plans a JSON payload with a 'serve' route's \
        messages, as 'herald serve' would.

        Examples:
          herald preview examples/template-card/job.yaml -o preview.html
          herald preview examples/release-two-platforms/job.yaml -o - > page.html
          herald preview job.yaml --event alert.json -o alert.html
        """
    )

    @OptionGroup var options: JobOptions
    @Option(name: .shortAndLong, help: ArgumentHelp("The HTML file to write; '-' for standard output.", valueName: "FILE"))
    var output: String = "preview.html"

    func run() throws {
        let diagnostics = DiagnosticOutput()
        let prepared = try options.prepare(output: diagnostics)
        let html = PreviewPage.html(for: prepared)
        if output == "-" {
            StandardOutput.write(html)
            return
        }
        do {
            try Data(html.utf8).write(to: URL(fileURLWithPath: output))
        } catch {
            diagnostics.note("cannot write \(output): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        diagnostics.note("wrote \(output) (\(prepared.plan.messageCount) messages)")
    }
}
