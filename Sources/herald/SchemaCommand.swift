import ArgumentParser

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of job files, for editors and validators.",
        discussion: """
        The same file is schema/herald-job.schema.json in the repository. Point an editor's \
        YAML language server at it with a first line like:
          # yaml-language-server: $schema=../../schema/herald-job.schema.json

        Example:
          herald schema > herald-job.schema.json
        """
    )

    func run() throws {
        StandardOutput.write(JobSchema.text + "\n")
    }
}
