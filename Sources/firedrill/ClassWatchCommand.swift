import ArgumentParser
import FiredrillConsole
import FiredrillEngine
import FiredrillPostgres
import FiredrillRules
import Foundation

extension ClassCommand {
    /// The class dashboard: every trainee's latest run, live, on the instructor's terminal or a
    /// room's projector.
    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The class dashboard: one row per trainee (level, stage, time, objectives, hints, last command, documents), live.",
            discussion: """
            Enter watches the selected trainee's run read-only ('firedrill watch RUN'; q comes back), r reviews its
            postmortem (approve, or send it back with a comment), s/t/n sort by stage, time against par or name, ? lists every key.
            """
        )

        @OptionGroup var database: Database
        @OptionGroup var options: EngineOptions
        @Option(help: "projector (default): high contrast, for a room; or standard.") var theme: Play.ThemeName = .projector

        func run() throws {
            ConsoleApp.prepareProcess()
            let url: String
            do { url = try database.url() } catch { throw fail(error) }
            let store: PostgresStore
            let levels: [String: LevelFacts]
            do {
                store = try PostgresStore(url: url)
                let engine = try options.bareEngine()
                levels = Dictionary(engine.catalog.levels().levels.map { ($0.id, LevelFacts($0)) }) { first, _ in first }
            } catch {
                throw fail(error)
            }
            guard isatty(0) == 1, isatty(1) == 1 else { throw fail(ValidationError("the class dashboard needs a terminal")) }
            let name = URLComponents(string: url)?.path.split(separator: "/").last.map(String.init) ?? "class"
            // The class database's notifications read the rows as they change; without the feed the
            // board reads them on its timer.
            let feed = (try? ClassFeed(url: url)).map(SharedFeed.init)
            let source = BoardSource(
                rows: { try TraineeRow.rows(store, levels: levels) },
                postmortem: { run, player in try BoardReview.postmortem(store, run: run, player: player) },
                review: { run, approve, comment in
                    try store.review(run: run, document: .postmortem, approve: approve, comment: comment, reviewer: Player.current(), at: Date())
                },
                watch: { run, player in try watchRun(run, player: player, url: url) },
                changes: feed.map { feed in ChangeSignal(socket: { feed.socket }, changed: { !feed.feed.drain().isEmpty }) })
            do {
                let app = BoardApp(model: BoardModel(title: name, theme: theme == .projector ? .projector : .standard), source: source)
                if case let .signal(signal) = try app.run() { throw ExitCode(128 + signal) }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                throw fail(error)
            }
        }

        /// The seam to the run's console: `firedrill watch RUN` in a child process on this terminal,
        /// with the class database, so whatever `watch` can show of a run (here or on another
        /// machine) the board shows too. It plays as the run's trainee: the instructor's login
        /// does not become a player of the class.
        func watchRun(_ run: String, player: String, url: String) throws {
            let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            let arguments = [binary, "watch", run, "--theme", theme.rawValue] + (options.root.map { ["--root", $0] } ?? [])
            let environment = ProcessInfo.processInfo.environment.merging(["FIREDRILL_DATABASE_URL": url, "FIREDRILL_PLAYER": player]) { _, new in new }
            let watched = try ProcessRunner.runOnTerminal(arguments, environment: environment)
            guard watched.status == 0 else {
                let line = watched.stderr.split(separator: "\n").last.map(String.init) ?? "'firedrill watch \(run)' ended with status \(watched.status)"
                throw ValidationError(line.hasPrefix("firedrill: ") ? String(line.dropFirst(11)) : line)
            }
        }
    }
}
