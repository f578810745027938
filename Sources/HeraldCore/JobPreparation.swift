import Foundation
import HeraldTemplate

/// How a run shapes the plan: the CLI's flags, as a library user passes them.
public struct PlanningOptions: Sendable {
    /// `--now`; nil means the current time.
    public var now: Date?
    /// `--timezone`; the zone of `{{now}}`, `{{today}}` and the `date` filter.
    public var timeZone: TimeZone
    /// `--var` and `--vars-file`, merged in order: the innermost scope.
    public var overrides: OrderedMap
    /// `--only`: recipients or groups to keep; empty keeps all.
    public var only: [String]
    /// `--endpoint`: replaces the job's endpoint.
    public var endpoint: String?
    /// The environment for `${NAME}` and `KDOCS_ACCESS_TOKEN` (the caller passes it: the
    /// library reads no environment of its own).
    public var environment: [String: String]
    /// How many threads render and fit (1 is the sequential definition); nil: every core.
    /// The plan is the same whatever the count.
    public var threads: Int?
    /// Keep every rendered message in `PreparedJob.messages` (render, preview, pretty output).
    /// Sending and the exact dry run need only the plan; without the messages a large job
    /// takes half the memory.
    public var keepsMessages: Bool
    /// A real send: an unset `${NAME}` in `access_token`, an `sk` or a link is an error. Off,
    /// the raw `${NAME}` stands in (with a warning for `sk` and links, which show in the output).
    public var requiresSecrets: Bool
    /// A real `herald serve`: an unset `${NAME}` in `serve.auth` is an error (a dry run, `check`
    /// and a batch send load the job without the server's secrets).
    public var requiresServeSecrets: Bool
    /// The job's own warnings (a WeCom markdown table, say) were reported at load: `herald serve`
    /// plans each event without looking for them again.
    package var reportsJobWarnings = true

    public init(now: Date? = nil, timeZone: TimeZone = .current, overrides: OrderedMap = OrderedMap(), only: [String] = [],
                endpoint: String? = nil, environment: [String: String] = [:], threads: Int? = nil, keepsMessages: Bool = true,
                requiresSecrets: Bool = false, requiresServeSecrets: Bool = false) {
        self.now = now
        self.timeZone = timeZone
        self.overrides = overrides
        self.only = only
        self.endpoint = endpoint
        self.environment = environment
        self.threads = threads
        self.keepsMessages = keepsMessages
        self.requiresSecrets = requiresSecrets
        self.requiresServeSecrets = requiresServeSecrets
    }

    /// How the stages run for `threads`.
    var executor: PipelineExecutor { threads.map { PipelineExecutor(threads: $0) } ?? .allCores }
}

/// A job carried through the whole pipeline: YAML → job → envelopes → drafts → messages → plan.
public struct PreparedJob: Sendable {
    public var job: Job
    /// Empty unless `PlanningOptions.keepsMessages`.
    public var messages: [RenderedMessage]
    public var plan: Plan
    /// Warnings found on the way (errors make preparation fail instead).
    public var warnings: [Diagnostic]
    /// The job's `access_token`, else `KDOCS_ACCESS_TOKEN` from the environment.
    public var accessToken: String?
}

/// The synchronous pipeline behind `Herald` (the CLI calls it too, for `-` and `--vars-file`).
package enum JobPreparation {
    /// Reads the job file at `path` (`-` for standard input) and prepares it.
    package static func prepare(path: String, options: PlanningOptions) -> Result<PreparedJob, HeraldError> {
        switch readSource(path: path) {
        case .failure(let d): return .failure(HeraldError([d]))
        case .success(let source): return prepare(source: source, options: options)
        }
    }

    package static func readSource(path: String) -> Result<SourceText, Diagnostic> {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if path == "-" {
            switch FileContents.readStandardInput(limit: FileContents.maxTextBytes) {
            case .success(let bytes): return SourceText.decode(bytes, path: "<stdin>", directory: cwd)
            case .failure(let f): return .failure(.error(at: SourcePosition(path: "<stdin>", line: 1, column: 1), "job file on standard input \(f.reason)"))
            }
        }
        return SourceText.read(path, relativeTo: cwd, displayBase: "", at: SourcePosition(path: path, line: 1, column: 1),
                               what: "job file", allowsStreams: true)
    }

    package static func prepare(source: SourceText, options: PlanningOptions) -> Result<PreparedJob, HeraldError> {
        var log = DiagnosticLog()
        switch load(source: source, options: options, log: &log) {
        case .failure(let error): return .failure(error)
        case .success(let job): return prepare(job: job, log: log, options: options)
        }
    }

    /// Reads and checks the job file at `path`; the warnings found are the job's `warnings`.
    package static func load(path: String, options: PlanningOptions) -> Result<Job, HeraldError> {
        switch readSource(path: path) {
        case .failure(let d): return .failure(HeraldError([d]))
        case .success(let source):
            var log = DiagnosticLog()
            // The loader leaves broken parts out and goes on (so `check` reports everything):
            // a job with any error is a failure here, never a job with its errors as warnings.
            return load(source: source, options: options, log: &log).flatMap { job in
                if log.hasErrors { return .failure(HeraldError(log.sorted(primaryPath: source.path))) }
                var job = job
                job.warnings = log.sorted(primaryPath: source.path)
                return .success(job)
            }
        }
    }

    /// The job in `source` with `options.endpoint` applied; `log` gains its warnings.
    private static func load(source: SourceText, options: PlanningOptions, log: inout DiagnosticLog) -> Result<Job, HeraldError> {
        let loader = JobLoader(environment: options.environment, requiresSecrets: options.requiresSecrets,
                               requiresServeSecrets: options.requiresServeSecrets)
        guard var job = loader.load(source, log: &log) else { return .failure(HeraldError(log.sorted(primaryPath: source.path))) }
        if let endpoint = options.endpoint {
            if let problem = loader.endpointProblem(endpoint, what: "--endpoint") {
                return .failure(HeraldError([.error(at: SourcePosition(path: "<command line>", line: 1, column: 1), problem)]))
            }
            job.endpoint = endpoint
        }
        return .success(job)
    }

    /// Prepares a job already loaded, or made in code (`OneMessageJob`, for `herald notify`);
    /// `log` holds what making it found. `options.endpoint` is the loaded job's override, applied
    /// above: a job made in code carries its endpoint.
    package static func prepare(job: Job, log: DiagnosticLog, options: PlanningOptions) -> Result<PreparedJob, HeraldError> {
        var log = log
        if job.recipients.values.contains(where: { $0.platform == .dingtalk }), job.relayEndpoint(for: .dingtalk) == nil {
            let first = job.recipientOrder.compactMap { job.recipients[$0] }.first { $0.platform == .dingtalk }
            log.error(first?.position ?? SourcePosition(path: job.path, line: 1, column: 1),
                      "DingTalk recipient '\(first?.name ?? "")' needs 'dingtalk_endpoint': the endpoint '\(LinkMask.mask(job.endpoint))' does not end in /wecom, so the DingTalk relay cannot be derived from it")
        }
        log.append(contentsOf: job.unknownNames())
        if options.reportsJobWarnings { WeComTableCheck.warnings(for: job, log: &log) }
        var only: Set<String>?
        switch onlySet(options.only, job: job) {
        case .failure(let d): log.append(d)
        case .success(let set): only = set
        }

        let run = RunContext(now: options.now ?? Date(), timeZone: options.timeZone, overrides: options.overrides)
        var messages: [RenderedMessage] = []
        // Planning takes each message as it comes: a large job never holds its messages and
        // its request bodies at once.
        var builder = PlanBuilder(maxBatch: job.maxBatch)
        let pipeline = Pipeline(job: job, run: run, only: only, keepsMessages: options.keepsMessages)
        // The planner's lane of each recipient of the run, asked once (-1: not yet).
        var lanes = [Int](repeating: -1, count: pipeline.compiled.recipients.count)
        options.executor.run(pipeline, log: &log) { message in
            let r = message.tag.recipient
            if lanes[r] < 0 {
                let recipient = pipeline.compiled.recipients[r]
                lanes[r] = builder.lane(link: recipient.link, sk: recipient.sk, platform: recipient.platform)
            }
            builder.add(json: message.json, lane: lanes[r], messageIndex: message.tag.messageIndex, part: message.tag.part)
            if let kept = message.kept { messages.append(kept) }
        }
        let diagnostics = log.sorted(primaryPath: job.path)
        if log.hasErrors {
            var all = diagnostics
            if log.suppressed > 0 {
                all.append(.error(at: SourcePosition(path: job.path, line: 1, column: 1),
                                  "\(log.suppressed) more errors not shown"))
            }
            return .failure(HeraldError(all))
        }
        let plan = Plan(jobName: job.name, endpoint: job.endpoint, dingtalkEndpoint: job.relayEndpoint(for: .dingtalk), now: run.now, rateLimit: job.rateLimit,
                        requests: builder.finish())
        let token = job.accessToken ?? options.environment["KDOCS_ACCESS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return .success(PreparedJob(job: job, messages: messages, plan: plan, warnings: diagnostics, accessToken: token))
    }

    private static func onlySet(_ names: [String], job: Job) -> Result<Set<String>?, Diagnostic> {
        guard !names.isEmpty else { return .success(nil) }
        var set = Set<String>()
        for name in names {
            guard job.recipients[name] != nil || job.groups[name] != nil else {
                let message = "--only '\(name)' is not a recipient or group of this job"
                    + NameSuggestion.hint(for: name, among: job.recipientOrder + Array(job.groups.keys))
                return .failure(.error(at: SourcePosition(path: "<command line>", line: 1, column: 1), message))
            }
            set.formUnion(job.recipientNames(reachedFrom: name))
        }
        return .success(set)
    }

    /// `--vars-file F` (relative to the working folder).
    package static func loadVarsFile(_ path: String, environment: [String: String]) -> Result<OrderedMap, HeraldError> {
        var log = DiagnosticLog()
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let base = SourceText(path: "", directory: cwd, text: "")
        let vars = JobLoader(environment: environment).loadVarsFile(path, relativeTo: base,
                                                                    at: SourcePosition(path: path, line: 1, column: 1), log: &log)
        if let vars, !log.hasErrors { return .success(vars) }
        return .failure(HeraldError(log.sorted(primaryPath: path)))
    }

    /// A JSON text as a value, read as a `.json` data file is (key order, JSON numbers).
    package static func jsonValue(_ json: String, path: String) -> Result<Value, HeraldError> {
        var log = DiagnosticLog()
        let source = SourceText(path: path, directory: URL(fileURLWithPath: "/"), text: json)
        if let value = DataFile.value(ofJSON: source, what: "JSON", log: &log), !log.hasErrors { return .success(value) }
        return .failure(HeraldError(log.sorted(primaryPath: path)))
    }
}
