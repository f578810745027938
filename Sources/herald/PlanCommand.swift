import ArgumentParser
import HeraldCore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the requests a send would make: link (key masked), messages, bytes, pacing.",
        discussion: """
        'earliest' is when each request may start under the job's rate_limit (messages per \
        robot per 60 s), counted from the start of the run.

        --event FILE (and --route NAME) plans a JSON payload with a 'serve' route's \
        messages, as 'herald serve' would.

        Examples:
          herald plan examples/weekly-report/job.yaml --format json
          herald plan job.yaml --event alert.json --route alertmanager
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var options: JobOptions
    @Option(help: "Output format: table or json.") var format: Format = .table

    func run() throws {
        let prepared = try options.prepare(output: DiagnosticOutput())
        switch format {
        case .table: StandardOutput.write(PlanTable.text(for: prepared))
        case .json: StandardOutput.write(PlanTable.json(for: prepared))
        }
    }
}
