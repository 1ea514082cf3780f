import Foundation
import GRDB

/// The game's embedded database (SQLite through GRDB), under the user's data directory:
/// `firedrill.sqlite` beside `runs/`. Reports are saved field by field as they are typed; WAL
/// mode and one transaction per save mean a crash or a kill loses at most the keystroke in flight.
/// Progress, scores and certification will live here too.
public final class SQLiteStore: ReportStore, @unchecked Sendable {
    public let url: URL
    private let queue: DatabaseQueue

    public static func defaultURL(root: URL) -> URL { root.appendingPathComponent("firedrill.sqlite") }

    public init(url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        queue = try DatabaseQueue(path: url.path, configuration: configuration)
        try Self.migrator.migrate(queue)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: report fields") { db in
            try db.create(table: "report_field") { table in
                table.column("run", .text).notNull()
                table.column("level", .text).notNull()
                table.column("field", .text).notNull()
                table.column("value", .text).notNull()
                table.column("updated_at", .datetime).notNull()
                table.primaryKey(["run", "field"])
            }
        }
        return migrator
    }

    public func load(run: String) throws -> [String: String] {
        try queue.read { db in
            var fields: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT field, value FROM report_field WHERE run = ?", arguments: [run]) {
                fields[row["field"]] = row["value"]
            }
            return fields
        }
    }

    public func save(run: String, level: String, field: String, value: String) throws {
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO report_field (run, level, field, value, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (run, field) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """, arguments: [run, level, field, value, Date()])
        }
    }

    /// Whether SQLite finds the file sound.
    public func integrityCheck() throws -> Bool {
        try queue.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" }
    }
}
