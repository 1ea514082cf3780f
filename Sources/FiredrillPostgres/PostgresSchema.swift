import FiredrillEngine
import FiredrillStore
import Foundation

/// The class database's schema: the same steps as the embedded store's migrations, in
/// PostgreSQL's dialect, applied in order and recorded in `firedrill_migration`. A step, once
/// released, is never edited: a change is a new step.
///
/// Times are BIGINT milliseconds since 1970 (UTC), as in the embedded store, so both compare
/// and round the same way.
enum PostgresSchema {
    struct Step: Sendable {
        var version: Int
        var name: String
        var apply: @Sendable (Connection) throws -> Void
    }

    static let steps: [Step] = [
        Step(version: 1, name: "report fields") { db in
            try db.execute("""
                CREATE TABLE report_field (
                    run TEXT NOT NULL, level TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
                    updated_at BIGINT NOT NULL, PRIMARY KEY (run, field))
                """)
        },
        Step(version: 2, name: "players, runs, events, documents, submissions, scores") { db in
            try db.execute("""
                CREATE TABLE player (name TEXT NOT NULL PRIMARY KEY, created_at BIGINT NOT NULL)
                """)
            try db.execute("""
                CREATE TABLE run (
                    id TEXT NOT NULL PRIMARY KEY,
                    player TEXT NOT NULL REFERENCES player(name) ON UPDATE CASCADE,
                    level TEXT NOT NULL, category TEXT NOT NULL, difficulty INTEGER NOT NULL, seed BIGINT,
                    state TEXT NOT NULL, created_at BIGINT NOT NULL, live_at BIGINT, mitigated_at BIGINT,
                    reported_at BIGINT, closed_at BIGINT, stopped_at BIGINT, hints INTEGER NOT NULL DEFAULT 0,
                    position BIGSERIAL)
                """)
            try db.execute("CREATE INDEX run_by_player ON run(player, created_at)")
            try db.execute("""
                CREATE TABLE event (
                    id BIGSERIAL PRIMARY KEY,
                    run TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    time BIGINT NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL,
                    UNIQUE (run, time, kind, detail))
                """)
            try db.execute("""
                CREATE TABLE document_field (
                    run TEXT NOT NULL,
                    document TEXT NOT NULL CHECK (document IN ('report', 'postmortem')),
                    level TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, updated_at BIGINT NOT NULL,
                    PRIMARY KEY (run, document, field))
                """)
            try db.execute("""
                CREATE TABLE submission (
                    run TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    document TEXT NOT NULL CHECK (document IN ('report', 'postmortem')),
                    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'returned')),
                    submitted_at BIGINT NOT NULL, comment TEXT, reviewer TEXT, reviewed_at BIGINT,
                    PRIMARY KEY (run, document))
                """)
            try db.execute("CREATE INDEX submission_by_status ON submission(document, status, submitted_at)")
            try db.execute("""
                CREATE TABLE score (
                    run TEXT NOT NULL PRIMARY KEY REFERENCES run(id) ON DELETE CASCADE,
                    total INTEGER NOT NULL, passed BOOLEAN NOT NULL, lines TEXT NOT NULL, computed_at BIGINT NOT NULL)
                """)
        },
        Step(version: 3, name: "report fields move to document fields") { db in
            try db.execute("""
                INSERT INTO document_field (run, document, level, field, value, updated_at)
                SELECT run, 'report', level, field, value, updated_at FROM report_field
                ON CONFLICT (run, document, field) DO NOTHING
                """)
            try db.execute("DROP TABLE report_field")
        },
        Step(version: 4, name: "event payloads") { db in
            try db.execute("ALTER TABLE event ADD COLUMN payload TEXT")
            // Events recorded before payloads get theirs from their detail, read once here.
            for row in try db.execute("SELECT id, kind, detail FROM event").all {
                guard let kind = row["kind"], let detail = row["detail"],
                      let payload = EventPayload(kind: kind, legacyDetail: detail) else { continue }
                try db.execute("UPDATE event SET payload = $1 WHERE id = $2", [try StoredJSON.encode(payload), row["id"]])
            }
        },
        Step(version: 5, name: "report attempts, frozen at submission") { db in
            try db.execute("""
                CREATE TABLE report_attempt (
                    run TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL CHECK (number >= 1),
                    submitted_at BIGINT NOT NULL, fields TEXT NOT NULL, grades TEXT,
                    PRIMARY KEY (run, number))
                """)
            try db.execute("""
                INSERT INTO report_attempt (run, number, submitted_at, fields, grades)
                SELECT s.run, 1, s.submitted_at,
                       COALESCE((SELECT json_object_agg(f.field, f.value)::text FROM document_field f
                                 WHERE f.run = s.run AND f.document = 'report'), '{}'),
                       NULL
                FROM submission s WHERE s.document = 'report'
                """)
        },
        Step(version: 6, name: "class assignments and expected answers") { db in
            // A level and seed given to a player; the newest counts, older ones keep their runs valid.
            try db.execute("""
                CREATE TABLE assignment (
                    id BIGSERIAL PRIMARY KEY,
                    player TEXT NOT NULL, level TEXT NOT NULL, seed BIGINT NOT NULL, assigned_at BIGINT NOT NULL)
                """)
            try db.execute("CREATE INDEX assignment_by_player ON assignment(player, id)")
            // A run's expected answers: written by the trainee's engine, read by the instructor's grading.
            try db.execute("""
                CREATE TABLE expected_answer (
                    run TEXT NOT NULL PRIMARY KEY REFERENCES run(id) ON DELETE CASCADE,
                    sealed TEXT, captured TEXT NOT NULL, saved_at BIGINT NOT NULL)
                """)
        },
        Step(version: 7, name: "notifications of live changes") { db in
            // Every change to a run or what hangs off it tells the listeners of channel
            // `firedrill` which run of which player changed, and nothing more: any login may
            // LISTEN to any channel, whatever row-level security hides (see ClassFeed).
            // Identical payloads in one transaction reach a listener once.
            try db.execute("""
                CREATE FUNCTION firedrill_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    run_id TEXT;
                    player_name TEXT;
                BEGIN
                    IF TG_TABLE_NAME = 'run' THEN
                        run_id := NEW.id;
                        player_name := NEW.player;
                    ELSE
                        run_id := NEW.run;
                        SELECT r.player INTO player_name FROM run r WHERE r.id = NEW.run;
                    END IF;
                    PERFORM pg_notify('\(ClassFeed.channel)',
                        json_build_object('table', TG_TABLE_NAME, 'run', run_id, 'player', player_name)::text);
                    RETURN NULL;
                END
                $$
                """)
            for table in ClassFeed.tables {
                try db.execute("""
                    CREATE TRIGGER \(table)_notify AFTER INSERT OR UPDATE ON \(table)
                    FOR EACH ROW EXECUTE FUNCTION firedrill_notify()
                    """)
            }
        },
    ]

    /// Applies the steps this build knows and the database has not had, each in its own
    /// transaction. Two processes migrating at once queue on an advisory lock.
    static func migrate(_ db: Connection, upTo last: Int = Int.max) throws {
        // Up to date needs no lock and no right to create tables (a class's trainees have none).
        if try db.execute("SELECT to_regclass('firedrill_migration') IS NOT NULL AS present").first?["present"] == "t",
           Set(try applied(db)).isSuperset(of: steps.map(\.version).filter { $0 <= last }) {
            return
        }
        try db.execute("SELECT pg_advisory_lock(\(lockKey))")
        defer { _ = try? db.execute("SELECT pg_advisory_unlock(\(lockKey))") }
        try db.execute("""
            CREATE TABLE IF NOT EXISTS firedrill_migration (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """)
        for step in steps where step.version <= last {
            try db.transaction {
                let done = try db.execute("SELECT 1 FROM firedrill_migration WHERE version = $1", [String(step.version)]).count > 0
                guard !done else { return }
                try step.apply(db)
                try db.execute("INSERT INTO firedrill_migration (version, name) VALUES ($1, $2)", [String(step.version), step.name])
            }
        }
    }

    /// The advisory lock migrations hold ("firedrill" in ASCII, as a number).
    static let lockKey: Int64 = 0x6669_7265_6472_696C

    /// The versions applied, in order.
    static func applied(_ db: Connection) throws -> [Int] {
        try db.execute("SELECT version FROM firedrill_migration ORDER BY version").all.compactMap { $0.int("version").map(Int.init) }
    }
}
