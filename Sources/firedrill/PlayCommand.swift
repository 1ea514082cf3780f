import ArgumentParser
import FiredrillConsole
import FiredrillEngine
import Foundation

struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a level in the full-screen console: briefing, health, a shell, the report.",
        discussion: """
        Boots the level (a random one without LEVEL) and opens the console; or attaches to a run
        already started with --run. Quitting asks whether to stop the run (default: stop).
        Press ? in the console for the keys. In pairs: 'firedrill play --tmux' starts the game in
        a tmux session and prints the one command the partner runs to join.
        """
    )

    enum ThemeName: String, ExpressibleByArgument, CaseIterable { case standard, projector }

    @OptionGroup var options: EngineOptions
    @Argument(help: "The level to play (see 'firedrill levels'); random when omitted.") var level: String?
    @Option(help: "Seed for the random pick, to reproduce it.") var seed: UInt64?
    @Option(name: .customLong("run"), help: "Attach to a run already started (see 'firedrill status').") var runID: String?
    @Option(help: "standard, or projector: high contrast, bold, larger spacing, fewer panes.") var theme: ThemeName = .standard
    @Option(help: "Open the shell at start on this instance, or 'workspace' for the run's workspace on the host.") var shell: String?
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
        let engine = try options.engine()
        let record: RunRecord
        do {
            if let runID {
                record = try engine.run(runID)
                guard record.state.isActive else { throw ValidationError("run \(record.id) is \(record.state.rawValue); start a new one with 'firedrill play \(record.level)'") }
            } else {
                guard let id = level ?? engine.randomLevel(seed: seed) else { throw EngineError.unknownLevel("(random)", known: []) }
                FileHandle.standardError.write(Data("Booting \(id)…\n".utf8))
                record = try engine.start(levelID: id) { step in FileHandle.standardError.write(Data("  … \(step)\n".utf8)) }
            }
        } catch {
            throw fail(error)
        }
        let store: SQLiteStore?
        do {
            store = try SQLiteStore(url: SQLiteStore.defaultURL(root: engine.store.root))
        } catch {
            FileHandle.standardError.write(Data("firedrill: the report cannot be saved (\(error)); playing on.\n".utf8))
            store = nil
        }
        let exit: ConsoleExit
        do {
            let app = try ConsoleApp(engine: engine, record: record,
                                     options: ConsoleOptions(theme: theme == .projector ? .projector : .standard, shell: shell, reportStore: store))
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
        if let runID { arguments += ["--run", runID] }
        if let shell { arguments += ["--shell", shell] }
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
