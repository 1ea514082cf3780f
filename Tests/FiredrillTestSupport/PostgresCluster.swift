import FiredrillEngine
import Foundation

/// A throwaway PostgreSQL server for the tests: Debian's `initdb` and `pg_ctl` make a cluster in
/// a temporary folder and start it on a free port of 127.0.0.1 (as the `postgres` user when the
/// tests run as root: the server refuses to run as root). One cluster per test process, started
/// when first asked for and stopped when the process exits; each test gets a database of its own.
public final class PostgresCluster: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    /// The superuser's password (logins use scram-sha-256, as a real server would).
    public let password = "firedrill-\(UUID().uuidString.prefix(8))"
    private let bin: URL

    public enum Failure: Error, CustomStringConvertible {
        case missing(String)
        case failed(String)
        public var description: String {
            switch self {
            case let .missing(what): return "PostgreSQL is not installed (\(what)); run: scripts/setup.sh postgres"
            case let .failed(what): return "the test PostgreSQL cluster did not start: \(what)"
            }
        }
    }

    /// The cluster of this test process.
    public static func shared() throws -> PostgresCluster {
        try started.get()
    }

    private static let started: Result<PostgresCluster, Error> = Result {
        let cluster = try PostgresCluster()
        running = cluster
        atexit {
            PostgresCluster.running?.stop()
            if let folder = PostgresCluster.running?.directory { try? FileManager.default.removeItem(at: folder) }
        }
        return cluster
    }
    nonisolated(unsafe) private static var running: PostgresCluster?

    private init() throws {
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).sorted()
        guard let version = versions.last else { throw Failure.missing("no /usr/lib/postgresql/<version>") }
        bin = URL(fileURLWithPath: "/usr/lib/postgresql/\(version)/bin")
        directory = URL(fileURLWithPath: "/tmp/firedrill-pg-\(UUID().uuidString.prefix(8))")
        port = try PortAllocator.freePorts(1)[0]
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let passwordFile = directory.appendingPathComponent("password")
        try password.write(to: passwordFile, atomically: true, encoding: .utf8)
        if getuid() == 0 { try run(["/bin/chown", "-R", "postgres:postgres", directory.path], asServer: false) }
        let data = directory.appendingPathComponent("data").path
        try run([bin.appendingPathComponent("initdb").path, "-D", data, "-U", "postgres", "--auth=scram-sha-256",
                 "--pwfile=\(passwordFile.path)", "--no-sync", "--encoding=UTF8", "--locale=C"])
        try start()
    }

    /// A new, empty database; its URL for the store.
    public func database() throws -> String {
        try url(database: createDatabase())
    }

    /// A new, empty database; its name.
    public func createDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try psql("CREATE DATABASE \(name)")
        return String(name)
    }

    public func url(database: String, user: String = "postgres", password: String? = nil) -> String {
        "postgresql://\(user):\(password ?? self.password)@127.0.0.1:\(port)/\(database)?connect_timeout=5"
    }

    /// Runs SQL as the superuser with psql.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        try run([bin.appendingPathComponent("psql").path, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
                 url(database: database), "-c", sql])
    }

    /// Stops the server (for tests of a server that goes away) and starts it again.
    public func stop() {
        _ = try? run([bin.appendingPathComponent("pg_ctl").path, "-D", directory.appendingPathComponent("data").path, "-m", "fast", "-w", "stop"])
    }

    /// Starts the server; without fsync unless `durable` (the tests need no crash safety; a
    /// benchmark of commits does).
    public func start(durable: Bool = false) throws {
        let log = directory.appendingPathComponent("server.log")
        do {
            try run([bin.appendingPathComponent("pg_ctl").path, "-D", directory.appendingPathComponent("data").path, "-l", log.path, "-w",
                     "-o", "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=\(durable ? "on" : "off") -c max_connections=200", "start"])
        } catch {
            let tail = (try? String(contentsOf: log, encoding: .utf8)).map { String($0.suffix(500)) } ?? ""
            throw Failure.failed("\(error) \(tail)")
        }
    }

    /// Runs a PostgreSQL program (as `postgres` when the tests run as root). ProcessRunner, not
    /// Foundation's Process: the server pg_ctl leaves running must not hold a pipe of ours.
    @discardableResult
    private func run(_ arguments: [String], asServer: Bool = true) throws -> String {
        let command = asServer && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments : arguments
        let output: ProcessOutput
        do {
            output = try ProcessRunner.run(command, timeout: 120, directory: directory)
        } catch {
            throw Failure.missing("\(arguments[0]): \(error)")
        }
        guard output.succeeded else {
            throw Failure.failed("\(arguments.prefix(2).joined(separator: " ")): \(output.stderr.suffix(500))")
        }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
