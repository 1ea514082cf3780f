import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine

/// The `sql` check queries the engine it names, with that engine's client, in the instance it names.
extension CheckEvaluatorTests {
    /// What the fake runtime was asked to run, and as whom.
    final class Exec: @unchecked Sendable {
        var instance = "", command: [String] = [], user: String?
    }

    func sql(_ check: SQLCheck, answer: ProcessOutput) -> (CheckResult, Exec) {
        let seen = Exec()
        let runtime = FakeRuntime()
        runtime.execHandler = { instance, command, user in
            seen.instance = instance
            seen.command = command
            seen.user = user
            return answer
        }
        return (evaluator(runtime).evaluate(.sql(check)), seen)
    }

    @Test func mariadbIsQueriedWithMysqlInDbByDefault() {
        var check = SQLCheck(query: "SELECT COUNT(*) FROM invoices", output: "^12\\t")
        check.database = "billing"
        let (result, seen) = sql(check, answer: ProcessOutput(status: 0, stdout: "12\topen\n", stderr: ""))
        #expect(result.passed, "\(result.detail)")
        #expect(seen.instance == "db")
        #expect(seen.command == ["mysql", "--batch", "--skip-column-names", "-e", "SELECT COUNT(*) FROM invoices", "billing"])
        #expect(seen.user == nil)
    }

    @Test func postgresqlIsQueriedWithPsqlAsPostgresInTheNamedInstance() {
        var check = SQLCheck(query: "SELECT count(*), status FROM orders GROUP BY status", output: "^3\\tpaid$")
        check.engine = .postgresql
        check.instance = "replica"
        check.database = "shop"
        let (result, seen) = sql(check, answer: ProcessOutput(status: 0, stdout: "3\tpaid\n", stderr: ""))
        #expect(result.passed, "\(result.detail)")
        #expect(seen.instance == "replica")
        #expect(seen.user == "postgres")
        #expect(seen.command == ["psql", "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                                 "-c", "SELECT count(*), status FROM orders GROUP BY status", "-d", "shop"])
        let (other, _) = sql(check, answer: ProcessOutput(status: 0, stdout: "0\tpaid\n", stderr: ""))
        #expect(other.outcome == .failed, "\(other.detail)")
    }

    /// psql exits 2 when it cannot connect and 1 when a statement fails (as psql 15 does): no
    /// answer, an error.
    @Test func aPsqlThatCannotAnswerIsAnError() {
        var check = SQLCheck(query: "SELECT 1 FROM orders", outputExcludes: "^0")
        check.engine = .postgresql
        let (down, _) = sql(check, answer: ProcessOutput(status: 2, stdout: "", stderr: "psql: error: connection to server on socket \"/var/run/postgresql/.s.PGSQL.5432\" failed"))
        #expect(down.outcome == .error)
        #expect(down.detail.contains("psql exited 2"), "\(down.detail)")
        let (missing, _) = sql(check, answer: ProcessOutput(status: 1, stdout: "", stderr: "ERROR:  relation \"orders\" does not exist"))
        #expect(missing.outcome == .error)
        #expect(evaluator().evaluate(.not(.sql(check))).outcome != .error, "the fake's default answer is an answer")
    }

    @Test func theEngineIsParsedAndAnUnknownOneRefusedWithItsLine() throws {
        let loader = LevelLoaderTests()
        let postgres = LevelLoaderTests.valid.replacingOccurrences(
            of: "{sql: {query: \"SELECT 1\", output: \"^1\"}}",
            with: "{sql: {engine: postgresql, instance: replica, database: shop, query: \"SELECT 1\", output: \"^1\"}}")
        guard case let .after(_, .kind(check as SQLCheck), _, _) = try loader.load(postgres).objectives[1].check else {
            Issue.record("not an sql check after a disruption")
            return
        }
        #expect(check.engine == .postgresql)
        #expect(check.instance == "replica")
        guard case let .after(_, .kind(defaulted as SQLCheck), _, _) = try loader.load(LevelLoaderTests.valid).objectives[1].check else { return }
        #expect(defaulted.engine == .mariadb)
        #expect(defaulted.instance == "db")

        let unknown = loader.problems(postgres.replacingOccurrences(of: "engine: postgresql", with: "engine: postgres"))
        #expect(unknown.count == 1)
        #expect(unknown.first?.field == "objectives[1].check.then.sql.engine")
        #expect(unknown.first?.message.contains("did you mean 'postgresql'") == true, "\(unknown)")
        #expect(unknown.first?.line != nil)
    }

    /// Lint names the file, line and field of an instance the level's scenario does not have.
    @Test func lintRefusesAnInstanceTheScenarioDoesNotHave() throws {
        let scratch = ScratchDirectory()
        let text = LevelLoaderTests.valid.replacingOccurrences(
            of: "{sql: {query: \"SELECT 1\", output: \"^1\"}}",
            with: "{sql: {engine: postgresql, instance: replica, query: \"SELECT 1\"}}")
        let file = scratch.write("sample/level.yaml", text)
        let level = try LevelLoader.level(at: file.deletingLastPathComponent())
        let problems = Lint.references(of: level, catalog: Catalog(root: repositoryRoot)).filter { $0.message.contains("'replica'") }
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.file == file.path)
        #expect(problems.first?.field == "objectives[1].check")
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("instance: replica") }.map { $0 + 1 }
        #expect(problems.first?.line == line)
    }
}
