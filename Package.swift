// swift-tools-version:6.0
import Foundation
import PackageDescription

let package = Package(
    name: "Herald",
    // Linux is where Herald is built and tested; macOS 15 is the first with Synchronization's Mutex.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "herald", targets: ["herald"]),
        .executable(name: "herald-serve", targets: ["herald-serve"]),
        .library(name: "HeraldTemplate", targets: ["HeraldTemplate"]),
        .library(name: "HeraldCore", targets: ["HeraldCore"]),
        .library(name: "HeraldSend", targets: ["HeraldSend"]),
        .library(name: "HeraldServe", targets: ["HeraldServe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.60.0"),
        // Already in the graph through async-http-client: TLS roots and certificates for the relay.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.27.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        // `herald serve` (HeraldServe): the HTTP server, its lifecycle, logs, metrics and the SQLite store.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        // The shared store (`--store postgres://…`): PostgresClient, its connection pool.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // The template engine: no package dependencies.
        .target(name: "HeraldTemplate"),
        .target(
            name: "HeraldCore",
            dependencies: [
                "HeraldTemplate",
                .product(name: "Yams", package: "Yams"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "HeraldSend",
            dependencies: [
                "HeraldTemplate",
                "HeraldCore",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // `herald serve`: the event server, its delivery loop and the request store. Nothing in
        // HeraldCore or HeraldSend depends on it.
        .target(
            name: "HeraldServe",
            dependencies: [
                "HeraldCore",
                "HeraldSend",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // Loopback relay, proxy and TLS server, and the in-memory transport, for tests and benchmarks.
        .target(
            name: "HeraldTestSupport",
            dependencies: [
                "HeraldTemplate",
                "HeraldCore",
                "HeraldSend",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "herald",
            dependencies: [
                "HeraldCore",
                "HeraldSend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `herald serve` and `herald queue` (herald hands them over): only this binary links the
        // HTTP server and the database, so the batch commands keep their start-up.
        .executableTarget(
            name: "herald-serve",
            dependencies: [
                "HeraldCore",
                "HeraldSend",
                "HeraldServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // docs/embedding.md's example program, verbatim (EmbeddingExampleTests runs it).
        .executableTarget(name: "EmbeddingExample", dependencies: ["HeraldCore"], path: "examples/embedding"),
        .executableTarget(name: "EngineBench", dependencies: ["HeraldTemplate"], path: "bench/EngineBench"),
        .executableTarget(name: "SplitBench", dependencies: ["HeraldCore"], path: "bench/SplitBench"),
        .executableTarget(name: "StoreBench", dependencies: ["HeraldServe"], path: "bench/StoreBench"),
        .executableTarget(name: "herald-relay", dependencies: ["HeraldTestSupport"], path: "bench/RelayServer"),
        .testTarget(name: "HeraldTemplateTests", dependencies: ["HeraldTemplate"]),
        .testTarget(name: "HeraldCoreTests", dependencies: [
            "HeraldCore", "HeraldTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "HeraldSendTests", dependencies: ["HeraldSend", "HeraldTestSupport"]),
        .testTarget(name: "HeraldServeTests", dependencies: [
            "HeraldServe", "HeraldTestSupport", .product(name: "SQLiteNIO", package: "sqlite-nio"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        // The crash test's child: accepts events into a store in a loop until it is killed.
        .executableTarget(name: "herald-store-crash", dependencies: ["HeraldServe"], path: "Tests/StoreCrashChild"),
        .testTarget(name: "HeraldCLITests", dependencies: ["HeraldCore", "HeraldTestSupport"]),
    ]
)

// `make fuzz` only (HERALD_FUZZ=1): libFuzzer targets, built with -sanitize=fuzzer. Each keeps
// its own main and hands over to LLVMFuzzerRunDriver, which only that runtime provides.
if ProcessInfo.processInfo.environment["HERALD_FUZZ"] != nil {
    package.targets += [
        .target(name: "FuzzDriver", path: "Fuzz/Driver"),
        .executableTarget(name: "FuzzTemplate", dependencies: ["FuzzDriver", "HeraldTemplate"], path: "Fuzz/Template"),
        .executableTarget(name: "FuzzJobFile", dependencies: ["FuzzDriver", "HeraldCore"], path: "Fuzz/JobFile"),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzDriver", "HeraldCore", "HeraldTemplate"], path: "Fuzz/CSV"),
        .executableTarget(name: "FuzzSplit", dependencies: ["FuzzDriver", "HeraldCore"], path: "Fuzz/Split"),
    ]
}
