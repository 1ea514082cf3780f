import ArgumentParser
import FiredrillEngine
import Foundation

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate level files and compose files.",
        discussion: "Each problem names the file, the line and the field. With no path, every level and scenario is checked."
    )

    @OptionGroup var options: EngineOptions
    @Argument(help: "Level folders, level.yaml files, compose files, or a folder of levels.") var paths: [String] = []

    func run() throws {
        let catalog = try options.bareEngine().catalog
        var problems: [Diagnostic] = []
        var checked = 0
        for url in try targets(catalog) {
            checked += 1
            if url.lastPathComponent == "level.yaml" {
                problems += FiredrillEngine.Lint.level(at: url.deletingLastPathComponent(), catalog: catalog)
            } else if url.pathExtension == "yaml" || url.pathExtension == "yml" {
                problems += FiredrillEngine.Lint.compose(at: url)
            } else {
                problems += FiredrillEngine.Lint.level(at: url, catalog: catalog)
            }
        }
        if problems.isEmpty {
            print("\(checked) file\(checked == 1 ? "" : "s") checked, no problems.")
        } else {
            for problem in problems { print(problem) }
            print("\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(checked) file\(checked == 1 ? "" : "s").")
            throw ExitCode.failure
        }
    }

    private func targets(_ catalog: Catalog) throws -> [URL] {
        let fm = FileManager.default
        if paths.isEmpty {
            var urls = catalog.levelIDs().map { catalog.levelDirectory($0).appendingPathComponent("level.yaml") }
            for name in (try? fm.contentsOfDirectory(atPath: catalog.scenariosDirectory.path)) ?? [] {
                if let scenario = try? catalog.scenario(name) { urls.append(scenario.composeFile) }
            }
            return urls
        }
        return try paths.flatMap { path -> [URL] in
            let url = URL(fileURLWithPath: path).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw fail(ValidationError("\(path): no such file or folder"))
            }
            guard isDirectory.boolValue else { return [url] }
            if fm.fileExists(atPath: url.appendingPathComponent("level.yaml").path) { return [url.appendingPathComponent("level.yaml")] }
            // A folder of levels.
            return ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
                .map { url.appendingPathComponent($0).appendingPathComponent("level.yaml") }
                .filter { fm.fileExists(atPath: $0.path) }
        }
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the images of the scenarios (cached: quick when nothing changed).")

    @OptionGroup var options: EngineOptions
    @Argument(help: "Scenarios to build (default: all).") var scenarios: [String] = []
    @Flag(help: "Rebuild from scratch, without Docker's layer cache.") var force = false

    func run() throws {
        let engine = try options.bareEngine()
        let names = scenarios.isEmpty
            ? ((try? FileManager.default.contentsOfDirectory(atPath: engine.catalog.scenariosDirectory.path)) ?? []).sorted()
            : scenarios
        do {
            try engine.runtime.ensureAvailable()
            for name in names {
                let scenario = try engine.catalog.scenario(name)
                let started = Date()
                try engine.buildImages(scenario: scenario, force: force) { print("  building \($0)") }
                print(String(format: "Scenario %@: images ready in %.1f s.", name, Date().timeIntervalSince(started)))
            }
        } catch {
            throw fail(error)
        }
    }
}

struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check that this machine can run firedrill, and say what to do when it cannot.")

    @OptionGroup var options: EngineOptions

    func run() throws {
        var problems = 0
        func report(_ ok: Bool, _ what: String, fix: String? = nil) {
            print("\(ok ? "ok  " : "FAIL") \(what)")
            if !ok {
                problems += 1
                if let fix { print("     → \(fix)") }
            }
        }
        let hasDocker = ProcessRunner.which("docker")
        report(hasDocker, "docker command", fix: "install Docker: 'make setup' on Debian (as root)")
        var daemon = false
        if hasDocker {
            let info = try? ProcessRunner.run(["docker", "info", "--format", "{{.ServerVersion}}"], timeout: 20)
            daemon = info?.succeeded ?? false
            report(daemon, daemon ? "Docker daemon answers (engine \(info?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))" : "Docker daemon answers",
                   fix: "start it: 'make docker' (or 'sudo systemctl start docker')")
        }
        let flavour = ComposeRuntime.detectFlavour()
        report(flavour != nil, "compose: \(flavour.map { $0.command.joined(separator: " ") } ?? "none")",
               fix: "install Debian's docker-compose ('make setup') or the compose plugin")
        report(ProcessRunner.which("curl"), "curl (the engine's HTTP checks)", fix: "apt-get install curl")
        if let engine = try? options.bareEngine() {
            print("ok   levels and scenarios in \(engine.catalog.root.path)")
            if daemon {
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: engine.catalog.scenariosDirectory.path)) ?? []).sorted() {
                    guard let scenario = try? engine.catalog.scenario(name) else { continue }
                    let missing = scenario.images.map(\.tag).filter { !engine.runtime.imageExists($0) }
                    report(missing.isEmpty, "images of scenario \(name)\(missing.isEmpty ? "" : " (missing: \(missing.joined(separator: ", ")))")",
                           fix: "build them: 'make images' or 'firedrill build \(name)'")
                }
            }
            let store = RunStore.defaultRoot()
            let writable = (try? FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)) != nil
                && FileManager.default.isWritableFile(atPath: store.path)
            report(writable, "data directory \(store.path)", fix: "make it writable, or set FIREDRILL_HOME")
            // Warm runs: on unless turned off, and only with memory to spare (not a failure).
            switch Result(catching: { try options.settings() }) {
            case let .success(settings) where !settings.warm:
                print("ok   next level booted ahead: off (settings.yaml or FIREDRILL_WARM)")
            case .success:
                let memory = HostMemory.available().map { "\($0 >> 20) MiB available" } ?? "available memory unknown"
                print("ok   next level booted ahead: on (\(memory); each warm run needs its scenario's limits plus 1 GiB free)")
            case let .failure(error):
                report(false, "settings", fix: "\(error)")
            }
        } else {
            report(false, "levels and scenarios", fix: "run from the firedrill checkout, or set FIREDRILL_ROOT")
        }
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        let colours = (try? ProcessRunner.run(["tput", "colors"], timeout: 5))?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        let tty = isatty(1) == 1
        report(!term.isEmpty && term != "dumb", "terminal: TERM=\(term.isEmpty ? "(unset)" : term), \(colours) colours, \(tty ? "a terminal" : "not a terminal")\(ProcessInfo.processInfo.environment["NO_COLOR"] != nil ? ", NO_COLOR set" : "")",
               fix: "run in a terminal with TERM set (xterm-256color, tmux-256color)")
        report(ProcessRunner.which("tmux"), "tmux (to play in pairs)", fix: "apt-get install tmux")
        if problems > 0 {
            print("\n\(problems) problem\(problems == 1 ? "" : "s").")
            throw ExitCode.failure
        }
        print("\nAll good.")
    }
}

struct Prove: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prove a level: symptom live, reference fix solves, wrong fixes do not, stop leaves nothing.",
        discussion: """
        The solutions folder holds fix.sh (the reference fix) and wrong-*.sh (plausible wrong fixes,
        each with a '# fails: OBJECTIVE, ...' header naming exactly the objectives it must fail).
        Each runs on the host with firedrill on PATH and FIREDRILL_RUN, FIREDRILL_WORKSPACE,
        FIREDRILL_URL_<PORT>, FIREDRILL_SEED and FIREDRILL_PARAM_<NAME> set, and acts as a trainee
        would (firedrill shell INSTANCE -- COMMAND). The reference fix runs on two seeds whose
        parameters differ, and a report copied from the first may score at most a third on the
        second. Default folder: Tests/Solutions/LEVEL in the checkout.
        """
    )

    @OptionGroup var options: EngineOptions
    @Argument(help: "The level to prove.") var level: String
    @Option(help: "The folder with fix.sh and wrong-*.sh.") var solutions: String?
    @Option(help: "The first seed (the second is the next whose parameters all differ).") var seed: UInt64 = 1
    @Flag(help: "Boot each run ahead, paused, and give it as 'play' gives a warm run.") var warm = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let engine = try options.bareEngine()
        let folder = solutions.map { URL(fileURLWithPath: $0) }
            ?? engine.catalog.root.appendingPathComponent("Tests/Solutions").appendingPathComponent(level)
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let path = executable.path.hasPrefix("/") ? executable : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(executable.path)
        let report = Prover(engine: engine, executable: path, warm: warm).prove(levelID: level, solutions: folder, seed: seed) { line in
            // Written unbuffered, so each proof shows as it ends even when the output is a pipe.
            if !json { FileHandle.standardOutput.write(Data("  \(line)\n".utf8)) }
        }
        if json { try printJSON(report) } else { print(report.passed ? "\(level): proven." : "\(level): NOT proven.") }
        if !report.passed { throw ExitCode.failure }
    }
}
