// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Herald",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "herald", targets: ["herald"]),
        .library(name: "HeraldTemplate", targets: ["HeraldTemplate"]),
        .library(name: "HeraldCore", targets: ["HeraldCore"]),
        .library(name: "HeraldSend", targets: ["HeraldSend"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.60.0"),
    ],
    targets: [
        // The template engine: no package dependencies.
        .target(name: "HeraldTemplate"),
        .target(
            name: "HeraldCore",
            dependencies: [
                "HeraldTemplate",
                .product(name: "Yams", package: "Yams"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "HeraldSend",
            dependencies: [
                "HeraldCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "HeraldTestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
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
        .executableTarget(name: "EngineBench", dependencies: ["HeraldTemplate"], path: "bench/EngineBench"),
        .executableTarget(name: "herald-relay", dependencies: ["HeraldTestSupport"], path: "bench/RelayServer"),
        .testTarget(name: "HeraldTemplateTests", dependencies: ["HeraldTemplate"]),
        .testTarget(name: "HeraldCoreTests", dependencies: ["HeraldCore"]),
        .testTarget(name: "HeraldSendTests", dependencies: ["HeraldSend", "HeraldTestSupport"]),
        .testTarget(name: "HeraldCLITests", dependencies: ["HeraldCore", "HeraldTestSupport"]),
    ]
)
