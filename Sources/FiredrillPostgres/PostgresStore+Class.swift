import FiredrillEngine
import FiredrillRules
import FiredrillStore
import Foundation

// A class: assignments, expected answers and the instructor's grades (`ClassRoles` decides
// which login may do what).
extension PostgresStore: ClassStore {
    public func trainee() throws -> String? {
        try read { db in
            let login = try Self.login(db)
            return login.trainee ? login.login : nil
        }
    }

    public func isInstructor() throws -> Bool {
        try read { db in
            let group = try db.execute("SELECT 1 FROM pg_roles WHERE rolname = current_database() || '_trainee'").count > 0
            return try group && !Self.login(db).trainee
        }
    }

    /// Who a connection string logs in as, and whether that login is one of the class's trainees
    /// (a member of `<database>_trainee`), checked without touching the schema.
    public static func login(url: String, patience: Double = 2) throws -> (login: String, database: String, trainee: Bool) {
        try login(Connection(url: url, patience: patience))
    }

    static func login(_ db: Connection) throws -> (login: String, database: String, trainee: Bool) {
        let row = try db.execute("""
            SELECT current_user AS login, current_database() AS database, EXISTS (
                SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
                WHERE g.rolname = current_database() || '_trainee' AND r.rolname = current_user) AS trainee
            """).first
        return (row?["login"] ?? "?", row?["database"] ?? "?", row?["trainee"] == "t")
    }

    public func assignment(player: String) throws -> ClassAssignment? {
        try read { db in
            try db.execute("SELECT * FROM assignment WHERE player = $1 ORDER BY id DESC LIMIT 1", [player]).first.map(Self.assignment)
        }
    }

    @discardableResult
    public func assign(level: String, seed: UInt64?, to players: [String], at: Date) throws -> [ClassAssignment] {
        try write { db in
            try players.map { player in
                // The store draws each trainee's seed, as the engine does (1 to 999 999): trainees
                // sitting side by side get different incidents, so a report cannot be passed along.
                let drawn = try seed.map { String(Int64(bitPattern: $0)) }
                    ?? db.execute("SELECT (1 + floor(random() * 999999))::bigint AS seed").first?["seed"]
                try Self.insertPlayer(player, db)
                guard let row = try db.execute("""
                    INSERT INTO assignment (player, level, seed, assigned_at) VALUES ($1, $2, $3, $4) RETURNING *
                    """, [player, level, drawn, Self.ms(at)]).first else { throw StoreError.unreadable("assignment of \(player)") }
                return try Self.assignment(row)
            }
        }
    }

    public func saveExpectedAnswers(run: String, _ answers: ExpectedAnswers) throws {
        let sealed = try answers.sealed.map(StoredJSON.encode), captured = try StoredJSON.encode(answers.captured)
        try write { db in
            try db.execute("""
                INSERT INTO expected_answer (run, sealed, captured, saved_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
                """, [run, sealed, captured, Self.ms(Date())])
        }
    }

    public func expectedAnswers(run: String) throws -> ExpectedAnswers? {
        guard let row = try read({ db in try db.execute("SELECT sealed, captured FROM expected_answer WHERE run = $1", [run]).first }) else {
            return nil
        }
        let sealed = try row["sealed"].map { try StoredJSON.decode(SealedAnswers.self, $0, what: "sealed answers of run \(run)") }
        return ExpectedAnswers(sealed: sealed, captured: try StoredJSON.decode([String: String].self, row["captured"], what: "answers of run \(run)"))
    }

    public func saveGrades(run: String, attempt: Int, grades: [QuestionGrade]) throws {
        let json = try StoredJSON.encode(grades)
        try write { db in
            try db.execute("UPDATE report_attempt SET grades = $1 WHERE run = $2 AND number = $3", [json, run, String(attempt)])
        }
    }

    static func assignment(_ row: Rows.Row) throws -> ClassAssignment {
        guard let player = row["player"], let level = row["level"], let seed = row.int("seed"), let at = date(row, "assigned_at") else {
            throw StoreError.unreadable("an assignment")
        }
        return ClassAssignment(player: player, level: level, seed: UInt64(bitPattern: seed), assignedAt: at)
    }
}
