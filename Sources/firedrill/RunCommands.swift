import ArgumentParser
import FiredrillCLI
import FiredrillEngine
import FiredrillGame
import FiredrillStore
import FiredrillSQLite
import Foundation

struct Levels: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the levels: id, title, category, difficulty.")

    @OptionGroup var options: EngineOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let engine = try options.bareEngine()
        let (levels, problems) = engine.catalog.levels()
        let rows = levels.map(LevelRow.init)
        if json {
            try printJSON(rows)
        } else {
            print(LevelRow.table(rows))
        }
        if !problems.isEmpty {
            FileHandle.standardError.write(Data("firedrill: some levels do not load (see 'firedrill lint'):\n\(Diagnostics(problems))\n".utf8))
            throw ExitCode.failure
        }
    }
}

struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Boot a level and print its briefing.")

    @OptionGroup var options: EngineOptions
    @Argument(help: "The level to play (see 'firedrill levels').") var level: String?
    @Flag(help: "Let the game pick: the tutorial first, then levels and categories you have not passed.") var random = false
    @Option(help: "The run's seed: it draws the incident (and the pick with --random); the same seed replays the same incident.") var seed: UInt64?
    @Option(help: "Who plays (default: FIREDRILL_PLAYER, else your login name).") var player: String?
    @Flag(name: .customLong("no-warm"), help: "Boot the level now even when a run of it was booted ahead ('firedrill warm').") var noWarm = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if level != nil, random { throw ValidationError("name a level or pass --random, not both") }
    }

    struct Output: Encodable {
        var run, level, workspace: String
        var urls: [String: String]
        var instances: [String]
        var bootSeconds: Double
        var seed: UInt64?
        /// Given from a run booted ahead rather than booted now.
        var warm: Bool
    }

    func run() throws {
        let game: Game
        let assignment: ClassAssignment?
        let useWarm: Bool
        do {
            game = try options.game(player: player)
            assignment = try game.assigned(level: level, seed: seed)
            useWarm = try !noWarm && options.settings().warm
        } catch {
            throw fail(error)
        }
        let engine = game.engine
        var pickedSeed: UInt64?
        var chosen = level
        // In a class the level and its seed are the ones assigned.
        if let assignment {
            (chosen, pickedSeed) = (assignment.level, assignment.seed)
            if !json { FileHandle.standardError.write(Data("Your class's level: \(assignment.level) (seed \(assignment.seed)).\n".utf8)) }
        } else if chosen == nil, !random {
            throw fail(ValidationError("name a level, or pass --random"))
        } else if chosen == nil, useWarm, seed == nil, let ahead = game.warmRun() {
            (chosen, pickedSeed) = (ahead.level, ahead.seed)
            if !json { FileHandle.standardError.write(Data("Your level: \(ahead.level), booted ahead (seed \(ahead.seed ?? 0)).\n".utf8)) }
        } else if chosen == nil {
            guard let pick = game.pick(seed: seed) else { throw fail(EngineError.unknownLevel("(random)", known: [])) }
            (chosen, pickedSeed) = (pick.level, pick.seed)
            if !json { FileHandle.standardError.write(Data("Your level: \(pick.level), \(pick.reason) (seed \(pick.seed)).\n".utf8)) }
        }
        guard let id = chosen else { throw fail(EngineError.unknownLevel("(random)", known: [])) }
        let started = Date()
        let record: RunRecord
        let warm: Bool
        do {
            (record, warm) = try game.begin(level: id, seed: pickedSeed ?? seed, useWarm: useWarm) { step in
                if !json { FileHandle.standardError.write(Data("  … \(step)\n".utf8)) }
            }
        } catch {
            throw fail(error)
        }
        let level = try engine.level(of: record)
        let scenario = try engine.catalog.scenario(record.scenario)
        let seconds = Date().timeIntervalSince(started)
        if json {
            var urls: [String: String] = [:]
            for name in record.ports.keys { urls[name] = record.url(name) }
            try printJSON(Output(run: record.id, level: level.id, workspace: record.workspace.path, urls: urls,
                                 instances: scenario.instanceNames, bootSeconds: (seconds * 100).rounded() / 100, seed: record.seed, warm: warm))
        } else {
            print(Briefing.text(level: level, scenario: scenario, record: record, bootSeconds: seconds))
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the runs on this machine and their instances (in a class, what waits for the class database).")

    @OptionGroup var options: EngineOptions
    @Option(name: .customLong("run"), help: "A run id (default: every run that is up).") var runID: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let game = try options.game()
        let engine = game.engine
        let records: [RunRecord]
        do {
            records = try runID.map { [try engine.run($0)] } ?? engine.store.all().filter(\.state.holdsInstances)
        } catch {
            throw fail(error)
        }
        var dockerProblem: Error?
        if records.contains(where: \.state.holdsInstances) {
            do { try engine.runtime.ensureAvailable() } catch { dockerProblem = error }
        }
        if let dockerProblem { FileHandle.standardError.write(Data("firedrill: instances unknown: \(dockerProblem)\n".utf8)) }
        let outputs = records.map { record in
            RunStatus(record, stage: game.stage(record),
                      instances: record.state.holdsInstances && dockerProblem == nil ? ((try? engine.instances(record)) ?? []) : [])
        }
        if json { return try printJSON(outputs) }
        print(RunStatus.text(outputs, now: Date()))
        if let outbox = game.store as? OutboxStore { print(Self.classText(outbox)) }
    }

    /// The class database: reachable or not, what waits to be sent, what it refused.
    static func classText(_ outbox: OutboxStore) -> String {
        let status = outbox.status
        var lines = [status.line.map { "\($0)" + (status.reason.map { " (\($0))" } ?? "") } ?? "class database: everything sent"]
        lines += ((try? outbox.refusals()) ?? []).map { "  refused: \($0)" }
        return lines.joined(separator: "\n")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the run's objectives.",
        discussion: "Without --verify only the checks that do not disturb the run are made; --verify also restarts, removes or waits where an objective is about durability."
    )

    @OptionGroup var options: EngineOptions
    @Option(name: .customLong("run"), help: "A run id (default: the newest live run).") var runID: String?
    @Flag(help: "Also run the disruptive checks.") var verify = false
    @Flag(help: "Print JSON.") var json = false

    struct Output: Encodable {
        struct Objective: Encodable { var id: String; var passed: Bool; var detail: String; var deferred: Bool }
        var run: String
        var solved: Bool
        var mitigated: Bool
        var objectives: [Objective]
    }

    func run() throws {
        let engine = try options.engine()
        let report: CheckReport
        do {
            report = try engine.check(try engine.run(runID), verify: verify)
        } catch {
            throw fail(error)
        }
        if json {
            return try printJSON(Output(run: report.run, solved: report.solved, mitigated: report.mitigated,
                                        objectives: report.objectives.map { .init(id: $0.id, passed: $0.passed, detail: $0.detail, deferred: $0.deferred) }))
        }
        print(CheckText.text(report, verify: verify))
    }
}

struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a shell on an instance, or run one command there.",
        discussion: "Example: firedrill shell NAME -- ps aux. Without NAME, lists the run's instances."
    )

    @OptionGroup var options: EngineOptions
    @Argument(help: "An instance of the run's scenario (its briefing and 'firedrill status' list them).") var instance: String?
    @Option(name: .customLong("run"), help: "A run id (default: the newest live run).") var runID: String?
    @Argument(parsing: .postTerminator, help: "A command to run instead of an interactive shell.") var command: [String] = []

    func run() throws {
        let engine = try options.engine()
        let arguments: [String]
        do {
            let record = try engine.run(runID)
            guard let instance else {
                let scenario = try engine.catalog.scenario(record.scenario)
                let width = scenario.instanceNames.map(\.count).max() ?? 0
                print("Which instance? \(record.id) runs scenario \(scenario.id):")
                for instance in scenario.instances {
                    print("  \(instance.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(instance.role)")
                }
                print("Open a shell with: firedrill shell NAME")
                throw ExitCode(64)
            }
            arguments = try engine.shellCommand(record, instance: instance, command: command,
                                                tty: isatty(0) == 1 && isatty(1) == 1)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
        // Replace this process, so signals, the terminal and the exit status belong to the shell.
        let argv = arguments.map { strdup($0) } + [nil]
        execvp(arguments[0], argv)
        throw fail(EngineError.dockerMissing)
    }
}

struct Stop: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop a run: remove its containers, networks and volumes.")

    @OptionGroup var options: EngineOptions
    @Option(name: .customLong("run"), help: "A run id (default: the newest live run).") var runID: String?
    @Flag(help: "Stop every run of this data directory, and anything a crash left behind.") var all = false

    func run() throws {
        let engine = try options.engine()
        do {
            if all {
                let stopped = try engine.stopAll()
                print(stopped.isEmpty ? "Nothing to stop." : "Stopped \(stopped.joined(separator: ", ")).")
            } else {
                let record = try engine.run(runID)
                try engine.stop(record)
                print("Stopped \(record.id). Its workspace stays at \(record.workspace.path).")
            }
        } catch {
            throw fail(error)
        }
    }
}
