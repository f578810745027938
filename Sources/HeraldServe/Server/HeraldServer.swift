import Foundation
import HeraldCore
import HeraldSend
import HeraldTemplate
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `herald serve`, assembled: the job, the store, the HTTP server (Hummingbird) and the
/// delivery loop in one ServiceGroup. SIGTERM/SIGINT drain it (503 to new events, in-flight
/// requests finish) and exit 0; SIGHUP reloads the job file, keeping the old job if the new
/// one has errors. Returns the exit code.
package enum HeraldServer {
    package struct StartError: Error, CustomStringConvertible {
        package var description: String
    }

    package static func run(options: ServeOptions, store makeStore: @Sendable () async throws(StoreError) -> any RequestStore,
                            transport given: (any RelayTransport)? = nil,
                            onListening: @escaping @Sendable (String, Int) -> Void = { _, _ in }) async -> Int32 {
        let served: ServedJob
        do {
            served = try await ServedJob.load(options)
        } catch {
            for d in error.diagnostics { writeStandardError(d.description + "\n") }
            return 2
        }
        let slot = JobSlot(served)
        let log = ServeLog(format: options.logFormat, secrets: { slot.job.secrets })
        let listen = options.listen ?? served.settings.listen
        if !listen.isLoopback && served.settings.auth == nil {
            writeStandardError("\(served.job.path): error: serve listens on \(listen.host):\(listen.port), which is not loopback, without 'serve.auth'; add auth (bearer or basic) or listen on 127.0.0.1 (docs/serving.md)\n")
            return 2
        }
        let store: any RequestStore
        do {
            store = try await makeStore()
            try await store.migrate()
            let requeued = try await store.requeueInFlight()
            if requeued > 0 { log.warning("server", "\(requeued) request(s) were in flight when the last server stopped; they are sent again (at-least-once)") }
        } catch {
            writeStandardError("herald: error: \(served.secrets.scrub(error.description))\n")
            return 2
        }
        let transport = given ?? HTTPTransport(urls: served.relayURLs, timeout: options.send.timeout,
                                               connections: options.send.concurrency, proxy: options.send.proxy, tls: options.send.tls)
        let metrics = ServeMetrics()
        let state = ServerState()
        let doorbell = Doorbell()
        let intake = EventIntake(slot: slot, store: store, options: options, metrics: metrics, log: log, doorbell: doorbell, state: state)
        let delivery = DeliveryService(store: store, slot: slot, transport: transport, options: options, metrics: metrics,
                                       log: log, state: state, doorbell: doorbell)
        // Another process's accepts (a shared PostgreSQL store) wake the loop too; SQLite: no-op.
        await store.watchForWork { doorbell.ring() }
        let routes = served.settings.routes.map(\.name).joined(separator: ", ")
        let app = Application(
            responder: ServeResponder(intake: intake),
            server: .http1(configuration: .init(idleTimeout: .milliseconds(Int64(options.idleTimeout * 1000)))),
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? listen.port
                log.info("server", "listening on http://\(listen.host.contains(":") ? "[\(listen.host)]" : listen.host):\(port) (routes: \(routes))")
                onListening(listen.host, port)
            },
            logger: log.logger
        )
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: app),
                .init(service: delivery, successTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [], cancellationSignals: [], logger: log.logger))
        let stops = Locked(0)
        let trap = SignalTrap(signals: [SIGTERM, SIGINT, SIGHUP]) { sig in
            if sig == SIGHUP {
                Task { await reload(slot: slot, options: options, log: log) }
                return
            }
            let n = stops.withLock { $0 += 1; return $0 }
            if n > 1 { exit(1) }
            log.info("server", "stopping: new events get 503; requests in flight finish (at most \(Int(options.drainTimeout)) s); what is queued stays queued")
            state.startDraining()
            Task { await group.triggerGracefulShutdown() }
        }
        var code: Int32 = 0
        do {
            try await group.run()
        } catch {
            log.error("server", "\(error)")
            code = 1
        }
        trap.cancel()
        if given == nil { await transport.shutdown() }
        await store.close()
        log.info("server", "stopped")
        return code
    }

    /// SIGHUP: the job file again; a job with errors is logged and the old one kept.
    static func reload(slot: JobSlot, options: ServeOptions, log: ServeLog) async {
        do {
            let job = try await ServedJob.load(options)
            slot.replace(with: job)
            log.info("server", "reloaded \(options.jobPath) (routes: \(job.settings.routes.map(\.name).joined(separator: ", ")))")
        } catch {
            let shown = error.errors.prefix(20).map { slot.job.secrets.scrub($0.description) }.joined(separator: "\n  ")
            log.error("server", "the job file has errors; still serving the job loaded before:\n  \(shown)")
        }
    }
}
