// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "firedrill",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "firedrill", targets: ["firedrill"]),
        .library(name: "FiredrillEngine", targets: ["FiredrillEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // The scenario engine: levels, scenarios, runs, checks, the Docker runtime. No UI.
        .target(
            name: "FiredrillEngine",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // The command-line face of the engine.
        .executableTarget(
            name: "firedrill",
            dependencies: [
                "FiredrillEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Unit tests: pure logic, fakes allowed, no Docker.
        .testTarget(name: "FiredrillEngineTests", dependencies: ["FiredrillEngine"]),
        // End-to-end tests: the real binary against a real Docker engine.
        .testTarget(name: "EndToEndTests", dependencies: ["FiredrillEngine", "firedrill"]),
    ]
)
