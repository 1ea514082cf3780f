import ArgumentParser
import FiredrillEngine
import FiredrillGame
import FiredrillPostgres
import FiredrillSQLite
import FiredrillStore
import Foundation

@main
struct Firedrill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firedrill",
        abstract: "Production-incident training: real broken systems on Docker, fixed from the terminal.",
        discussion: """
        Start a level, read its briefing, troubleshoot the instances, fix, verify:
          firedrill levels                    list the levels
          firedrill start payload-too-large   boot a level and print its briefing
          firedrill shell NAME                open a shell on an instance of the run
          firedrill check --verify            check every objective
          firedrill stop                      remove the run's containers
        The game: 'firedrill play' gives you a level, 'firedrill progress' shows where you stand
        on the way to certification (docs/certification.md, scoring in docs/scoring.md).
        """,
        version: "0.1.0",
        subcommands: [Levels.self, Start.self, Play.self, Status.self, Check.self, Shell.self, Stop.self,
                      Warm.self, Report.self, ProgressCommand.self, Certificate.self, Review.self, Leaderboard.self, Watch.self,
                      ClassCommand.self, Lint.self, Doctor.self, Build.self, Prove.self]
    )
}

/// What every command that touches runs needs.
struct EngineOptions: ParsableArguments {
    @Option(name: .customLong("root"), help: "The folder holding Levels/ and Scenarios/ (default: found from here or FIREDRILL_ROOT).")
    var root: String?

    /// The engine, its runs and events also kept in the game's database (see `game`).
    func engine() throws -> Engine { try game().engine }

    /// The engine alone, for authors' commands: runs it makes (`prove`) are not anyone's play.
    func bareEngine() throws -> Engine {
        let catalog = try root.map { Catalog(root: URL(fileURLWithPath: $0).standardizedFileURL) } ?? Catalog.locate()
        return Engine(catalog: catalog, store: RunStore(root: RunStore.defaultRoot()), runtime: ComposeRuntime())
    }

    /// The engine and the game around it, for the player `FIREDRILL_PLAYER` (else the login name).
    /// The game's database is `url` or `FIREDRILL_DATABASE_URL` (a class's PostgreSQL) when set,
    /// else the class joined (`firedrill class join`), through the data directory's outbox
    /// (writes wait there while the server is away), else the SQLite file of the data directory.
    /// A class's trainee plays as their login: another name asked for is refused.
    func game(player: String? = nil, url: String? = nil) throws -> Game {
        let engine = try bareEngine()
        let environment = ProcessInfo.processInfo.environment
        let named = [url, environment["FIREDRILL_DATABASE_URL"]].compactMap { $0 }.first { !$0.isEmpty }
        if let url = named ?? JoinedClass.url() {
            let store: OutboxStore
            do {
                store = try Self.outbox(url: url, root: engine.store.root)
            } catch {
                throw ValidationError("\(error) (\(named != nil ? "FIREDRILL_DATABASE_URL" : JoinedClass.file.path))")
            }
            let asked = player ?? environment["FIREDRILL_PLAYER"].flatMap { $0.isEmpty ? nil : $0 }
            if let trainee = try? store.trainee() {
                if let asked, asked != trainee { throw ValidationError("in a class you play as your login, \(trainee), not \(asked)") }
                return Game(engine: engine, store: store, player: trainee)
            }
            return Game(engine: engine, store: store, player: player ?? Player.current())
        }
        do {
            return Game(engine: engine, store: try SQLiteStore.open(root: engine.store.root), player: player ?? Player.current())
        } catch {
            throw ValidationError("the game's database at \(SQLiteStore.defaultURL(root: engine.store.root).path) cannot be opened: \(error)")
        }
    }
}

extension EngineOptions {
    /// The player's settings (`settings.yaml` beside `class.url`, then the environment).
    func settings() throws -> Settings {
        do {
            return try Settings.load(file: JoinedClass.directory.appendingPathComponent("settings.yaml"))
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The class store behind the data directory's outbox; a server that is down at start is
    /// not an error (the game goes on, writes wait), a bad URL or a refused login is. The
    /// store's own reconnecting gives up after a second: the outbox's sender tries again later.
    static func outbox(url: String, root: URL) throws -> OutboxStore {
        let server = OutboxStore.Server(connect: { try PostgresStore(url: url, patience: 1) },
                                        isUnreachable: { ($0 as? PostgresError)?.isConnectionLost ?? false })
        let outbox = try OutboxStore(url: OutboxStore.defaultURL(root: root, class: try PostgresStore.identity(url: url)), server: server)
        try outbox.connect()
        return outbox
    }
}

/// Prints an error the way every command does, and exits non-zero.
func fail(_ error: Error) -> ExitCode {
    FileHandle.standardError.write(Data("firedrill: \(describe(error))\n".utf8))
    return ExitCode.failure
}

func describe(_ error: Error) -> String {
    if let error = error as? Diagnostics { return "\n" + error.description }
    return "\(error)"
}

/// Encodes a value as pretty JSON on standard output.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
