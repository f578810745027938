import Foundation

/// The files `herald init` writes: a commented job, a template and a vars file that
/// `herald check` accepts and `herald send --dry-run` runs as they are.
public enum StarterProject {
    public static let files: [(path: String, text: String)] = [
        ("job.yaml", job),
        ("templates/announcement.yaml", templateYAML),
        ("templates/announcement.md", templateMarkdown),
        ("vars/common.yaml", vars),
    ]

    /// Writes the files (and `extra` ones, like the schema) into `directory`; refuses to
    /// replace any file unless `force`.
    public static func write(into directory: URL, force: Bool, extra: [(path: String, text: String)] = []) -> Result<[String], Diagnostic> {
        let fm = FileManager.default
        let files = Self.files + extra
        if !force {
            for file in files where fm.fileExists(atPath: directory.appendingPathComponent(file.path).path) {
                return .failure(.error(at: SourcePosition(path: directory.appendingPathComponent(file.path).relativePath, line: 1, column: 1),
                                       "file exists; herald init does not replace files (use --force to overwrite)"))
            }
        }
        var written: [String] = []
        for file in files {
            let url = directory.appendingPathComponent(file.path)
            do {
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.text.utf8).write(to: url)
                written.append(url.relativePath)
            } catch {
                return .failure(.error(at: SourcePosition(path: url.relativePath, line: 1, column: 1), "cannot write: \(error.localizedDescription)"))
            }
        }
        return .success(written)
    }

    static let job = """
    # yaml-language-server: $schema=herald-job.schema.json
    # A Herald job. Try it without sending anything:
    #   herald check job.yaml
    #   herald send --dry-run job.yaml
    # Then set KDOCS_ACCESS_TOKEN and your robots' webhook URLs, and run: herald send job.yaml
    version: 1
    name: starter

    # Where the relay is. Left as a loopback address so that a real send of this starter
    # goes nowhere until you choose to; remove the line to use the KDocs relay.
    endpoint: ${HERALD_ENDPOINT:-http://127.0.0.1:8787/api/v1/openapi/notification/wecom}
    # The token is read from the environment; never write it here.
    access_token: ${KDOCS_ACCESS_TOKEN:-}

    max_batch: 20        # messages per request (1-20)
    rate_limit: 20       # messages per robot per minute (WeCom allows 20)
    template_dirs: [templates]

    vars:
      product: Starter
    vars_files: [vars/common.yaml]   # merged over `vars`

    recipients:
      team:
        # The robot's webhook URL, from the group chat's robot settings.
        link: ${WECOM_TEAM_WEBHOOK:-https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000000}
        vars: { audience: the team }
    groups:
      everyone: [team]

    messages:
      # A template from templates/announcement.yaml.
      - template: announcement
        to: everyone
        vars:
          changes: ["First message sent with Herald", "Templates are strict: typos are errors"]
      # An inline message; {{today}} and {{now}} are built in.
      - to: team
        text:
          content: "{{product}} check-in for {{today}}: all systems go."
    """

    static let templateYAML = """
    # An announcement in WeCom markdown. Variables: product, version, changes (a list),
    # audience; owner is optional.
    markdown:
      content_file: announcement.md
    """

    static let templateMarkdown = """
    ## {{product}} {{version}} is out
    Hello {{audience}}, here is what changed:
    {{#changes}}
    - {{.}}
    {{/changes}}
    > Questions? Ask <font color="info">{{owner | default: "the release team"}}</font>.
    """

    static let vars = """
    # Variables shared by this job's messages (YAML or JSON).
    version: "1.0"
    """
}
