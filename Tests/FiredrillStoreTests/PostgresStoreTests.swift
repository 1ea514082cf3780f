import FiredrillEngine
import FiredrillRules
import FiredrillStore
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillPostgres

/// What only the PostgreSQL store has: its schema steps on a real server, several processes
/// migrating at once, connections that break, and the one line each failure gives.
@Suite struct PostgresStoreTests {
    @Test func aNewDatabaseGetsEveryStepOnce() throws {
        let url = try PostgresCluster.shared().database()
        _ = try PostgresStore(url: url)
        _ = try PostgresStore(url: url)
        let db = try Connection(url: url)
        #expect(try PostgresSchema.applied(db) == PostgresSchema.steps.map(\.version))
    }

    @Test func storesOpeningANewDatabaseAtOnceAllMigrateIt() throws {
        let url = try PostgresCluster.shared().database()
        let failures = Collected<String>()
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            do { _ = try PostgresStore(url: url) } catch { failures.add("\(error)") }
        }
        #expect(failures.all == [])
        #expect(try PostgresSchema.applied(Connection(url: url)) == PostgresSchema.steps.map(\.version))
    }

    @Test func aVersionFourDatabaseFreezesItsSubmittedReports() throws {
        let url = try PostgresCluster.shared().database()
        let db = try Connection(url: url)
        try PostgresSchema.migrate(db, upTo: 4)
        try db.execute("INSERT INTO player (name, created_at) VALUES ('ada', 0)")
        try db.execute("""
            INSERT INTO run (id, player, level, category, difficulty, state, created_at)
            VALUES ('r1', 'ada', 'cors', 'http', 1, 'stopped', 1000)
            """)
        try db.execute("INSERT INTO document_field VALUES ('r1', 'report', 'cors', 'title', 'Preflight refused', 2000)")
        try db.execute("INSERT INTO submission (run, document, status, submitted_at) VALUES ('r1', 'report', 'submitted', 3000)")
        let store = try PostgresStore(url: url)
        let attempts = try store.attempts(run: "r1")
        #expect(attempts == [ReportAttempt(run: "r1", number: 1, submittedAt: StoredTime.date(3000), fields: ["title": "Preflight refused"], grades: nil)])
        #expect(throws: StoreError.reportSubmitted(run: "r1")) {
            try store.saveField(run: "r1", level: "cors", document: .report, field: "title", value: "changed")
        }
    }

    @Test func aVersionFiveDatabaseKeepsItsRunsAndGainsAssignments() throws {
        let url = try PostgresCluster.shared().database()
        let db = try Connection(url: url)
        try PostgresSchema.migrate(db, upTo: 5)
        try db.execute("INSERT INTO player (name, created_at) VALUES ('ada', 0)")
        try db.execute("INSERT INTO run (id, player, level, category, difficulty, seed, state, created_at) VALUES ('r1', 'ada', 'cors', 'http', 1, 3, 'live', 0)")
        let store = try PostgresStore(url: url)
        #expect(try PostgresSchema.applied(db) == Array(1...PostgresSchema.steps.count))
        #expect(try store.run("r1")?.seed == 3)
        #expect(try store.assignment(player: "ada") == nil)
        try store.assign(level: "cors", seed: 3, to: ["ada"], at: StoredTime.date(1000))
        #expect(try store.assignment(player: "ada") == ClassAssignment(player: "ada", level: "cors", seed: 3, assignedAt: StoredTime.date(1000)))
    }

    @Test func aVersionThreeDatabaseGetsItsEventsPayloads() throws {
        let url = try PostgresCluster.shared().database()
        let db = try Connection(url: url)
        try PostgresSchema.migrate(db, upTo: 3)
        try db.execute("INSERT INTO player (name, created_at) VALUES ('ada', 0)")
        try db.execute("INSERT INTO run (id, player, level, category, difficulty, state, created_at) VALUES ('r1', 'ada', 'cors', 'http', 1, 'live', 0)")
        try db.execute("INSERT INTO event (run, time, kind, detail) VALUES ('r1', 5000, 'hint', 'hint 2 revealed')")
        let events = try PostgresStore(url: url).events(run: "r1")
        #expect(events.map(\.payload) == [.hint(number: 2)])
    }

    @Test func aBrokenConnectionIsOpenedAgainForTheNextWrite() throws {
        let cluster = try PostgresCluster.shared()
        let url = try cluster.database()
        let store = try PostgresStore(url: url)
        try store.ensurePlayer("ada")
        let database = String(url.split(separator: "/").last!.split(separator: "?").first!)
        try cluster.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid()")
        try store.ensurePlayer("bob")
        #expect(try store.players() == ["ada", "bob"])
    }

    @Test func eachFailureToConnectIsOneClearLine() throws {
        let cluster = try PostgresCluster.shared()
        let database = String(try cluster.database().split(separator: "/").last!.split(separator: "?").first!)
        let bad = #expect(throws: PostgresError.self) { try PostgresStore(url: "postgresql://ada@[::1") }
        #expect(bad?.description.hasPrefix("the class database's connection string is not valid: ") == true, "\(String(describing: bad))")
        let wrong = #expect(throws: PostgresError.self) {
            try PostgresStore(url: cluster.url(database: database, password: "not-the-password"))
        }
        #expect(wrong?.description.contains("password authentication failed for user \"postgres\"") == true, "\(String(describing: wrong))")
        let started = Date()
        let nobody = try PortAllocator.freePorts(1)[0]
        let down = #expect(throws: PostgresError.self) {
            try PostgresStore(url: "postgresql://postgres@127.0.0.1:\(nobody)/\(database)?connect_timeout=2", patience: 1)
        }
        #expect(down?.description.hasPrefix("the class database cannot be reached: ") == true, "\(String(describing: down))")
        #expect(down?.description.contains("\n") == false)
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
