import FiredrillSQLite
import FiredrillStore
import Foundation
import GRDB
import Testing

@Suite struct Migrations {
    static let tables = ["document_field", "event", "player", "run", "score", "submission"]

    func tables(at url: URL) throws -> [String] {
        try DatabaseQueue(path: url.path).read { db in
            try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                ORDER BY name
                """)
        }
    }

    @Test func aNewFileGetsEveryTable() throws {
        let store = try temporaryStore()
        #expect(try tables(at: store.url) == Self.tables)
        #expect(try store.integrityCheck())
        let applied = try DatabaseQueue(path: store.url.path).read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        #expect(applied == ["v1: report fields", "v2: players, runs, events, documents, submissions, scores",
                            "v3: report fields move to document fields"])
    }

    /// A database as the first release of the store left it: v1 applied, reports in report_field.
    @Test func aVersionOneDatabaseKeepsItsReports() throws {
        let url = temporaryDatabase()
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try DatabaseQueue(path: url.path).write { db in
            try db.execute(sql: """
                PRAGMA journal_mode = WAL;
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations (identifier) VALUES ('v1: report fields');
                CREATE TABLE "report_field" ("run" TEXT NOT NULL, "level" TEXT NOT NULL, "field" TEXT NOT NULL,
                    "value" TEXT NOT NULL, "updated_at" DATETIME NOT NULL, PRIMARY KEY ("run", "field"));
                INSERT INTO report_field VALUES ('r1', 'cors', 'title', 'Preflight refused', '2026-11-25 23:33:02.123');
                INSERT INTO report_field VALUES ('r1', 'cors', 'impact', 'Téléversements 上传', '2026-11-25 23:34:00.000');
                INSERT INTO report_field VALUES ('r2', 'disk-full', 'title', 'Disk full', '2026-11-26 08:00:00.000');
                """)
        }

        let store = try SQLiteStore(url: url)
        #expect(try store.load(run: "r1") == ["title": "Preflight refused", "impact": "Téléversements 上传"])
        #expect(try store.fields(run: "r2", document: .report) == ["title": "Disk full"])
        #expect(try store.fields(run: "r1", document: .postmortem) == [:])
        #expect(try tables(at: url) == Self.tables, "report_field is gone once moved")

        let moved = try DatabaseQueue(path: url.path).read { db in
            try Row.fetchOne(db, sql: "SELECT level, updated_at FROM document_field WHERE run = 'r1' AND field = 'title'")
        }
        #expect(moved?["level"] == "cors")
        let updated: Int64? = moved?["updated_at"]
        #expect(updated == Int64((ISO8601DateFormatter().date(from: "2026-11-25T23:33:02Z")!.timeIntervalSince1970) * 1000) + 123)

        try store.save(run: "r1", level: "cors", field: "title", value: "Preflight refused for the SPA")
        #expect(try SQLiteStore(url: url).load(run: "r1")["title"] == "Preflight refused for the SPA")
        #expect(try store.integrityCheck())
    }
}
