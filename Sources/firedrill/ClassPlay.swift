import ArgumentParser
import FiredrillGame
import FiredrillPostgres
import FiredrillStore
import Foundation

/// The class a trainee joined: its connection URL in the config directory, which holds their
/// password, so readable by them alone (file 0600, directory 0700).
enum JoinedClass {
    /// `$FIREDRILL_CONFIG_HOME`, else `$XDG_CONFIG_HOME/firedrill`, else `~/.config/firedrill`.
    static var directory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let home = environment["FIREDRILL_CONFIG_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg).appendingPathComponent("firedrill") }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config/firedrill")
    }

    static var file: URL { directory.appendingPathComponent("class.url") }

    static func url() -> String? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        let url = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return url.isEmpty ? nil : url
    }

    static func save(_ url: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        // Created 0600 before the password is written into it.
        _ = manager.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        try Data((url + "\n").utf8).write(to: file)
    }
}

extension ClassCommand {
    struct Join: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "For trainees: join a class with the URL the instructor gave you; play, submit and progress then go to the class.")
        @Argument(help: "Your connection URL, as 'firedrill class add' printed it.") var url: String

        func run() throws {
            let login: (login: String, database: String, trainee: Bool)
            do { login = try PostgresStore.login(url: url) } catch { throw fail(error) }
            guard login.trainee else {
                throw fail(ValidationError("\(login.login) is not a trainee of the class on database \(login.database) (not in \(login.database)_trainee): ask the instructor for your URL ('firedrill class add NAME')"))
            }
            do { try JoinedClass.save(url) } catch { throw fail(error) }
            print("Joined the class on \(login.database) as \(login.login); your connection is kept in \(JoinedClass.file.path) (readable by you only).")
            print("Next: 'firedrill play' boots the level your instructor assigned you; your report is graded by the class.")
        }
    }

    struct Leave: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "For trainees: forget the class joined; play alone again (the class keeps what you did).")

        func run() throws {
            guard FileManager.default.fileExists(atPath: JoinedClass.file.path) else { return print("Not in a class.") }
            do { try FileManager.default.removeItem(at: JoinedClass.file) } catch { throw fail(error) }
            print("Left the class: firedrill plays alone again, in this machine's data directory.")
        }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign a level (and its seed) to every trainee, or to one.")
        @Argument(help: "The level (see 'firedrill levels').") var level: String
        @Option(help: "The seed (default: the class draws one, the same for all).") var seed: UInt64?
        @Option(name: .customLong("to"), help: "One trainee (default: every trainee).") var trainee: String?
        @OptionGroup var database: Database
        @OptionGroup var options: EngineOptions

        func run() throws {
            let roles = try database.roles()
            do {
                _ = try options.bareEngine().catalog.level(level)
                let store = try PostgresStore(url: database.url())
                let trainees = try trainee.map { [$0] } ?? roles.trainees()
                guard !trainees.isEmpty else { throw ValidationError("no trainee yet: firedrill class add NAME") }
                if let trainee, !(try roles.trainees()).contains(trainee) { throw ValidationError("\(trainee) is not a trainee of this class (firedrill class list)") }
                for assignment in try store.assign(level: level, seed: seed, to: trainees, at: Date()) {
                    print("\(assignment.player): \(assignment.level), seed \(assignment.seed)")
                }
            } catch {
                throw fail(error)
            }
        }
    }

    struct Grade: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grade every submitted report not graded yet, from the class database; review, progress and leaderboard do it too.")
        @OptionGroup var database: Database
        @OptionGroup var options: EngineOptions

        func run() throws {
            do {
                let game = try options.game(url: database.url())
                let runs = try game.gradeClass()
                print(runs.isEmpty ? "Nothing to grade." : "Graded \(runs.count): \(runs.joined(separator: ", ")).")
            } catch {
                throw fail(error)
            }
        }
    }
}
