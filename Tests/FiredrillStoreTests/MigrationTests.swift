import FiredrillEngine
import FiredrillRules
import FiredrillStore
import Foundation
import GRDB
import Testing
@testable import FiredrillSQLite

@Suite struct Migrations {
    static let tables = ["document_field", "event", "player", "report_attempt", "run", "score", "submission"]

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
                            "v3: report fields move to document fields", "v4: event payloads",
                            "v5: report attempts, frozen at submission"])
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

    /// A database as v3 left it, events without payloads, and the score saved then: v4 reads the
    /// payloads from the details once, and the run scores the same from them.
    @Test func aVersionThreeDatabaseGetsItsEventsPayloads() throws {
        let url = temporaryDatabase()
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: url.path)
        try Schema.migrator.migrate(queue, upTo: "v3: report fields move to document fields")
        // The worked example of docs/scoring.md, as the engine and the store wrote it then.
        let start: Int64 = 1_795_000_000_000
        let events: [(Int64, String, String)] = [
            (-45, "booting", "level schema-lock"), (0, "live", "fault live"), (60, "shell", "shell on db"),
            (90, "command", "db: SHOW PROCESSLIST;"), (120, "check", "api-answers passed"), (480, "hint", "hint 1 revealed"),
            (780, "costly", "database-restarted: Restarted the whole database server to end one session"),
            (1080, "verify", "not solved 2/3 (passed: api-answers, blocker-ended)"),
            (1680, "mitigated", "every objective holds"), (1740, "verify", "solved 3/3"), (1800, "reported", "report submitted"),
        ]
        let before = ScoreCard(lines: [
            ScoreLine(label: "Mitigated", points: 300), ScoreLine(label: "Objectives 3/3 at the best verify", points: 200),
            ScoreLine(label: "Time against par 28:00 / 20:00", points: 160), ScoreLine(label: "Hints 1 × -40", points: -40),
            ScoreLine(label: "Blast radius 1 × -150", points: -150), ScoreLine(label: "Report 2/3 answers correct", points: 217),
            ScoreLine(label: "Difficulty 2 ×1.5", points: 344),
        ], total: 1031, passed: true)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO player (name, created_at) VALUES ('ada', ?);
                INSERT INTO run (id, player, level, category, difficulty, state, created_at) VALUES ('r1', 'ada', 'schema-lock', 'database', 2, 'stopped', ?);
                """, arguments: [start, start])
            for (seconds, kind, detail) in events {
                try db.execute(sql: "INSERT INTO event (run, time, kind, detail) VALUES ('r1', ?, ?, ?)",
                               arguments: [start + seconds * 1000, kind, detail])
            }
            let lines = String(decoding: try JSONEncoder().encode(before.lines), as: UTF8.self)
            try db.execute(sql: "INSERT INTO score (run, total, passed, lines, computed_at) VALUES ('r1', 1031, 1, ?, ?)",
                           arguments: [lines, start + 1_800_000])
        }
        try queue.close()

        let store = try SQLiteStore(url: url)
        let migrated = try store.events(run: "r1")
        #expect(migrated.map(\.detail) == events.map(\.2), "the details stay as they were")
        #expect(migrated.compactMap(\.payload) == [
            .shell(instance: "db", command: nil), .command(instance: "db", command: "SHOW PROCESSLIST;"),
            .check(objective: "api-answers", passed: true), .hint(number: 1),
            .costly(fix: "database-restarted", title: "Restarted the whole database server to end one session"),
            .verify(solved: false, passed: ["api-answers", "blocker-ended"], total: 3), .verify(solved: true, passed: [], total: 3),
        ])
        let level = LevelFacts(id: "schema-lock", category: .database, difficulty: 2, par: 1200, objectives: 3, questions: 3)
        let grades = (0..<3).map { QuestionGrade(id: "q\($0)", ask: "?", given: "x", correct: $0 < 2) }
        let after = Scoring.score(level: level, events: migrated, grades: grades, reportSubmitted: true)
        #expect(try store.score(run: "r1") == before)
        #expect(after == before)
        // Without the payloads the migration filled, the same events would score less.
        let bare = migrated.map { RunEvent(time: $0.time, kind: $0.kind, detail: $0.detail) }
        #expect(Scoring.score(level: level, events: bare, grades: grades, reportSubmitted: true).total < before.total)
        #expect(try store.integrityCheck())
    }

    /// A database as v4 left it on a real file, one report submitted and one still a draft: v5
    /// makes the submitted one attempt 1, its fields frozen as they were, its grades to be given.
    @Test func aVersionFourDatabaseFreezesItsSubmittedReports() throws {
        let url = temporaryDatabase()
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: url.path)
        try Schema.migrator.migrate(queue, upTo: "v4: event payloads")
        let start: Int64 = 1_795_000_000_000
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO player (name, created_at) VALUES ('ada', ?);
                INSERT INTO run (id, player, level, category, difficulty, state, created_at) VALUES ('r1', 'ada', 'payload-too-large', 'http', 1, 'stopped', ?);
                INSERT INTO run (id, player, level, category, difficulty, state, created_at) VALUES ('r2', 'ada', 'cors', 'http', 2, 'live', ?);
                INSERT INTO document_field (run, document, level, field, value, updated_at) VALUES
                    ('r1', 'report', 'payload-too-large', 'title', 'Uploads rejected', ?),
                    ('r1', 'report', 'payload-too-large', 'q.proxy-status', '413', ?),
                    ('r1', 'postmortem', 'payload-too-large', 'summary', 'Not part of the report', ?),
                    ('r2', 'report', 'cors', 'title', 'A draft', ?);
                INSERT INTO submission (run, document, status, submitted_at) VALUES ('r1', 'report', 'submitted', ?);
                """, arguments: [start, start, start, start, start, start, start, start + 60_000])
        }
        try queue.close()

        let store = try SQLiteStore(url: url)
        #expect(try tables(at: url) == Self.tables)
        let attempts = try store.attempts(run: "r1")
        #expect(attempts == [ReportAttempt(run: "r1", number: 1, submittedAt: StoredTime.date(start + 60_000),
                                           fields: ["title": "Uploads rejected", "q.proxy-status": "413"], grades: nil)])
        #expect(try store.attempts(run: "r2") == [])
        // Frozen: the submitted report's fields are refused, the draft's still saved.
        #expect(throws: StoreError.reportSubmitted(run: "r1")) {
            try store.saveField(run: "r1", level: "payload-too-large", document: .report, field: "q.proxy-status", value: "502")
        }
        try store.saveField(run: "r2", level: "cors", document: .report, field: "title", value: "Still a draft")
        #expect(try store.fields(run: "r2", document: .report)["title"] == "Still a draft")
        #expect(try store.integrityCheck())
    }
}
