import Foundation

/// The files `herald init` writes: a commented job, a template, a vars file and a data file
/// that `herald check` accepts and `herald send --dry-run` runs as they are.
package enum StarterProject {
    package static let files: [(path: String, text: String)] = [
        ("job.yaml", job),
        ("templates/announcement.yaml", templateYAML),
        ("templates/announcement.md", templateMarkdown),
        ("vars/common.yaml", vars),
        ("data/services.csv", services),
    ]

    /// Writes the files (and `extra` ones, like the schema) into `directory`; refuses to
    /// replace any file unless `force`.
    package static func write(into directory: URL, force: Bool, extra: [(path: String, text: String)] = []) -> Result<[String], Diagnostic> {
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
    # A Herald job. First try it: these send nothing and need no token or webhook (an unset
    # ${WECOM_TEAM_WEBHOOK} is shown as it is, with a warning):
    #   herald check job.yaml
    #   herald send --dry-run job.yaml
    # Then, to send for real through the KDocs relay:
    #   export KDOCS_ACCESS_TOKEN=…   WECOM_TEAM_WEBHOOK=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…
    #   herald send job.yaml          # refuses, naming the variable, while one is unset
    version: 1
    name: starter

    # The KDocs relay (Herald's default); HERALD_ENDPOINT points a test run elsewhere.
    endpoint: ${HERALD_ENDPOINT:-https://developer.kdocs.cn/api/v1/openapi/notification/wecom}
    # The token is read from the environment; never write it here.
    access_token: ${KDOCS_ACCESS_TOKEN}

    max_batch: 20        # messages per request (1-20)
    rate_limit: 20       # messages per robot per minute (WeCom and DingTalk allow 20)
    template_dirs: [templates]
    # A text or markdown message over the robot's size limit (WeCom markdown: 4096 bytes) is
    # sent as parts ending (1/2), (2/2): that is `split`, the default. `truncate` sends part 1
    # only; `error` refuses. A message can set its own `overflow:`.
    overflow: split

    vars:
      product: Starter
    vars_files:
      - vars/common.yaml                              # a map, merged over `vars`
      - { name: services, file: data/services.csv }   # a data file as one variable: a list of rows

    # People to @-mention by name with `mention:`; their id on each platform (one is enough).
    people:
      alice: { wecom: alice, mobile: "13800000000" }

    recipients:
      team:
        # The robot's webhook URL, from the group chat's robot settings (a secret: its key=).
        link: ${WECOM_TEAM_WEBHOOK}
        vars: { audience: the team }
      # A DingTalk robot: uncomment, and add it to `everyone` below. Its access_token is a secret.
      # dingtalk:
      #   link: ${DINGTALK_WEBHOOK}  # https://oapi.dingtalk.com/robot/send?access_token=…
      #   sk: ${DINGTALK_SECRET:-}   # the robot's signing secret ("SEC…"); the relay signs
      #   platform: dingtalk         # an oapi.dingtalk.com link says so too, but not while unset
      #   vars: { audience: the DingTalk group }
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
        # mention: alice     # @-mentions people from `people:` (or @all)
        text:
          content: "{{product}} check-in for {{today}}: all systems go."
      # A digest of data/services.csv: the first 5 rows as a table (markdown_v2 draws tables).
      - to: team
        markdown_v2:
          content: |
            ## Services on {{today}}
            | service | status |
            | --- | --- |
            {{#services | first: 5}}
            | {{name}} | {{status}} |
            {{/services}}

            5 of {{services | count}} shown.
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

    static let services = """
    name,status
    api,up
    web,up
    search,degraded
    billing,up
    queue,up
    mail,down
    reports,up

    """
}
