// swift-tools-version:6.2
import PackageDescription

/// Settings shared by every target of the project (never applied to dependencies).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "tapisd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tapisd", targets: ["tapisd"]),
        .executable(name: "tapis", targets: ["tapis"]),
        .executable(name: "tapisd-bench", targets: ["tapisd-bench"]),
        .executable(name: "tapisd-load", targets: ["tapisd-load"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
    ],
    targets: [
        .target(
            name: "TapisCore",
            dependencies: [],
            swiftSettings: strict
        ),
        .target(
            name: "TapisStore",
            dependencies: ["TapisCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "CoreMetrics", package: "swift-metrics")],
            swiftSettings: strict
        ),
        .target(
            name: "TapisTransport",
            dependencies: ["TapisCore", "CTapisSystem", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: strict
        ),
        .systemLibrary(name: "CLibSSH2", pkgConfig: "libssh2", providers: [.apt(["libssh2-1-dev"])]),
        .target(
            name: "TapisSSH",
            dependencies: ["TapisCore", "TapisTransport", "CLibSSH2", "CTapisSystem", .product(name: "Logging", package: "swift-log"), .product(name: "CoreMetrics", package: "swift-metrics")],
            swiftSettings: strict
        ),
        .target(
            name: "TapisScheduling",
            dependencies: ["TapisCore", "TapisTransport"],
            swiftSettings: strict
        ),
        .target(
            name: "LocalProcess",
            dependencies: ["TapisCore", "TapisScheduling"],
            path: "Plugins/LocalProcess",
            swiftSettings: strict
        ),
        .target(
            name: "Systemd",
            dependencies: ["TapisCore", "TapisScheduling", "TapisTransport"],
            path: "Plugins/Systemd",
            swiftSettings: strict
        ),
        .target(
            name: "Container",
            dependencies: ["TapisCore", "TapisScheduling", "TapisTransport"],
            path: "Plugins/Container",
            swiftSettings: strict
        ),
        .target(
            name: "Slurm",
            dependencies: ["TapisCore", "TapisScheduling", "TapisTransport"],
            path: "Plugins/Slurm",
            swiftSettings: strict
        ),
        .target(
            name: "TapisEngine",
            dependencies: [
                "TapisCore", "TapisStore", "TapisTransport", "TapisScheduling",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TapisNotify",
            dependencies: [
                "TapisCore", "TapisStore", "TapisTransport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(name: "CTapisSystem", cSettings: [.define("_GNU_SOURCE")]),
        .target(name: "CTapisPAM", linkerSettings: [.linkedLibrary("pam")]),
        .target(
            name: "TapisAPI",
            dependencies: [
                "TapisCore", "TapisStore", "TapisEngine", "TapisTransport", "TapisScheduling", "TapisNotify", "CTapisPAM",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TapisWeb",
            dependencies: [
                "TapisCore", "TapisStore", "TapisEngine", "TapisTransport", "TapisAPI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TapisDaemon",
            dependencies: [
                "TapisCore", "TapisStore", "TapisTransport", "TapisSSH", "TapisScheduling", "TapisEngine", "TapisAPI", "TapisNotify", "TapisWeb",
                "LocalProcess", "Systemd", "Slurm", "Container", "CTapisSystem",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "CoreMetrics", package: "swift-metrics"), .product(name: "Metrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TapisClient",
            dependencies: [
                "TapisCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tapisd",
            dependencies: [
                "TapisDaemon",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tapis",
            dependencies: [
                "TapisCore", "TapisClient", "TapisScheduling", "TapisTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tapisd-bench",
            dependencies: [
                "TapisSSH",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tapisd-load",
            dependencies: [
                "TapisCore", "TapisStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TapisTestSupport",
            dependencies: ["TapisCore", "TapisClient"],
            path: "Tests/TapisTestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "TapisCoreTests", dependencies: ["TapisCore", "TapisTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "TapisAPITests",
            dependencies: [
                "TapisAPI", "TapisCore", "TapisDaemon", "TapisEngine", "TapisStore", "TapisScheduling", "TapisTransport", "TapisTestSupport", "TapisNotify",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TapisEngineTests",
            dependencies: [
                "TapisAPI", "TapisCore", "TapisDaemon", "TapisEngine", "TapisScheduling", "TapisStore", "TapisTestSupport", "TapisTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TapisWebTests",
            dependencies: [
                "TapisAPI", "TapisCore", "TapisDaemon", "TapisEngine", "TapisStore", "TapisTestSupport", "TapisTransport", "TapisWeb",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TapisNotifyTests",
            dependencies: [
                "TapisCore", "TapisNotify", "TapisStore", "TapisTestSupport", "TapisTransport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TapisStoreTests",
            dependencies: ["TapisCore", "TapisStore", "TapisTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LocalProcessTests",
            dependencies: ["TapisCore", "TapisTransport", "TapisScheduling", "LocalProcess", "Systemd", "Container", "TapisTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SlurmTests",
            dependencies: ["TapisCore", "TapisTransport", "TapisScheduling", "Slurm"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TapisSSHTests",
            dependencies: ["TapisCore", "TapisTransport", "TapisSSH", "TapisTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TapisIntegrationTests",
            dependencies: ["TapisCore", "TapisClient", "TapisScheduling", "TapisTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
