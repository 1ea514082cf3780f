import ArgumentParser
import FiredrillConsole
import FiredrillEngine
import FiredrillSQLite
import FiredrillPostgres
import Foundation

struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a level in the full-screen console: briefing, health, a shell, the report.",
        discussion: """
        Boots the level and opens the console; or attaches to a run already started with --run.
        In a class the level and its seed are the ones the instructor assigned.
        Without LEVEL the game picks one: the tutorial first, then a level you have not passed,
        favouring categories you have not covered yet. Quitting asks whether to stop the run (default: stop).
        Press ? in the console for the keys. In pairs: 'firedrill play --tmux' starts the game in
        a tmux session and prints the one command the partner runs to join.
        """
    )

    enum ThemeName: String, ExpressibleByArgument, CaseIterable { case standard, projector }

    @OptionGroup var options: EngineOptions
    @Argument(help: "The level to play (see 'firedrill levels'); random when omitted.") var level: String?
    @Option(help: "The run's seed: it draws the incident (and the random pick); the same seed replays the same incident.") var seed: UInt64?
    @Option(help: "Who plays (default: FIREDRILL_PLAYER, else your login name).") var player: String?
    @Option(name: .customLong("run"), help: "Attach to a run already started (see 'firedrill status').") var runID: String?
    @Option(help: "standard, or projector: high contrast, bold, larger spacing, fewer panes.") var theme: ThemeName = .standard
    @Option(help: "Open the shell at start on this instance, or 'workspace' for the run's workspace on the host.") var shell: String?
    @Flag(name: .customLong("no-warm"), help: "Boot the level now even when one was booted ahead, and boot none ahead for the next.") var noWarm = false
    @Flag(help: "Start the game in a named tmux session and print the command a partner runs to join.") var tmux = false
    @Option(help: "The tmux session's name, with --tmux.") var session = "firedrill"

    func validate() throws {
        if runID != nil, level != nil { throw ValidationError("name a level or pass --run, not both") }
    }

    func run() throws {
        if tmux { return try startInTmux() }
        ConsoleApp.prepareProcess()
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw fail(ValidationError("the console needs a terminal. Run it in one, or use 'firedrill start' to play from the command line."))
        }
        let game: Game
        let record: RunRecord
        let warm: Bool
        do {
            game = try options.game(player: player)
            warm = try !noWarm && options.settings().warm
            func say(_ line: String) { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
            func begin(_ level: String, _ seed: UInt64?) throws -> RunRecord {
                try game.begin(level: level, seed: seed, useWarm: warm) { step in say("  … \(step)") }.record
            }
            if let runID {
                record = try game.record(runID)
                guard record.state.isActive else { throw ValidationError("run \(record.id) is \(record.state.rawValue); start a new one with 'firedrill play \(record.level)'") }
            } else if let assignment = try game.assigned(level: level, seed: seed) {
                say("Your class's level: \(assignment.level) (seed \(assignment.seed)).")
                record = try begin(assignment.level, assignment.seed)
            } else if let level {
                say("Your level: \(level).")
                record = try begin(level, seed)
            } else if warm, seed == nil, let ahead = game.warmRun() {
                say("Your level: \(ahead.level), booted while you played (seed \(ahead.seed ?? 0)).")
                record = try begin(ahead.level, ahead.seed)
            } else {
                guard let pick = game.pick(seed: seed) else { throw EngineError.unknownLevel("(random)", known: []) }
                say("Your level: \(pick.level), \(pick.reason) (seed \(pick.seed)).")
                record = try begin(pick.level, pick.seed)
            }
        } catch {
            throw fail(error)
        }
        let engine = game.engine
        let exit: ConsoleExit
        do {
            var classStatus: (@Sendable () -> String?)?
            if let outbox = game.store as? OutboxStore { classStatus = { outbox.status.line } }
            let app = try ConsoleApp(engine: engine, record: record,
                                     options: ConsoleOptions(theme: theme == .projector ? .projector : .standard, shell: shell, game: game,
                                                            classStatus: classStatus, warmNext: warm))
            exit = try app.run()
        } catch {
            FileHandle.standardError.write(Data("The run \(record.id) stays up: 'firedrill play --run \(record.id)' to come back, 'firedrill stop --run \(record.id)' to stop it.\n".utf8))
            throw fail(error)
        }
        switch exit {
        case .quit(stopRun: true):
            print("Stopping \(record.id)…")
            do {
                try engine.stop(record)
                print("Stopped. Its workspace and your report stay at \(engine.store.directory(of: record.id).path).")
                printStanding(game, record)
                if let ahead = game.warmRun() { print("Your next level is booted and waiting: 'firedrill play' gives it at once (\(ahead.level)).") }
            } catch {
                throw fail(error)
            }
        case .quit(stopRun: false):
            print("The run \(record.id) stays up. Back to it: firedrill play --run \(record.id)   Stop it: firedrill stop --run \(record.id)")
        case let .signal(signal):
            FileHandle.standardError.write(Data("firedrill: ended by signal \(signal). The run \(record.id) stays up: firedrill play --run \(record.id), or firedrill stop --run \(record.id).\n".utf8))
            throw ExitCode(128 + signal)
        case .hangup:
            FileHandle.standardError.write(Data("firedrill: the terminal went away. The run \(record.id) stays up.\n".utf8))
        }
    }

    /// The run's score and where the player stands, after a game.
    func printStanding(_ game: Game, _ record: RunRecord) {
        guard let current = try? game.record(record.id), let card = try? game.score(current) else { return }
        print("\n" + ScoreText.lines(card, grades: game.grades(current)).joined(separator: "\n"))
        let progress = game.progress()
        print("\n\(progress.levels.filter(\.passed).count) of \(progress.levels.count) levels passed · total \(progress.totalScore) · 'firedrill progress' for the rest.")
    }

    /// Starts this same command, without --tmux, in a detached tmux session, prints how to join,
    /// and attaches when there is a terminal to attach.
    func startInTmux() throws {
        guard ProcessRunner.which("tmux") else { throw fail(ValidationError("tmux is not installed (apt-get install tmux)")) }
        if (try? ProcessRunner.run(["tmux", "has-session", "-t", "=\(session)"], timeout: 10))?.succeeded == true {
            throw fail(ValidationError("a tmux session '\(session)' already exists: join it with 'tmux attach -t \(session)', or pass --session NAME"))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let path = executable.path.hasPrefix("/") ? executable.path : FileManager.default.currentDirectoryPath + "/" + executable.path
        var arguments = [path, "play"]
        if let root = options.root { arguments += ["--root", root] }
        if let level { arguments.append(level) }
        if let seed { arguments += ["--seed", String(seed)] }
        if let player { arguments += ["--player", player] }
        if let runID { arguments += ["--run", runID] }
        if let shell { arguments += ["--shell", shell] }
        if noWarm { arguments.append("--no-warm") }
        arguments += ["--theme", theme.rawValue]
        let command = arguments.map(shellQuote).joined(separator: " ")
        var environment = ProcessInfo.processInfo.environment
        environment["FIREDRILL_ROOT"] = environment["FIREDRILL_ROOT"] ?? (try? options.engine().catalog.root.path)
        let size = terminalSize()
        let output = try ProcessRunner.run(["tmux", "new-session", "-d", "-s", session, "-x", String(size.columns), "-y", String(size.rows),
                                            "-c", FileManager.default.currentDirectoryPath, command],
                                           timeout: 30, environment: environment)
        guard output.succeeded else { throw fail(ValidationError("tmux new-session failed: \(output.stderr)")) }
        print("firedrill is starting in tmux session '\(session)'. Your partner joins with:\n\n    tmux attach -t \(session)\n")
        if isatty(0) == 1, isatty(1) == 1, ProcessInfo.processInfo.environment["TMUX"] == nil {
            let words: [String] = ["tmux", "attach", "-t", session]
            let argv = words.map { strdup($0) } + [nil]
            execvp("tmux", argv)
        }
    }

    func terminalSize() -> (columns: Int, rows: Int) {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return (Int(size.ws_col), Int(size.ws_row)) }
        return (160, 45)
    }
}

func shellQuote(_ text: String) -> String {
    if !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:".contains($0) }) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// The class database's notifications about one run, for a watcher; nil without a class.
func classChanges(run: String) throws -> ChangeSignal? {
    guard let url = ProcessInfo.processInfo.environment["FIREDRILL_DATABASE_URL"], !url.isEmpty else { return nil }
    let feed = SharedFeed(try ClassFeed(url: url))
    return ChangeSignal(socket: { feed.socket }, changed: { feed.changed(run: run) })
}

/// A `ClassFeed` used by one loop's thread only (a watcher's console, the class dashboard).
final class SharedFeed: @unchecked Sendable {
    let feed: ClassFeed
    init(_ feed: ClassFeed) { self.feed = feed }
    var socket: Int32 { feed.socket }
    func changed(run: String) -> Bool { feed.drain().contains { $0 == .reconnected || $0.run == run } }
}

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch a live run, read-only: for a projector or a pair's second screen.",
        discussion: """
        Shows the run's briefing, objectives as the trainee's checks left them, health, the
        timeline of what happened (commands typed included) and the report as it is written.
        Nothing is changed: no shell, no checks, no edits; q leaves, the run goes on.
        In a class (FIREDRILL_DATABASE_URL), a run played on another machine is shown from the
        class database, read again as soon as it changes (docs/class.md).
        """
    )

    @OptionGroup var options: EngineOptions
    @Argument(help: "The run to watch (see 'firedrill status').") var runID: String
    @Option(help: "projector (default): high contrast, fewer panes; or standard.") var theme: Play.ThemeName = .projector

    func run() throws {
        ConsoleApp.prepareProcess()
        guard isatty(0) == 1, isatty(1) == 1 else { throw fail(ValidationError("watching needs a terminal")) }
        let game: Game
        let record: RunRecord
        do {
            game = try options.game()
            record = try game.record(runID)
            guard record.state.isActive else { throw ValidationError("run \(record.id) is \(record.state.rawValue): there is nothing live to watch ('firedrill report show --run \(record.id)' shows its report)") }
        } catch {
            throw fail(error)
        }
        do {
            var console = ConsoleOptions(theme: theme == .projector ? .projector : .standard, game: game, readOnly: true)
            console.changes = try classChanges(run: record.id)
            let app = try ConsoleApp(engine: game.engine, record: record, options: console)
            if case let .signal(signal) = try app.run() { throw ExitCode(128 + signal) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }
}
