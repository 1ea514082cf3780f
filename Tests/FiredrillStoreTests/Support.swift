import FiredrillPostgres
import FiredrillSQLite
import FiredrillStore
import FiredrillTestSupport
import Foundation

/// A database file of its own in a fresh temporary folder.
func temporaryDatabase() -> URL {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("firedrill-store-\(UUID().uuidString)")
        .appendingPathComponent("firedrill.sqlite")
}

func temporaryStore() throws -> SQLiteStore {
    try SQLiteStore(url: temporaryDatabase())
}

/// The stores the conformance suite runs against: the embedded one, and PostgreSQL on the
/// test cluster (a database of its own per test).
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    var description: String { rawValue }

    func store() throws -> any GameStore {
        switch self {
        case .sqlite: return try temporaryStore()
        case .postgres: return try PostgresStore(url: PostgresCluster.shared().database())
        }
    }
}

/// The StoreWriter binary built with the tests: next to the test bundle, or in .build/debug.
let storeWriterBinary: URL = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("StoreWriter")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    return repositoryRoot.appendingPathComponent(".build/debug/StoreWriter")
}()

/// Reads a pipe line by line, blocking until a whole line or the end of the stream.
final class LineReader {
    private let handle: FileHandle
    private var buffer = Data()

    init(_ handle: FileHandle) { self.handle = handle }

    /// The next line without its newline; nil at the end of the stream.
    func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = Data(buffer[buffer.index(after: newline)...])
                return line
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }
}

/// Kills a child process once: when the test is done with it, or after a deadline if the test
/// is stuck waiting on it. The pid is never signalled after the test has reaped it.
final class Killer: @unchecked Sendable {
    private let lock = NSLock()
    private let pid: pid_t
    private var done = false

    init(_ pid: pid_t, deadline seconds: Double) {
        self.pid = pid
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in stop() }
    }

    /// SIGKILL, unless already sent.
    func stop() {
        lock.withLock {
            guard !done else { return }
            done = true
            _ = kill(pid, SIGKILL)
        }
    }
}

/// A class on a database of its own on the test cluster: the instructor's URL, and a login per
/// trainee (names made unique with the database's suffix: roles are the cluster's).
struct TestClass {
    let database: String
    let instructorURL: String
    let roles: ClassRoles
    let cluster: PostgresCluster

    init() throws {
        cluster = try PostgresCluster.shared()
        database = try cluster.createDatabase()
        instructorURL = cluster.url(database: database)
        roles = try ClassRoles(url: instructorURL)
        try roles.initialize()
    }

    /// Adds a trainee "<name>_<suffix>", assigned the level and seed of `sampleRun`; returns
    /// their role name and connection URL.
    func trainee(_ name: String) throws -> (name: String, url: String) {
        let role = "\(name)_\(database.suffix(6))"
        let url = cluster.url(database: database, user: role, password: try roles.addTrainee(role))
        let sample = sampleRun(player: role)
        try PostgresStore(url: instructorURL).assign(level: sample.level, seed: sample.seed, to: [role], at: at(0))
        return (role, url)
    }
}
