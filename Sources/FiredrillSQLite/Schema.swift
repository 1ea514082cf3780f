import FiredrillEngine
import FiredrillStore
import GRDB

/// The database's schema, as named migrations applied in order. A migration, once released, is
/// never edited: a change is a new migration.
///
/// Times are INTEGER milliseconds since 1970 (UTC), so that they compare exactly and an event
/// is unique to the millisecond. Events, submissions and scores need their run; document fields
/// do not (the console saves report fields of runs the command line created).
enum Schema {
    static let migrationCount = 5

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
        migrator.registerMigration("v2: players, runs, events, documents, submissions, scores") { db in
            try db.execute(sql: """
                CREATE TABLE player (
                    name TEXT NOT NULL PRIMARY KEY,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE run (
                    id TEXT NOT NULL PRIMARY KEY,
                    player TEXT NOT NULL REFERENCES player(name) ON UPDATE CASCADE,
                    level TEXT NOT NULL,
                    category TEXT NOT NULL,
                    difficulty INTEGER NOT NULL,
                    seed INTEGER,
                    state TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    live_at INTEGER,
                    mitigated_at INTEGER,
                    reported_at INTEGER,
                    closed_at INTEGER,
                    stopped_at INTEGER,
                    hints INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX run_by_player ON run(player, created_at);
                CREATE TABLE event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    time INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    UNIQUE (run, time, kind, detail)
                );
                CREATE TABLE document_field (
                    run TEXT NOT NULL,
                    document TEXT NOT NULL CHECK (document IN ('report', 'postmortem')),
                    level TEXT NOT NULL,
                    field TEXT NOT NULL,
                    value TEXT NOT NULL,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (run, document, field)
                );
                CREATE TABLE submission (
                    run TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    document TEXT NOT NULL CHECK (document IN ('report', 'postmortem')),
                    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'returned')),
                    submitted_at INTEGER NOT NULL,
                    comment TEXT,
                    reviewer TEXT,
                    reviewed_at INTEGER,
                    PRIMARY KEY (run, document)
                );
                CREATE INDEX submission_by_status ON submission(document, status, submitted_at);
                CREATE TABLE score (
                    run TEXT NOT NULL PRIMARY KEY REFERENCES run(id) ON DELETE CASCADE,
                    total INTEGER NOT NULL,
                    passed INTEGER NOT NULL,
                    lines TEXT NOT NULL,
                    computed_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3: report fields move to document fields") { db in
            // v1 kept updated_at as GRDB's UTC text ("yyyy-MM-dd HH:mm:ss.SSS").
            try db.execute(sql: """
                INSERT INTO document_field (run, document, level, field, value, updated_at)
                SELECT run, 'report', level, field, value,
                       CAST(ROUND((COALESCE(julianday(updated_at), julianday('now')) - 2440587.5) * 86400000.0) AS INTEGER)
                FROM report_field
                WHERE true
                ON CONFLICT (run, document, field) DO NOTHING;
                DROP TABLE report_field;
                """)
        }
        migrator.registerMigration("v4: event payloads") { db in
            try db.execute(sql: "ALTER TABLE event ADD COLUMN payload TEXT")
            // Events recorded before payloads get theirs from their detail, read once here.
            for row in try Row.fetchAll(db, sql: "SELECT id, kind, detail FROM event") {
                guard let payload = EventPayload(kind: row["kind"], legacyDetail: row["detail"]) else { continue }
                try db.execute(sql: "UPDATE event SET payload = ? WHERE id = ?",
                               arguments: [try StoredJSON.encode(payload), row["id"] as Int64])
            }
        }
        migrator.registerMigration("v5: report attempts, frozen at submission") { db in
            // Each submission of an incident report, with its fields and grades as they were.
            // A report submitted before attempts were kept becomes attempt 1: its fields frozen
            // here, its grades left to the game to give once, from those fields.
            try db.execute(sql: """
                CREATE TABLE report_attempt (
                    run TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL CHECK (number >= 1),
                    submitted_at INTEGER NOT NULL,
                    fields TEXT NOT NULL,
                    grades TEXT,
                    PRIMARY KEY (run, number)
                );
                INSERT INTO report_attempt (run, number, submitted_at, fields, grades)
                SELECT s.run, 1, s.submitted_at,
                       COALESCE((SELECT json_group_object(f.field, f.value) FROM document_field f
                                 WHERE f.run = s.run AND f.document = 'report'), '{}'),
                       NULL
                FROM submission s WHERE s.document = 'report';
                """)
        }
        return migrator
    }
}
