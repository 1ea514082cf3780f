import FiredrillEngine
import FiredrillRules
import FiredrillStore
import Foundation
import GRDB

// Players and runs.
extension SQLiteStore {
    public func ensurePlayer(_ name: String) throws {
        try write { db in try Self.insertPlayer(name, db) }
    }

    public func players() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT name FROM player ORDER BY name") }
    }

    public func upsertRun(_ run: StoredRun) throws {
        try write { db in
            let times: [Int64?] = [run.liveAt, run.mitigatedAt, run.reportedAt, run.closedAt, run.stoppedAt].map { $0.map(StoredTime.milliseconds) }
            let seed = run.seed.map { Int64(bitPattern: $0) }
            if try Self.runExists(run.id, db) {
                try db.execute(sql: """
                    UPDATE run SET level = ?, category = ?, difficulty = ?, seed = COALESCE(?, seed), state = ?,
                        live_at = COALESCE(?, live_at), mitigated_at = COALESCE(?, mitigated_at),
                        reported_at = COALESCE(?, reported_at), closed_at = COALESCE(?, closed_at),
                        stopped_at = COALESCE(?, stopped_at), hints = ?
                    WHERE id = ?
                    """, arguments: StatementArguments([run.level, run.category.rawValue, run.difficulty, seed, run.state] as [(any DatabaseValueConvertible)?])
                        + StatementArguments(times) + [run.hintsRevealed, run.id])
            } else {
                try Self.insertPlayer(run.player, db)
                try db.execute(sql: """
                    INSERT INTO run (id, player, level, category, difficulty, seed, state, created_at,
                        live_at, mitigated_at, reported_at, closed_at, stopped_at, hints)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: StatementArguments([run.id, run.player, run.level, run.category.rawValue, run.difficulty, seed,
                                                        run.state, StoredTime.milliseconds(run.createdAt)] as [(any DatabaseValueConvertible)?])
                        + StatementArguments(times) + [run.hintsRevealed])
            }
        }
    }

    public func run(_ id: String) throws -> StoredRun? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]).map(Self.storedRun)
        }
    }

    public func runs(player: String?) throws -> [StoredRun] {
        try read { db in
            let rows = if let player {
                try Row.fetchAll(db, sql: "SELECT * FROM run WHERE player = ? ORDER BY created_at, rowid", arguments: [player])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY created_at, rowid")
            }
            return try rows.map(Self.storedRun)
        }
    }

    static func insertPlayer(_ name: String, _ db: Database) throws {
        try db.execute(sql: "INSERT INTO player (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                       arguments: [name, StoredTime.milliseconds(Date())])
    }

    static func runExists(_ id: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM run WHERE id = ?)", arguments: [id]) ?? false
    }

    static func requireRun(_ id: String, _ db: Database) throws {
        guard try runExists(id, db) else { throw StoreError.noSuchRun(id) }
    }

    static func storedRun(_ row: Row) throws -> StoredRun {
        let categoryName: String = row["category"]
        guard let category = Category(rawValue: categoryName) else {
            throw StoreError.unreadable("category \(categoryName) of run \(row["id"] as String)")
        }
        let seed: Int64? = row["seed"]
        return StoredRun(
            id: row["id"], player: row["player"], level: row["level"], category: category, difficulty: row["difficulty"],
            seed: seed.map { UInt64(bitPattern: $0) }, state: row["state"], createdAt: StoredTime.date(row["created_at"]),
            liveAt: date(row, "live_at"), mitigatedAt: date(row, "mitigated_at"), reportedAt: date(row, "reported_at"),
            closedAt: date(row, "closed_at"), stoppedAt: date(row, "stopped_at"), hintsRevealed: row["hints"])
    }

    static func date(_ row: Row, _ column: String) -> Date? {
        (row[column] as Int64?).map(StoredTime.date)
    }
}

// Events.
extension SQLiteStore {
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
            try Row.fetchAll(db, sql: "SELECT time, kind, detail, payload FROM event WHERE run = ? ORDER BY time, id", arguments: [run]).map { row in
                RunEvent(time: StoredTime.date(row["time"]), kind: row["kind"], detail: row["detail"],
                         payload: try StoredJSON.payload(row["payload"], run: run))
            }
        }
    }

    /// Whether the event was new.
    static func insertEvent(_ event: RunEvent, run: String, _ db: Database) throws -> Bool {
        try db.execute(sql: """
            INSERT INTO event (run, time, kind, detail, payload) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (run, time, kind, detail) DO NOTHING
            """, arguments: [run, StoredTime.milliseconds(event.time), event.kind, event.detail, try event.payload.map(StoredJSON.encode)])
        return db.changesCount == 1
    }
}

// Documents, submissions and reviews.
extension SQLiteStore {
    public func fields(run: String, document: Document) throws -> [String: String] {
        try read { db in
            var fields: [String: String] = [:]
            let rows = try Row.fetchAll(db, sql: "SELECT field, value FROM document_field WHERE run = ? AND document = ?",
                                        arguments: [run, document.rawValue])
            for row in rows { fields[row["field"]] = row["value"] }
            return fields
        }
    }

    public func saveField(run: String, level: String, document: Document, field: String, value: String) throws {
        try write { db in
            if document == .report,
               try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM submission WHERE run = ? AND document = 'report')", arguments: [run]) == true {
                throw StoreError.reportSubmitted(run: run)
            }
            try db.execute(sql: """
                INSERT INTO document_field (run, document, level, field, value, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (run, document, field) DO UPDATE SET level = excluded.level, value = excluded.value,
                    updated_at = excluded.updated_at
                """, arguments: [run, document.rawValue, level, field, value, StoredTime.milliseconds(Date())])
        }
    }

    @discardableResult
    public func submitReport(run: String, fields: [String: String], grades: [QuestionGrade]?, at: Date) throws -> Int {
        let fieldsJSON = try StoredJSON.encode(fields), gradesJSON = try grades.map(StoredJSON.encode)
        return try write { db in
            try Self.requireRun(run, db)
            let number = (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM report_attempt WHERE run = ?", arguments: [run]) ?? 0) + 1
            try db.execute(sql: "INSERT INTO report_attempt (run, number, submitted_at, fields, grades) VALUES (?, ?, ?, ?, ?)",
                           arguments: [run, number, StoredTime.milliseconds(at), fieldsJSON, gradesJSON])
            try Self.submit(run: run, document: .report, at: at, db)
            return number
        }
    }

    public func attempts(run: String) throws -> [ReportAttempt] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT number, submitted_at, fields, grades FROM report_attempt WHERE run = ? ORDER BY number", arguments: [run])
        }
        return try rows.map { row in
            let number: Int = row["number"]
            let fields = try StoredJSON.decode([String: String].self, row["fields"], what: "fields of report attempt \(number) of run \(run)")
            let grades = try (row["grades"] as String?).map {
                try StoredJSON.decode([QuestionGrade].self, $0, what: "grades of report attempt \(number) of run \(run)")
            }
            return ReportAttempt(run: run, number: number, submittedAt: StoredTime.date(row["submitted_at"]), fields: fields, grades: grades)
        }
    }

    public func submit(run: String, document: Document, at: Date) throws {
        try write { db in try Self.submit(run: run, document: document, at: at, db) }
    }

    static func submit(run: String, document: Document, at: Date, _ db: Database) throws {
        let time = StoredTime.milliseconds(at)
        try requireRun(run, db)
        try db.execute(sql: """
            INSERT INTO submission (run, document, status, submitted_at) VALUES (?, ?, 'submitted', ?)
            ON CONFLICT (run, document) DO UPDATE SET status = 'submitted', submitted_at = excluded.submitted_at,
                comment = NULL, reviewer = NULL, reviewed_at = NULL
            """, arguments: [run, document.rawValue, time])
        let (kind, column) = switch document {
        case .report: (EventKind.reported, "reported_at")
        case .postmortem: (EventKind.postmortem, "closed_at")
        }
        _ = try insertEvent(RunEvent(time: at, kind: kind, detail: "\(document.rawValue) submitted"), run: run, db)
        try db.execute(sql: "UPDATE run SET \(column) = COALESCE(\(column), ?) WHERE id = ?", arguments: [time, run])
    }

    public func submission(run: String, document: Document) throws -> Submission? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM submission WHERE run = ? AND document = ?", arguments: [run, document.rawValue])
                .map(Self.submission)
        }
    }

    public func submissions(document: Document, status: ReviewStatus?) throws -> [Submission] {
        try read { db in
            let rows = if let status {
                try Row.fetchAll(db, sql: """
                    SELECT * FROM submission WHERE document = ? AND status = ? ORDER BY submitted_at DESC, run DESC
                    """, arguments: [document.rawValue, status.rawValue])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM submission WHERE document = ? ORDER BY submitted_at DESC, run DESC",
                                 arguments: [document.rawValue])
            }
            return try rows.map(Self.submission)
        }
    }

    public func review(run: String, document: Document, approve: Bool, comment: String, reviewer: String, at: Date) throws {
        try write { db in
            let status = try String.fetchOne(db, sql: "SELECT status FROM submission WHERE run = ? AND document = ?",
                                             arguments: [run, document.rawValue])
            guard status == ReviewStatus.submitted.rawValue else { throw StoreError.notSubmitted(run: run, document: document) }
            let verdict: ReviewStatus = approve ? .approved : .returned
            try db.execute(sql: """
                UPDATE submission SET status = ?, comment = ?, reviewer = ?, reviewed_at = ? WHERE run = ? AND document = ?
                """, arguments: [verdict.rawValue, comment.isEmpty ? nil : comment, reviewer, StoredTime.milliseconds(at),
                                 run, document.rawValue])
        }
    }

    static func submission(_ row: Row) throws -> Submission {
        let documentName: String = row["document"], statusName: String = row["status"]
        guard let document = Document(rawValue: documentName), let status = ReviewStatus(rawValue: statusName) else {
            throw StoreError.unreadable("submission \(documentName) \(statusName) of run \(row["run"] as String)")
        }
        return Submission(run: row["run"], document: document, status: status, submittedAt: StoredTime.date(row["submitted_at"]),
                          comment: row["comment"], reviewer: row["reviewer"], reviewedAt: date(row, "reviewed_at"))
    }
}

// Scores.
extension SQLiteStore {
    public func saveScore(run: String, card: ScoreCard, at: Date) throws {
        let lines = try StoredJSON.encode(card.lines)
        try write { db in
            try Self.requireRun(run, db)
            try db.execute(sql: """
                INSERT INTO score (run, total, passed, lines, computed_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (run) DO UPDATE SET total = excluded.total, passed = excluded.passed, lines = excluded.lines,
                    computed_at = excluded.computed_at
                """, arguments: [run, card.total, card.passed, lines, StoredTime.milliseconds(at)])
        }
    }

    public func score(run: String) throws -> ScoreCard? {
        guard let row = try read({ db in try Row.fetchOne(db, sql: "SELECT total, passed, lines FROM score WHERE run = ?", arguments: [run]) })
        else { return nil }
        let lines = try StoredJSON.decode([ScoreLine].self, row["lines"], what: "score lines of run \(run)")
        return ScoreCard(lines: lines, total: row["total"], passed: row["passed"])
    }
}
