import Foundation

/// A class on one PostgreSQL database: the instructor owns the tables (and so sees every row);
/// each trainee logs in with a role of their own, a member of the class's trainee group, and
/// PostgreSQL's row-level security lets that role see and write only its own player, runs,
/// events, documents and submissions. A trainee cannot write a score, give a review, or change
/// a report once it is submitted.
public struct ClassRoles {
    let db: Connection
    /// The class's group role: `<database>_trainee`.
    public let group: String

    /// Connects as the instructor (a role that may create roles) and applies the schema.
    public init(url: String) throws {
        db = try Connection(url: url)
        try PostgresSchema.migrate(db)
        let database = try db.execute("SELECT current_database() AS name").first?["name"] ?? "firedrill"
        group = database + "_trainee"
    }

    /// Creates the trainee group when missing and (again) its grants and policies.
    public func initialize() throws {
        try db.transaction {
            let group = Self.identifier(self.group)
            if try db.execute("SELECT 1 FROM pg_roles WHERE rolname = $1", [self.group]).count == 0 {
                try db.execute("CREATE ROLE \(group) NOLOGIN")
            }
            let database = try db.execute("SELECT current_database() AS name").first?["name"] ?? ""
            try db.execute("GRANT CONNECT ON DATABASE \(Self.identifier(database)) TO \(group)")
            try db.execute("GRANT USAGE ON SCHEMA public TO \(group)")
            try db.execute("GRANT SELECT ON firedrill_migration TO \(group)")
            try db.execute("GRANT SELECT, INSERT ON player TO \(group)")
            try db.execute("GRANT SELECT, INSERT, UPDATE ON run, document_field, submission TO \(group)")
            try db.execute("GRANT SELECT, INSERT ON event, report_attempt TO \(group)")
            try db.execute("GRANT SELECT ON score TO \(group)")
            try db.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO \(group)")
            for table in ["player", "run", "event", "document_field", "submission", "report_attempt", "score"] {
                try db.execute("ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY")
                for policy in try db.execute("SELECT policyname FROM pg_policies WHERE tablename = $1", [table]).all {
                    try db.execute("DROP POLICY \(Self.identifier(policy["policyname"] ?? "")) ON \(table)")
                }
            }
            // A trainee's own rows: their player, and what hangs off their runs (the run table's
            // own policy applies inside these subqueries, so only their runs are found).
            let ownRun = "EXISTS (SELECT 1 FROM run r WHERE r.id = run)"
            let reportOpen = "(document <> 'report' OR NOT EXISTS (SELECT 1 FROM submission s WHERE s.run = document_field.run AND s.document = 'report'))"
            try db.execute("CREATE POLICY own ON player TO \(group) USING (name = current_user) WITH CHECK (name = current_user)")
            try db.execute("CREATE POLICY own ON run TO \(group) USING (player = current_user) WITH CHECK (player = current_user)")
            try db.execute("CREATE POLICY own ON event TO \(group) USING (\(ownRun)) WITH CHECK (\(ownRun))")
            try db.execute("CREATE POLICY own ON document_field FOR SELECT TO \(group) USING (\(ownRun))")
            try db.execute("CREATE POLICY own_write ON document_field FOR INSERT TO \(group) WITH CHECK (\(ownRun) AND \(reportOpen))")
            try db.execute("CREATE POLICY own_edit ON document_field FOR UPDATE TO \(group) USING (\(ownRun) AND \(reportOpen)) WITH CHECK (\(ownRun))")
            // Submitting is theirs; a review (approved, returned, a reviewer) is the instructor's.
            let submitted = "status = 'submitted' AND reviewer IS NULL AND comment IS NULL AND reviewed_at IS NULL"
            try db.execute("CREATE POLICY own ON submission FOR SELECT TO \(group) USING (\(ownRun))")
            try db.execute("CREATE POLICY own_submit ON submission FOR INSERT TO \(group) WITH CHECK (\(ownRun) AND \(submitted))")
            try db.execute("CREATE POLICY own_resubmit ON submission FOR UPDATE TO \(group) USING (\(ownRun)) WITH CHECK (\(ownRun) AND \(submitted))")
            // An attempt's fields are the trainee's; its grades are given where they cannot be changed.
            try db.execute("CREATE POLICY own ON report_attempt FOR SELECT TO \(group) USING (\(ownRun))")
            try db.execute("CREATE POLICY own_attempt ON report_attempt FOR INSERT TO \(group) WITH CHECK (\(ownRun) AND grades IS NULL)")
            try db.execute("CREATE POLICY own ON score FOR SELECT TO \(group) USING (\(ownRun))")
            try assignedPlay(group: group, ownRun: ownRun)
        }
    }

    /// A class's play: a trainee reads their assignments and may run only the level and seed
    /// assigned; a run's expected answers may be written by its trainee (once, before the report
    /// is submitted) and read only by the instructor, who grades.
    func assignedPlay(group: String, ownRun: String) throws {
        try db.execute("GRANT SELECT ON assignment TO \(group)")
        try db.execute("GRANT INSERT ON expected_answer TO \(group)")
        for table in ["assignment", "expected_answer"] {
            try db.execute("ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY")
            for policy in try db.execute("SELECT policyname FROM pg_policies WHERE tablename = $1", [table]).all {
                try db.execute("DROP POLICY \(Self.identifier(policy["policyname"] ?? "")) ON \(table)")
            }
        }
        try db.execute("CREATE POLICY own ON assignment FOR SELECT TO \(group) USING (player = current_user)")
        // Restrictive: on top of the run's own policy, its level and seed must be assigned.
        let assigned = "EXISTS (SELECT 1 FROM assignment a WHERE a.player = current_user AND a.level = run.level AND a.seed = run.seed)"
        try db.execute("CREATE POLICY assigned ON run AS RESTRICTIVE FOR INSERT TO \(group) WITH CHECK (\(assigned))")
        try db.execute("CREATE POLICY assigned_edit ON run AS RESTRICTIVE FOR UPDATE TO \(group) USING (true) WITH CHECK (\(assigned))")
        let reportOpen = "NOT EXISTS (SELECT 1 FROM submission s WHERE s.run = expected_answer.run AND s.document = 'report')"
        try db.execute("CREATE POLICY own_write ON expected_answer FOR INSERT TO \(group) WITH CHECK (\(ownRun) AND \(reportOpen))")
    }

    /// Creates a trainee's login role with a generated password; returns the password.
    public func addTrainee(_ name: String) throws -> String {
        guard Self.isPlainName(name) else {
            throw PostgresError.statement(state: "42602", message: "a trainee's name is lowercase letters, digits and _, starting with a letter: '\(name)'")
        }
        var bytes = [UInt8](repeating: 0, count: 18)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        let password = Data(bytes).base64EncodedString().replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        try db.transaction {
            // The password is a literal (CREATE ROLE takes no parameters); it holds no quote.
            try db.execute("CREATE ROLE \(name) LOGIN PASSWORD '\(password)' IN ROLE \(Self.identifier(group))")
        }
        return password
    }

    /// The class's trainees, by name.
    public func trainees() throws -> [String] {
        try db.execute("""
            SELECT r.rolname AS name FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid
            JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname = $1 ORDER BY r.rolname COLLATE "C"
            """, [group]).all.compactMap { $0["name"] }
    }

    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter, first.isLowercase, name.count <= 63 else { return false }
        return name.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "_" }
    }

    /// A name as a quoted SQL identifier.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
