import ArgumentParser
import Foundation
import HeraldCore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented starter job, a template, a vars file, a data file and the job schema into a folder.",
        discussion: """
        The starter passes 'herald check' and runs with 'herald send --dry-run' as it is, \
        with no token or webhook set (it warns that WECOM_TEAM_WEBHOOK is unset); a real send \
        goes to the KDocs relay once KDOCS_ACCESS_TOKEN and WECOM_TEAM_WEBHOOK are set. \
        Existing files are never replaced unless --force is given.

        Example:
          herald init my-job && herald send --dry-run my-job/job.yaml
        """
    )

    @Argument(help: "The folder to write into (created if needed).") var directory: String = "."
    @Flag(help: "Replace existing files.") var force = false

    func run() throws {
        switch StarterProject.write(into: URL(fileURLWithPath: directory), force: force,
                                    extra: [("herald-job.schema.json", JobSchema.text + "\n")]) {
        case .success(let files):
            StandardOutput.write(files.map { "wrote \($0)\n" }.joined())
            let job = (directory as NSString).appendingPathComponent("job.yaml")
            StandardOutput.write("next: herald send --dry-run \(job)\n")
        case .failure(let diagnostic):
            DiagnosticOutput().print([diagnostic])
            throw ExitCode(2)
        }
    }
}
