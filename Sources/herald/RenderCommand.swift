import ArgumentParser
import HeraldCore

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print every rendered message, per recipient, as readable text.",
        discussion: """
        Links are shown with their key masked. --format json prints one JSON object per \
        message (message, row, recipient, link, msgtype, body) for scripts.

        --event FILE (and --route NAME) plans a JSON payload with a 'serve' route's \
        messages, as 'herald serve' would.

        Examples:
          herald render examples/release-announcement/job.yaml --var version=2.1.0
          herald render job.yaml --event alert.json --route alertmanager
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var options: JobOptions
    @Option(help: "Output format: text or json.") var format: Format = .text

    func run() throws {
        let prepared = try options.prepare(output: DiagnosticOutput())
        switch format {
        case .text: StandardOutput.write(RenderedText.text(for: prepared))
        case .json: StandardOutput.write(RenderedText.jsonLines(for: prepared))
        }
    }
}
