import FiredrillEngine
import FiredrillRules
import FiredrillStore
import Foundation

/// The game's database on a PostgreSQL server, for a class whose trainees play on their own
/// machines: the same `GameStore` as the embedded SQLite store, the same schema steps, one
/// transaction per write. A connection that breaks is opened again with backoff before the next
/// statement; a server away for longer than that is an error the caller sees.
public final class PostgresStore: GameStore, @unchecked Sendable {
    private let lock = NSLock()
    private let db: Connection

    /// Connects (a `postgresql://` URL or libpq's `key=value` string) and applies the schema.
    public init(url: String, patience: Double = 5) throws {
        db = try Connection(url: url, patience: patience)
        try PostgresSchema.migrate(db)
    }

    init(connection: Connection) { db = connection }

    /// Which class a connection string names, without its password: "user@host:port/database"
    /// (what is not given is left empty).
    public static func identity(url: String) throws -> String {
        let values = try Connection.options(url)
        let host = values["host"] ?? values["hostaddr"] ?? ""
        return "\(values["user"] ?? "")@\(host):\(values["port"] ?? "")/\(values["dbname"] ?? "")"
    }

    @discardableResult
    func write<T>(_ body: (Connection) throws -> T) throws -> T {
        try lock.withLock { try db.transaction { try body(db) } }
    }

    func read<T>(_ body: (Connection) throws -> T) throws -> T {
        try lock.withLock { try body(db) }
    }

    static func ms(_ date: Date?) -> String? { date.map { String(StoredTime.milliseconds($0)) } }
    static func date(_ row: Rows.Row, _ column: String) -> Date? { row.int(column).map(StoredTime.date) }
}

// Players and runs.
extension PostgresStore {
    public func ensurePlayer(_ name: String) throws {
        try write { db in try Self.insertPlayer(name, db) }
    }

    public func players() throws -> [String] {
        try read { db in try db.execute("SELECT name FROM player ORDER BY name COLLATE \"C\"").all.compactMap { $0["name"] } }
    }

    public func upsertRun(_ run: StoredRun) throws {
        let times = [run.liveAt, run.mitigatedAt, run.reportedAt, run.closedAt, run.stoppedAt].map(Self.ms)
        let seed = run.seed.map { String(Int64(bitPattern: $0)) }
        try write { db in
            if try Self.runExists(run.id, db) {
                try db.execute("""
                    UPDATE run SET level = $1, category = $2, difficulty = $3, seed = COALESCE($4, seed), state = $5,
                        live_at = COALESCE($6, live_at), mitigated_at = COALESCE($7, mitigated_at),
                        reported_at = COALESCE($8, reported_at), closed_at = COALESCE($9, closed_at),
                        stopped_at = COALESCE($10, stopped_at), hints = $11
                    WHERE id = $12
                    """, [run.level, run.category.rawValue, String(run.difficulty), seed, run.state] + times
                        + [String(run.hintsRevealed), run.id])
            } else {
                try Self.insertPlayer(run.player, db)
                try db.execute("""
                    INSERT INTO run (id, player, level, category, difficulty, seed, state, created_at,
                        live_at, mitigated_at, reported_at, closed_at, stopped_at, hints)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                    """, [run.id, run.player, run.level, run.category.rawValue, String(run.difficulty), seed, run.state,
                          Self.ms(run.createdAt)] + times + [String(run.hintsRevealed)])
            }
        }
    }

    public func run(_ id: String) throws -> StoredRun? {
        try read { db in try db.execute("SELECT * FROM run WHERE id = $1", [id]).first.map(Self.storedRun) }
    }

    public func runs(player: String?) throws -> [StoredRun] {
        try read { db in
            let rows = if let player {
                try db.execute("SELECT * FROM run WHERE player = $1 ORDER BY created_at, position", [player])
            } else {
                try db.execute("SELECT * FROM run ORDER BY created_at, position")
            }
            return try rows.all.map(Self.storedRun)
        }
    }

    static func insertPlayer(_ name: String, _ db: Connection) throws {
        try db.execute("INSERT INTO player (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                       [name, ms(Date())])
    }

    static func runExists(_ id: String, _ db: Connection) throws -> Bool {
        try db.execute("SELECT 1 FROM run WHERE id = $1", [id]).count > 0
    }

    static func requireRun(_ id: String, _ db: Connection) throws {
        guard try runExists(id, db) else { throw StoreError.noSuchRun(id) }
    }

    static func storedRun(_ row: Rows.Row) throws -> StoredRun {
        let id = row["id"] ?? "?"
        guard let categoryName = row["category"], let category = Category(rawValue: categoryName) else {
            throw StoreError.unreadable("category \(row["category"] ?? "NULL") of run \(id)")
        }
        guard let player = row["player"], let level = row["level"], let difficulty = row.int("difficulty"),
              let state = row["state"], let created = date(row, "created_at"), let hints = row.int("hints") else {
            throw StoreError.unreadable("run \(id)")
        }
        return StoredRun(
            id: id, player: player, level: level, category: category, difficulty: Int(difficulty),
            seed: row.int("seed").map { UInt64(bitPattern: $0) }, state: state, createdAt: created,
            liveAt: date(row, "live_at"), mitigatedAt: date(row, "mitigated_at"), reportedAt: date(row, "reported_at"),
            closedAt: date(row, "closed_at"), stoppedAt: date(row, "stopped_at"), hintsRevealed: Int(hints))
    }
}

// Events.
extension PostgresStore {
    @discardableResult
    public func append(_ events: [RunEvent], run: String) throws -> Int {
        try write { db in
            try Self.requireRun(run, db)
            var added = 0
            for event in events where try Self.insertEvent(event, run: run, db) { added += 1 }
            return added
        }
    }

    public func events(run: String) throws -> [RunEvent] {
        try read { db in
            try db.execute("SELECT time, kind, detail, payload FROM event WHERE run = $1 ORDER BY time, id", [run]).all.map { row in
                guard let time = Self.date(row, "time"), let kind = row["kind"], let detail = row["detail"] else {
                    throw StoreError.unreadable("an event of run \(run)")
                }
                return RunEvent(time: time, kind: kind, detail: detail, payload: try StoredJSON.payload(row["payload"], run: run))
            }
        }
    }

    /// Whether the event was new.
    static func insertEvent(_ event: RunEvent, run: String, _ db: Connection) throws -> Bool {
        try db.execute("""
            INSERT INTO event (run, time, kind, detail, payload) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (run, time, kind, detail) DO NOTHING RETURNING id
            """, [run, ms(event.time), event.kind, event.detail, try event.payload.map(StoredJSON.encode)]).count == 1
    }
}

// Documents, submissions and reviews.
extension PostgresStore {
    public func fields(run: String, document: Document) throws -> [String: String] {
        try read { db in
            var fields: [String: String] = [:]
            for row in try db.execute("SELECT field, value FROM document_field WHERE run = $1 AND document = $2", [run, document.rawValue]).all {
                if let field = row["field"] { fields[field] = row["value"] ?? "" }
            }
            return fields
        }
    }

    public func saveField(run: String, level: String, document: Document, field: String, value: String) throws {
        try write { db in
            if document == .report,
               try db.execute("SELECT 1 FROM submission WHERE run = $1 AND document = 'report'", [run]).count > 0 {
                throw StoreError.reportSubmitted(run: run)
            }
            try db.execute("""
                INSERT INTO document_field (run, document, level, field, value, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (run, document, field) DO UPDATE SET level = excluded.level, value = excluded.value,
                    updated_at = excluded.updated_at
                """, [run, document.rawValue, level, field, value, Self.ms(Date())])
        }
    }

    @discardableResult
    public func submitReport(run: String, fields: [String: String], grades: [QuestionGrade]?, at: Date) throws -> Int {
        let fieldsJSON = try StoredJSON.encode(fields), gradesJSON = try grades.map(StoredJSON.encode)
        return try write { db in
            try Self.requireRun(run, db)
            // The run's row is locked so that two submissions number their attempts one after the other.
            try db.execute("SELECT 1 FROM run WHERE id = $1 FOR UPDATE", [run])
            let last = try db.execute("SELECT MAX(number) AS number FROM report_attempt WHERE run = $1", [run]).first?.int("number") ?? 0
            let number = Int(last) + 1
            try db.execute("INSERT INTO report_attempt (run, number, submitted_at, fields, grades) VALUES ($1, $2, $3, $4, $5)",
                           [run, String(number), Self.ms(at), fieldsJSON, gradesJSON])
            try Self.submit(run: run, document: .report, at: at, db)
            return number
        }
    }

    public func attempts(run: String) throws -> [ReportAttempt] {
        let rows = try read { db in
            try db.execute("SELECT number, submitted_at, fields, grades FROM report_attempt WHERE run = $1 ORDER BY number", [run]).all
        }
        return try rows.map { row in
            let number = Int(row.int("number") ?? 0)
            guard let submitted = Self.date(row, "submitted_at") else { throw StoreError.unreadable("report attempt \(number) of run \(run)") }
            let fields = try StoredJSON.decode([String: String].self, row["fields"], what: "fields of report attempt \(number) of run \(run)")
            let grades = try row["grades"].map {
                try StoredJSON.decode([QuestionGrade].self, $0, what: "grades of report attempt \(number) of run \(run)")
            }
            return ReportAttempt(run: run, number: number, submittedAt: submitted, fields: fields, grades: grades)
        }
    }

    public func submit(run: String, document: Document, at: Date) throws {
        try write { db in try Self.submit(run: run, document: document, at: at, db) }
    }

    static func submit(run: String, document: Document, at: Date, _ db: Connection) throws {
        try requireRun(run, db)
        try db.execute("""
            INSERT INTO submission (run, document, status, submitted_at) VALUES ($1, $2, 'submitted', $3)
            ON CONFLICT (run, document) DO UPDATE SET status = 'submitted', submitted_at = excluded.submitted_at,
                comment = NULL, reviewer = NULL, reviewed_at = NULL
            """, [run, document.rawValue, ms(at)])
        let (kind, column) = switch document {
        case .report: (EventKind.reported, "reported_at")
        case .postmortem: (EventKind.postmortem, "closed_at")
        }
        _ = try insertEvent(RunEvent(time: at, kind: kind, detail: "\(document.rawValue) submitted"), run: run, db)
        try db.execute("UPDATE run SET \(column) = COALESCE(\(column), $1) WHERE id = $2", [ms(at), run])
    }

    public func submission(run: String, document: Document) throws -> Submission? {
        try read { db in
            try db.execute("SELECT * FROM submission WHERE run = $1 AND document = $2", [run, document.rawValue]).first.map(Self.submission)
        }
    }

    public func submissions(document: Document, status: ReviewStatus?) throws -> [Submission] {
        try read { db in
            let rows = if let status {
                try db.execute("SELECT * FROM submission WHERE document = $1 AND status = $2 ORDER BY submitted_at DESC, run COLLATE \"C\" DESC",
                               [document.rawValue, status.rawValue])
            } else {
                try db.execute("SELECT * FROM submission WHERE document = $1 ORDER BY submitted_at DESC, run COLLATE \"C\" DESC", [document.rawValue])
            }
            return try rows.all.map(Self.submission)
        }
    }

    public func review(run: String, document: Document, approve: Bool, comment: String, reviewer: String, at: Date) throws {
        try write { db in
            let status = try db.execute("SELECT status FROM submission WHERE run = $1 AND document = $2 FOR UPDATE",
                                        [run, document.rawValue]).first?["status"]
            guard status == ReviewStatus.submitted.rawValue else { throw StoreError.notSubmitted(run: run, document: document) }
            let verdict: ReviewStatus = approve ? .approved : .returned
            try db.execute("""
                UPDATE submission SET status = $1, comment = $2, reviewer = $3, reviewed_at = $4 WHERE run = $5 AND document = $6
                """, [verdict.rawValue, comment.isEmpty ? nil : comment, reviewer, Self.ms(at), run, document.rawValue])
        }
    }

    static func submission(_ row: Rows.Row) throws -> Submission {
        guard let run = row["run"], let documentName = row["document"], let statusName = row["status"],
              let document = Document(rawValue: documentName), let status = ReviewStatus(rawValue: statusName),
              let submitted = date(row, "submitted_at") else {
            throw StoreError.unreadable("submission \(row["document"] ?? "?") \(row["status"] ?? "?") of run \(row["run"] ?? "?")")
        }
        return Submission(run: run, document: document, status: status, submittedAt: submitted,
                          comment: row["comment"], reviewer: row["reviewer"], reviewedAt: date(row, "reviewed_at"))
    }
}

// Scores.
extension PostgresStore {
    public func saveScore(run: String, card: ScoreCard, at: Date) throws {
        let lines = try StoredJSON.encode(card.lines)
        try write { db in
            try Self.requireRun(run, db)
            try db.execute("""
                INSERT INTO score (run, total, passed, lines, computed_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (run) DO UPDATE SET total = excluded.total, passed = excluded.passed, lines = excluded.lines,
                    computed_at = excluded.computed_at
                """, [run, String(card.total), card.passed ? "true" : "false", lines, Self.ms(at)])
        }
    }

    public func score(run: String) throws -> ScoreCard? {
        guard let row = try read({ db in try db.execute("SELECT total, passed, lines FROM score WHERE run = $1", [run]).first }) else { return nil }
        let lines = try StoredJSON.decode([ScoreLine].self, row["lines"], what: "score lines of run \(run)")
        guard let total = row.int("total") else { throw StoreError.unreadable("score of run \(run)") }
        return ScoreCard(lines: lines, total: Int(total), passed: row["passed"] == "t")
    }
}
