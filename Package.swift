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
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"4.0.0"),
    ],
    targets: [
        // The scenario engine: levels, scenarios, runs, checks, the Docker runtime. No UI.
        // Crypto (SHA-256) seals the run's expected answers.
        .target(
            name: "FiredrillEngine",
            dependencies: [.product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        // C interop for the console: ncursesw (wide characters), libvterm, and a small shim for
        // what Swift cannot do itself (forkpty, signal handlers, libvterm callbacks).
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CVterm", pkgConfig: "vterm", providers: [.apt(["libvterm-dev"])]),
        .target(name: "CConsoleSupport", dependencies: ["CVterm"], cSettings: [.define("_GNU_SOURCE")]),
        // The game's rules, pure: scoring, grading, certification, assignment, the report's and
        // the postmortem's fields, blameless lint, the timeline, Markdown export.
        .target(name: "FiredrillRules", dependencies: ["FiredrillEngine"]),
        // The game's database as a protocol: players, runs, events, reports, postmortems, scores.
        .target(name: "FiredrillStore", dependencies: ["FiredrillEngine", "FiredrillRules"]),
        // The embedded implementation of the store: SQLite through GRDB, with its migrations.
        // The only target that knows GRDB.
        .target(
            name: "FiredrillSQLite",
            dependencies: ["FiredrillStore", "FiredrillEngine", "FiredrillRules", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The store on a PostgreSQL server, for a class: libpq, PostgreSQL's own C client
        // (Debian libpq-dev), whose socket a poll loop can watch for LISTEN/NOTIFY. No GRDB.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "FiredrillPostgres", dependencies: ["FiredrillStore", "FiredrillEngine", "FiredrillRules", "CLibPQ"]),
        // The game around the engine: players, assignment, reports, postmortems, scores,
        // certification, kept in the store.
        .target(name: "FiredrillGame", dependencies: ["FiredrillEngine", "FiredrillRules", "FiredrillStore"]),
        // The full-screen console: state, layout and panes drawn into a cell grid; one Screen
        // type owns ncurses and copies the grid to the terminal.
        .target(
            name: "FiredrillConsole",
            dependencies: [
                "FiredrillEngine", "FiredrillRules", "FiredrillStore", "FiredrillGame", "CNcursesw", "CVterm", "CConsoleSupport",
            ]
        ),
        // What the command line prints (briefing, tables, certificate), as text from data.
        .target(name: "FiredrillCLI", dependencies: ["FiredrillEngine", "FiredrillRules", "FiredrillGame"]),
        // The command-line face of the engine.
        .executableTarget(
            name: "firedrill",
            dependencies: [
                "FiredrillEngine",
                "FiredrillRules",
                "FiredrillConsole",
                "FiredrillStore",
                "FiredrillSQLite",
                "FiredrillPostgres",
                "FiredrillGame",
                "FiredrillCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What the tests share: fakes of the runtime, HTTP and journal, a manual clock, scratch
        // folders, the repository root, text snapshots. Only test targets depend on it.
        .target(name: "FiredrillTestSupport", dependencies: ["FiredrillEngine"], path: "Tests/FiredrillTestSupport"),
        // Unit tests: pure logic, fakes allowed, no Docker.
        // Also the game around the engine (FiredrillGame) on a real SQLite file and a fake runtime.
        .testTarget(
            name: "FiredrillEngineTests",
            dependencies: ["FiredrillEngine", "FiredrillRules", "FiredrillGame", "FiredrillStore", "FiredrillSQLite", "FiredrillPostgres", "FiredrillTestSupport",
                           .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"]
        ),
        // The game's rules on fixed events and answers; exports compared with golden files.
        .testTarget(name: "FiredrillRulesTests", dependencies: ["FiredrillRules", "FiredrillEngine", "FiredrillTestSupport"], exclude: ["Golden"]),
        // Store tests on real SQLite files; a writer process is killed mid-write with SIGKILL.
        .executableTarget(name: "StoreWriter", dependencies: ["FiredrillSQLite", "FiredrillStore", "FiredrillEngine"], path: "Tests/StoreWriter"),
        .testTarget(
            name: "FiredrillStoreTests",
            dependencies: ["FiredrillSQLite", "FiredrillPostgres", "FiredrillStore", "FiredrillEngine", "FiredrillRules", "StoreWriter", "FiredrillTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Console unit tests: panes and screens as text snapshots, parsers on captured samples.
        .testTarget(
            name: "FiredrillConsoleTests",
            dependencies: ["FiredrillConsole", "FiredrillStore", "FiredrillSQLite", "FiredrillEngine", "FiredrillRules", "FiredrillTestSupport"],
            exclude: ["Snapshots", "Fixtures"]
        ),
        // The command line's text as snapshots, from fixed data.
        .testTarget(
            name: "FiredrillCLITests",
            dependencies: ["FiredrillCLI", "FiredrillEngine", "FiredrillRules", "FiredrillGame", "FiredrillTestSupport"],
            exclude: ["Snapshots"]
        ),
        // End-to-end tests: the real binary against a real Docker engine.
        .testTarget(name: "EndToEndTests", dependencies: ["FiredrillEngine", "FiredrillStore", "FiredrillSQLite", "FiredrillPostgres", "FiredrillRules", "FiredrillTestSupport", "firedrill"]),
    ]
)
