import Foundation

/// A SQL query run with the engine's own client inside a database instance: `mysql --batch
/// --skip-column-names` for MariaDB, `psql -X -A -t -F<tab>` as the postgres user for PostgreSQL;
/// both print one row a line, its columns separated by tabs.
public struct SQLCheck: Sendable, Equatable {
    /// The database engines a `sql` check can query.
    public enum Engine: String, Sendable, Equatable, CaseIterable {
        case mariadb
        case postgresql

        /// The client it is queried with.
        public var client: String { self == .mariadb ? "mysql" : "psql" }
    }

    /// MariaDB on `db` unless the check names them: the defaults of the levels written before
    /// a scenario had another engine.
    public var engine: Engine = .mariadb
    public var instance: String = "db"
    public var database: String?
    public var query: String
    public var output: String?
    public var outputExcludes: String?
    public var timeout: Double = 30
}

extension SQLCheck: ParsedCheckKind {
    static let key = "sql"

    public var instances: [String] { [instance] }

    static func parse(_ value: YAMLReader.Value) -> SQLCheck? {
        guard let f = value.mapping(["engine", "instance", "database", "query", "output", "output_excludes", "timeout"]),
              let query = f.required("query")?.string() else { return nil }
        var check = SQLCheck(query: query)
        if let engine = f["engine"] {
            guard let name = engine.oneOf(SQLCheck.Engine.allCases.map(\.rawValue)) else { return nil }
            check.engine = SQLCheck.Engine(rawValue: name) ?? .mariadb
        }
        check.instance = f["instance"]?.string() ?? "db"
        check.database = f["database"]?.string()
        check.output = f["output"]?.regex()
        check.outputExcludes = f["output_excludes"]?.regex()
        check.timeout = f["timeout"]?.duration() ?? 30
        return check
    }

    public func evaluate(in context: CheckContext) throws -> CheckResult {
        let output = try context.exec(instance, Self.client(for: self), user: engine == .postgresql ? "postgres" : nil, timeout: timeout)
        // The client exits non-zero when the query got no answer (no server, a syntax error, no
        // such table): the check could not be made.
        if !output.timedOut, output.status != 0 {
            return .error("SQL on \(instance): \(engine.client) exited \(output.status) (\(ComposeRuntime.firstLine(output.stderr + output.stdout)))")
        }
        return CheckEvaluator.judge(output, exit: 0, output: self.output, excludes: outputExcludes, what: "SQL on \(instance)")
    }

    /// The client's command line: tab-separated rows, no headers, no user settings read; psql
    /// stops at the first error, so a failing statement is a non-zero exit.
    static func client(for check: SQLCheck) -> [String] {
        switch check.engine {
        case .mariadb:
            return ["mysql", "--batch", "--skip-column-names", "-e", check.query] + (check.database.map { [$0] } ?? [])
        case .postgresql:
            return ["psql", "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", check.query]
                + (check.database.map { ["-d", $0] } ?? [])
        }
    }
}

extension Check {
    public static func sql(_ check: SQLCheck) -> Check { .kind(check) }
}
