import FiredrillStore
import Foundation
import GRDB

/// The game's embedded database (SQLite through GRDB), under the user's data directory:
/// `firedrill.sqlite` beside `runs/`. Several processes use the file at once (the console and
/// the command line): WAL mode, a busy timeout, and one IMMEDIATE transaction per write, so a
/// crash or a kill loses at most the write in flight and never leaves half of one.
public final class SQLiteStore: GameStore, @unchecked Sendable {
    public let url: URL
    let queue: DatabaseQueue
    /// Run at the end of every write, in its transaction (the class outbox queues the write it
    /// copies here, so the copy and the queued write commit together or not at all).
    var alongside: ((Database) throws -> Void)?

    public static func defaultURL(root: URL) -> URL { root.appendingPathComponent("firedrill.sqlite") }

    /// The database under a data directory (`defaultURL(root:)`).
    public static func open(root: URL) throws -> SQLiteStore { try SQLiteStore(url: defaultURL(root: root)) }

    public init(url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.journalMode = .wal  // also sets synchronous NORMAL
        configuration.foreignKeysEnabled = true
        queue = try Self.openQueue(path: url.path, configuration: configuration)
        try Self.migrate(queue)
    }

    /// Opens the file. Switching a new file to WAL needs it alone for a moment, and SQLite
    /// answers "database is locked" at once, without its busy timeout, when another process is
    /// opening it too: that open is tried again, for up to about five seconds.
    static func openQueue(path: String, configuration: Configuration) throws -> DatabaseQueue {
        var attempt = 0
        while true {
            do {
                return try DatabaseQueue(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < 100 {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.005 * Double(min(attempt, 20)))
            }
        }
    }

    /// Whether SQLite finds the file sound.
    public func integrityCheck() throws -> Bool {
        try queue.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" }
    }

    /// One write, in one IMMEDIATE transaction: it takes the write lock before reading, so a
    /// read-then-write never fails on a snapshot another process made stale.
    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        try queue.write { db in
            let value = try updates(db)
            try alongside?(db)
            return value
        }
    }

    func read<T>(_ value: (Database) throws -> T) throws -> T {
        try queue.read(value)
    }

    /// Applies the migrations this build knows. Two processes opening a new database at once
    /// can both try the same migration; the one that loses sees the other's work on a retry.
    static func migrate(_ queue: DatabaseQueue) throws {
        let migrator = Schema.migrator
        var attempts = 0
        while true {
            do {
                try migrator.migrate(queue)
                return
            } catch {
                attempts += 1
                let complete = (try? queue.read { db in try migrator.hasCompletedMigrations(db) }) ?? false
                if complete { return }
                if attempts > Schema.migrationCount { throw error }
            }
        }
    }
}
