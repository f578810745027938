import ArgumentParser
import Foundation
import HeraldCore

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a job's messages — or, with --dry-run, print the exact request bodies.",
        discussion: """
        The access token comes from the job's 'access_token' or the KDOCS_ACCESS_TOKEN \
        environment variable, never from the command line. A dry run needs no secret: an \
        unset ${NAME} in access_token, an sk or a link is shown as it is (with a warning for \
        an sk or link); a real send refuses it, naming the variable, before sending anything.

        Per robot link, requests go strictly in order and are paced by the job's rate_limit \
        (each request counts from its answer); links are sent to concurrently, with at most \
        --concurrency requests in flight (a link waiting for its window holds none). Transport \
        errors before the request went out (refused, unreachable, a connect timeout), HTTP 429 and 5xx \
        are retried with backoff (honouring Retry-After); \
        an untrusted certificate, a redirect (3xx, never followed) and a request whose answer \
        was lost after it was sent (uncertain: it may have been delivered) are not. With \
        --journal, every run of that journal is one run: it renders with the first run's time, \
        sends only what was not delivered, and sends nothing twice (uncertain requests only with \
        --resend-uncertain). SIGINT, SIGTERM and SIGHUP stop new requests; those in flight \
        finish and are journalled (exit 130). Progress goes to stderr on a terminal; a summary line always; --report says \
        how long each request waited and why (pacing, shared budget, Retry-After, 45009, …).

        Several herald runs on one machine share each robot's budget through a small state file \
        per robot (a hash of its link and recent send times) in --state-dir, by default \
        $XDG_STATE_HOME/herald or ~/.local/state/herald.

        Proxies: https_proxy/HTTPS_PROXY, http_proxy (lowercase only), all_proxy/ALL_PROXY and \
        no_proxy/NO_PROXY are read as curl reads them; --proxy wins over them, and --proxy '' \
        turns them off. HTTP CONNECT proxies, with basic auth from the URL (never printed). \
        TLS trusts the system's roots plus SSL_CERT_FILE and --cacert (PEM), for a company CA \
        or a proxy that inspects TLS.

        With --event FILE (and --route NAME when the job has several 'serve' routes), a dry run \
        prints exactly the bodies 'herald serve' would store for that JSON payload: the route's \
        messages with the payload bound as {{event}}. A job with only 'serve' routes (no \
        top-level 'messages') needs --event.

        Examples:
          herald send --dry-run examples/weekly-report/job.yaml
          herald send --dry-run --format curl examples/news/job.yaml
          herald send --dry-run job.yaml --event alert.json --route alertmanager --now 2026-12-04T08:01:00Z
        With KDOCS_ACCESS_TOKEN set:
          herald send job.yaml --journal job.journal --report report.json
          HTTPS_PROXY=http://alice:secret@proxy.corp:3128 herald send job.yaml
          herald send job.yaml --proxy http://proxy.corp:3128 --proxy-credentials-file ~/.config/herald/proxy
          NO_PROXY=.corp.example herald send job.yaml --cacert /etc/ssl/corp-root.pem
          herald send job.yaml --state-dir /var/lib/herald --concurrency 16
        """
    )

    @OptionGroup var options: JobOptions

    @OptionGroup var dryRun: DryRunOptions
    @OptionGroup var sending: SendingOptions

    func validate() throws {
        if options.event != nil, !dryRun.dryRun {
            throw ValidationError("--event goes with --dry-run (the bodies 'herald serve' would store for that event); to deliver events, run 'herald serve JOB' and POST them to /events/ROUTE")
        }
        try sending.validate(dryRun: dryRun.dryRun)
    }

    func run() async throws {
        let output = DiagnosticOutput()
        if dryRun.dryRun {
            dryRun.write(try await options.prepareAsync(output: output, keepsMessages: dryRun.needsMessages))
            return
        }
        let zone = options.timezone.flatMap(TimeZone.init(identifier:)) ?? .current
        try await sending.send(output: output, SendingOptions.Planning(job: options.job, now: options.now, timeZone: zone) { recordedNow, failed in
            try await options.prepareAsync(output: output, resumeNow: recordedNow, keepsMessages: false, sending: true, failed: failed)
        })
    }
}
