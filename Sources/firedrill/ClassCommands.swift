import ArgumentParser
import FiredrillPostgres
import Foundation

/// A class on one PostgreSQL database: the instructor sets it up and adds trainees; each trainee
/// gets a login role of their own that sees only their own rows.
struct ClassCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "class",
        abstract: "A class on one PostgreSQL database: the instructor sets it up, adds and assigns trainees, grades; trainees join.",
        discussion: """
        firedrill class init --database URL   the schema and the trainees' policies
        firedrill class add NAME              a trainee's login; prints their URL
        firedrill class list                  the class's trainees
        firedrill class assign LEVEL          the level (and seed) every trainee plays next
        firedrill class grade                 grade the reports submitted
        firedrill class join URL              (trainee) join with the URL 'class add' printed
        firedrill class leave                 (trainee) play alone again
        firedrill class watch                 the class dashboard, live

        URL is a postgresql:// URL of the instructor's role, which owns the database and may create roles; FIREDRILL_DATABASE_URL stands in for --database.
        """,
        subcommands: [Init.self, Add.self, List.self, Assign.self, Grade.self, Join.self, Leave.self, Watch.self]
    )

    struct Database: ParsableArguments {
        @Option(help: "The class database (postgresql://instructor:password@host:port/db).") var database: String?

        func url() throws -> String {
            if let database, !database.isEmpty { return database }
            if let url = ProcessInfo.processInfo.environment["FIREDRILL_DATABASE_URL"], !url.isEmpty { return url }
            throw ValidationError("name the class database with --database URL (or FIREDRILL_DATABASE_URL)")
        }

        func roles() throws -> ClassRoles {
            do { return try ClassRoles(url: url()) } catch let error as ValidationError { throw error } catch { throw fail(error) }
        }
    }

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply the schema and the security policies (again, when run again).")
        @OptionGroup var database: Database

        func run() throws {
            let roles = try database.roles()
            do { try roles.initialize() } catch { throw fail(error) }
            print("Class ready: trainees join the group \(roles.group); add one with: firedrill class add NAME")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a trainee's login with a generated password; print their connection URL.")
        @Argument(help: "The trainee's name: lowercase letters, digits and _.") var name: String
        @OptionGroup var database: Database

        func run() throws {
            let roles = try database.roles()
            let password: String
            do { password = try roles.addTrainee(name) } catch { throw fail(error) }
            var url = URLComponents(string: try database.url())
            url?.user = name
            url?.password = password
            print("Trainee \(name) added. Their connection (keep it private: it holds their password):")
            print("  \(url?.string ?? "user \(name), password \(password)")")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The class's trainees.")
        @OptionGroup var database: Database

        func run() throws {
            let roles = try database.roles()
            let names: [String]
            do { names = try roles.trainees() } catch { throw fail(error) }
            print(names.isEmpty ? "No trainee yet: firedrill class add NAME" : names.joined(separator: "\n"))
        }
    }
}
