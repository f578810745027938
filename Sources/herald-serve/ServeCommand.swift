import ArgumentParser
import Foundation
import HeraldCore
import HeraldSend
import HeraldServe

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Take events over HTTP (Alertmanager, Grafana, CI hooks), store them durably and deliver them.",
        discussion: """
        The job's 'serve:' key names the routes: each POST /events/ROUTE is planned like a job \
        whose messages are the route's, with the JSON body as the variable 'event', and its \
        requests are stored in one durable transaction before the answer 202. A delivery loop \
        sends them in order per robot link, within each robot's rate_limit, retrying a relay \
        outage for --give-up-after; a final failure is kept as 'failed' (see herald queue). \
        Nothing answered 202 is lost: after a crash, requests in flight are sent again.

        GET /healthz (the process runs), /readyz (job loaded, store answers), /metrics \
        (Prometheus; needs the auth when serve.auth is set). SIGTERM or SIGINT: new events \
        get 503, requests in flight finish (at most --drain-timeout), exit 0. SIGHUP: reload \
        the job file; one with errors is logged and the old one kept.

        Test a template against a saved payload first, without a server:
          herald send examples/alerts/job.yaml --dry-run --event examples/alerts/payloads/alertmanager-firing.json --route alertmanager
        Then:
          HERALD_SERVE_TOKEN=… KDOCS_ACCESS_TOKEN=… herald serve examples/alerts/job.yaml
        (docs/serving.md: setup, what 202 means, dedupe, sizing, failure modes.)
        """
    )

    @Argument(help: ArgumentHelp("The job file (YAML) with a 'serve:' key.", valueName: "JOB")) var job: String
    @Option(help: ArgumentHelp("Where to listen, replacing serve.listen (default 127.0.0.1:9095); port 0 picks a free one.", valueName: "HOST:PORT"))
    var listen: String?
    @Option(help: ArgumentHelp("The store: a SQLite file (default: $XDG_STATE_HOME/herald/herald.sqlite), or postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=…] shared by several servers.", valueName: "STORE"))
    var store: String?
    @Option(help: ArgumentHelp("Time zone for {{now}} and the date filter (IANA name); default: the system's.", valueName: "TZ"))
    var timezone: String?
    @Option(help: ArgumentHelp("Relay endpoint, replacing the job's 'endpoint'.", valueName: "URL")) var endpoint: String?
    @Option(help: "Requests in flight at once (one per robot link at most), 1 to 256.") var concurrency = 8
    @Option(help: ArgumentHelp("How long a request that keeps failing in a way that may pass (no connection, a timeout, 429, 5xx) is retried: 30s, 10m, 1h, 2d.", valueName: "DURATION"))
    var giveUpAfter = "1h"
    @Option(help: "The most one attempt may take, in seconds (up to 3600).") var timeout: Double = 30
    @Option(help: "At SIGTERM, how long requests in flight may take to finish, in seconds.") var drainTimeout: Double = 30
    @Option(help: "How long a client connection may stay idle before the server closes it, in seconds.") var idleTimeout: Double = 30
    @Option(help: "Log lines as text or json (one JSON object a line), on stderr.") var logFormat: String = "text"
    @Option(help: ArgumentHelp("HTTP CONNECT proxy, http://host:port; wins over HTTPS_PROXY and the like ('' for none).", valueName: "URL"))
    var proxy: String?
    @Option(help: ArgumentHelp("Also trust the CA certificates in this PEM file.", valueName: "FILE")) var cacert: String?

    func validate() throws {
        if !(1...256).contains(concurrency) { throw ValidationError("--concurrency must be from 1 to 256, got \(concurrency)") }
        if !(timeout > 0 && timeout <= 3600) { throw ValidationError("--timeout must be more than 0 and at most 3600 seconds, got \(timeout)") }
        if !(drainTimeout >= 0 && drainTimeout <= 3600) { throw ValidationError("--drain-timeout must be from 0 to 3600 seconds, got \(drainTimeout)") }
        if !(idleTimeout > 0 && idleTimeout <= 3600) { throw ValidationError("--idle-timeout must be more than 0 and at most 3600 seconds, got \(idleTimeout)") }
        if DurationText.seconds(giveUpAfter) == nil { throw ValidationError("--give-up-after takes a duration like 30s, 10m, 1h or 2d; got '\(giveUpAfter)'") }
        if LogFormat(rawValue: logFormat) == nil { throw ValidationError("--log-format is text or json, got '\(logFormat)'") }
        if let listen, ListenAddress.parse(listen) == nil { throw ValidationError("--listen takes HOST:PORT, like 127.0.0.1:9095 or [::1]:9095; got '\(listen)'") }
        if let timezone, TimeZone(identifier: timezone) == nil {
            throw ValidationError("--timezone '\(timezone)' is not a known time zone; use an IANA name like Asia/Shanghai or UTC")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let proxySettings: ProxySettings
        let tlsSettings: TLSSettings
        do {
            proxySettings = try ProxySettings.resolve(flag: proxy, environment: environment, credentialsFile: nil)
            tlsSettings = try TLSSettings.load(cacert: cacert, environment: environment)
        } catch let error as ProxySettings.InvalidProxy {
            writeStandardError("herald: error: \(error.description)\n")
            throw ExitCode(2)
        } catch let error as TLSSettings.InvalidFile {
            writeStandardError("herald: error: \(error.description)\n")
            throw ExitCode(2)
        }
        let location: StoreLocation
        do {
            location = try StoreLocation.parse(store, environment: environment)
        } catch {
            writeStandardError("herald: error: \(error.description)\n")
            throw ExitCode(2)
        }
        // Backoff for serve: up to 60 s apart, for as long as --give-up-after (SPEC §11).
        let send = SendOptions(accessToken: "", concurrency: concurrency, timeout: timeout, backoffBase: 1, backoffCap: 60,
                               proxy: proxySettings, tls: tlsSettings)
        var options = ServeOptions(jobPath: job, send: send)
        options.listen = listen.flatMap(ListenAddress.parse)
        options.giveUpAfter = DurationText.seconds(giveUpAfter) ?? 3600
        options.drainTimeout = drainTimeout
        options.idleTimeout = idleTimeout
        options.bodyTimeout = min(10, idleTimeout * 2)
        options.timeZone = timezone.flatMap(TimeZone.init(identifier:)) ?? .current
        options.endpoint = endpoint
        options.environment = environment
        options.logFormat = LogFormat(rawValue: logFormat) ?? .text
        let sendTimeout = timeout
        let code = await HeraldServer.run(options: options, store: { () throws(StoreError) in try await location.open(sendTimeout: sendTimeout) })
        if code != 0 { throw ExitCode(code) }
    }
}
