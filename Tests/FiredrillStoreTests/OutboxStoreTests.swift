import FiredrillEngine
import FiredrillPostgres
import FiredrillRules
import FiredrillStore
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillSQLite

/// The class outbox on the test cluster: the class database goes away (it stops accepting
/// connections, and the store's own connection is cut) while the trainee writes, then comes back.
@Suite struct OutboxOnTheClusterTests {
    let fixture: TestClass
    var cluster: PostgresCluster { fixture.cluster }
    var database: String { fixture.database }
    var url: String { fixture.instructorURL }

    init() throws { fixture = try TestClass() }

    func outbox(url: String? = nil) throws -> OutboxStore {
        let url = url ?? self.url
        let server = OutboxStore.Server(connect: { try PostgresStore(url: url, patience: 0.3) },
                                        isUnreachable: { ($0 as? PostgresError)?.isConnectionLost ?? false })
        return try OutboxStore(url: temporaryDatabase(), server: server, pauses: (0, 0), sendInBackground: false)
    }

    /// The class database stops taking connections and the open ones are cut: for this
    /// database only, as a server that went away (the other tests share the cluster).
    func serverAway() throws {
        try cluster.psql("ALTER DATABASE \(database) ALLOW_CONNECTIONS false")
        try cluster.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'")
    }

    func serverBack() throws { try cluster.psql("ALTER DATABASE \(database) ALLOW_CONNECTIONS true") }

    /// What the trainee does while the server is away: events (one twice), a field typed twice,
    /// the report submitted, the postmortem begun.
    func playOffline(_ outbox: OutboxStore) throws {
        try outbox.append([RunEvent(time: at(2), kind: "check", detail: "objective green"), RunEvent(time: at(3), kind: "command", detail: "nginx -s reload")], run: "r1")
        try outbox.append(RunEvent(time: at(3), kind: "command", detail: "nginx -s reload"), run: "r1")
        try outbox.saveField(run: "r1", level: "payload-too-large", document: .report, field: "title", value: "Uploads refuse")
        try outbox.saveField(run: "r1", level: "payload-too-large", document: .report, field: "title", value: "Uploads over 1 MB refused")
        #expect(try outbox.submitReport(run: "r1", fields: ["title": "Uploads over 1 MB refused"], grades: [], at: at(4)) == 1)
        try outbox.saveField(run: "r1", level: "payload-too-large", document: .postmortem, field: "summary", value: "proxy limit")
    }

    func expectPlayedOnce(_ server: PostgresStore) throws {
        #expect(try server.events(run: "r1").map(\.detail) == ["fault live", "objective green", "nginx -s reload", "report submitted"])
        #expect(try server.fields(run: "r1", document: .report) == ["title": "Uploads over 1 MB refused"])
        #expect(try server.fields(run: "r1", document: .postmortem) == ["summary": "proxy limit"])
        #expect(try server.attempts(run: "r1").map(\.number) == [1])
        #expect(try server.submission(run: "r1", document: .report)?.submittedAt == at(4).roundedToMillisecond)
    }

    @Test func writesMadeWhileTheServerIsAwayReachItOnceEachWhenItIsBack() throws {
        let outbox = try outbox()
        try outbox.connect()
        try outbox.upsertRun(sampleRun("r1"))
        try outbox.append(RunEvent(time: at(1), kind: "live", detail: "fault live"), run: "r1")
        #expect(outbox.status.line == nil)

        try serverAway()
        try playOffline(outbox)
        #expect(outbox.status.offline)
        #expect(outbox.status.line == "class offline, 6 waiting")
        // The trainee's own game reads what this machine knows.
        #expect(try outbox.run("r1")?.reportedAt == at(4).roundedToMillisecond)
        #expect(try outbox.fields(run: "r1", document: .report) == ["title": "Uploads over 1 MB refused"])
        #expect(try outbox.attempts(run: "r1").count == 1)

        try serverBack()
        #expect(outbox.deliver())
        #expect(outbox.status == OutboxStore.Status(offline: false, waiting: 0, refused: 0, reason: nil))
        try expectPlayedOnce(PostgresStore(url: url))
    }

    @Test func aServerDownAtStartIsNotAnError() throws {
        let nowhere = cluster.url(database: database).replacingOccurrences(of: ":\(cluster.port)/", with: ":\(try PortAllocator.freePorts(1)[0])/")
        let outbox = try outbox(url: nowhere)
        try outbox.connect()
        try outbox.upsertRun(sampleRun("r1"))
        #expect(outbox.status.line == "class offline, 1 waiting")
        #expect(try outbox.run("r1")?.id == "r1")
    }

    @Test func aWrongPasswordIsAnErrorNotAnAbsence() throws {
        let outbox = try outbox(url: cluster.url(database: database, password: "wrong"))
        #expect(throws: PostgresError.self) { try outbox.connect() }
    }

    /// A crash after the server committed an entry and before the outbox removed it: each
    /// entry is sent (as the sender sends it), then sent again, as after a restart.
    @Test func anEntrySentAgainAfterItsCommitCountsOnce() throws {
        try serverAway()
        let outbox = try outbox()
        try outbox.connect()
        try outbox.upsertRun(sampleRun("r1"))
        try outbox.append(RunEvent(time: at(1), kind: "live", detail: "fault live"), run: "r1")
        try playOffline(outbox)
        try serverBack()

        let server = try PostgresStore(url: url)
        let entries = try outbox.copy.queue.read { db in try String.fetchAll(db, sql: "SELECT write FROM outbox ORDER BY id") }
        for entry in entries {
            let write = try JSONDecoder().decode(Write.self, from: Data(entry.utf8))
            try write.send(to: server)
            try write.send(to: server)
        }
        try expectPlayedOnce(server)
    }

    /// A trainee's login may not write a score: that write is kept aside, and those after it go.
    @Test func aWriteTheServerRefusesIsKeptAsideAndTheRestGoesOn() throws {
        let (name, adaURL) = try fixture.trainee("ada")
        try PostgresStore(url: url).assign(level: "payload-too-large", seed: 42, to: [name], at: at(0))
        let outbox = try outbox(url: adaURL)
        try serverAway()
        try outbox.connect()
        try outbox.upsertRun(sampleRun("r1", player: name))
        try outbox.saveScore(run: "r1", card: ScoreCard(lines: [], total: 1000, passed: true), at: at(5))
        try outbox.append(RunEvent(time: at(6), kind: "hint", detail: "hint 1 revealed"), run: "r1")
        try serverBack()

        #expect(outbox.deliver())
        #expect(outbox.status.line == "1 refused")
        let refusals = try outbox.refusals()
        #expect(refusals.count == 1 && refusals[0].hasPrefix("score of run r1:") && refusals[0].contains("42501"), "\(refusals)")
        let server = try PostgresStore(url: url)
        #expect(try server.events(run: "r1").map(\.detail) == ["hint 1 revealed"])
        #expect(try server.score(run: "r1") == nil)
        // Online, the refusal is the caller's answer.
        #expect(throws: PostgresError.self) { try outbox.saveScore(run: "r1", card: ScoreCard(lines: [], total: 1, passed: false), at: at(7)) }
    }
}

extension OutboxOnTheClusterTests {
    /// What a trainee's game asks the class at start, and the expected answers it writes.
    @Test func aTraineesLoginAssignmentAndExpectedAnswersWaitForTheServerToo() throws {
        let (name, bobURL) = try fixture.trainee("bob")
        let instructor = try PostgresStore(url: url)
        try instructor.assign(level: "payload-too-large", seed: 42, to: [name], at: at(0))
        let outbox = try outbox(url: bobURL)
        try outbox.connect()
        #expect(try outbox.trainee() == name)
        #expect(try outbox.assignment(player: name)?.seed == 42)

        try serverAway()
        #expect(try outbox.trainee() == name)
        #expect(try outbox.assignment(player: name)?.level == "payload-too-large")
        try outbox.upsertRun(sampleRun("r1", player: name))
        let sealed = SealedAnswers(hashes: ["status": "0f0e"])
        try outbox.saveExpectedAnswers(run: "r1", ExpectedAnswers(sealed: sealed))
        #expect(outbox.status.line == "class offline, 2 waiting")

        try serverBack()
        #expect(outbox.deliver())
        #expect(try PostgresStore(url: url).expectedAnswers(run: "r1")?.sealed == sealed)
    }
}

/// A class store that can be away, and refuses what it is told to: the outbox's order and backoff.
final class FakeClass: @unchecked Sendable {
    struct Away: Error {}
    struct No: Error {}
    let lock = NSLock()
    let store: SQLiteStore
    var away = true
    var refuse: Set<String> = []
    var connects = 0
    var sent: [String] = []

    init() throws { store = try temporaryStore() }

    var server: OutboxStore.Server {
        OutboxStore.Server(connect: { [self] in
            try lock.withLock {
                connects += 1
                if away { throw Away() }
            }
            return Door(fake: self)
        }, isUnreachable: { $0 is Away })
    }

    func pass(_ what: String) throws {
        try lock.withLock {
            if away { throw Away() }
            if refuse.contains(what) { throw No() }
            sent.append(what)
        }
    }

    /// The fake's store, through which every write passes (or not).
    struct Door: GameStore {
        let fake: FakeClass
        var store: SQLiteStore { fake.store }
        func ensurePlayer(_ name: String) throws { try fake.pass("player \(name)"); try store.ensurePlayer(name) }
        func players() throws -> [String] { try store.players() }
        func upsertRun(_ run: StoredRun) throws { try fake.pass("run \(run.id)"); try store.upsertRun(run) }
        func run(_ id: String) throws -> StoredRun? { try store.run(id) }
        func runs(player: String?) throws -> [StoredRun] { try store.runs(player: player) }
        func append(_ events: [RunEvent], run: String) throws -> Int {
            try fake.pass(events.map(\.detail).joined(separator: ",")); return try store.append(events, run: run)
        }
        func events(run: String) throws -> [RunEvent] { try store.events(run: run) }
        func fields(run: String, document: Document) throws -> [String: String] { try store.fields(run: run, document: document) }
        func saveField(run: String, level: String, document: Document, field: String, value: String) throws {
            try fake.pass("\(field)=\(value)"); try store.saveField(run: run, level: level, document: document, field: field, value: value)
        }
        func submitReport(run: String, fields: [String: String], grades: [QuestionGrade]?, at: Date) throws -> Int {
            try fake.pass("report"); return try store.submitReport(run: run, fields: fields, grades: grades, at: at)
        }
        func attempts(run: String) throws -> [ReportAttempt] { try store.attempts(run: run) }
        func submit(run: String, document: Document, at: Date) throws { try fake.pass("submit"); try store.submit(run: run, document: document, at: at) }
        func submission(run: String, document: Document) throws -> Submission? { try store.submission(run: run, document: document) }
        func submissions(document: Document, status: ReviewStatus?) throws -> [Submission] { try store.submissions(document: document, status: status) }
        func review(run: String, document: Document, approve: Bool, comment: String, reviewer: String, at: Date) throws {
            try fake.pass("review"); try store.review(run: run, document: document, approve: approve, comment: comment, reviewer: reviewer, at: at)
        }
        func saveScore(run: String, card: ScoreCard, at: Date) throws { try fake.pass("score"); try store.saveScore(run: run, card: card, at: at) }
        func score(run: String) throws -> ScoreCard? { try store.score(run: run) }
    }
}

@Suite struct OutboxOrderTests {
    @Test func writesAreSentInTheOrderTheyWereMade() throws {
        let fake = try FakeClass()
        let outbox = try OutboxStore(url: temporaryDatabase(), server: fake.server, pauses: (0, 0), sendInBackground: false)
        try outbox.upsertRun(sampleRun("r1"))
        for value in ["a", "b", "c"] { try outbox.saveField(run: "r1", level: "l", document: .report, field: "title", value: value) }
        try outbox.append(RunEvent(time: at(1), kind: "hint", detail: "h1"), run: "r1")
        #expect(outbox.status.line == "class offline, 5 waiting")
        fake.lock.withLock { fake.away = false }
        #expect(outbox.deliver())
        #expect(fake.sent == ["run r1", "title=a", "title=b", "title=c", "h1"])
        #expect(try fake.store.fields(run: "r1", document: .report) == ["title": "c"])
        #expect(outbox.status.line == nil)
    }

    @Test func anAwayServerIsNotAskedAgainBeforeTheBackoffsPause() throws {
        let fake = try FakeClass()
        let outbox = try OutboxStore(url: temporaryDatabase(), server: fake.server, pauses: (30, 60), sendInBackground: false)
        try outbox.connect()
        #expect(fake.connects == 1)
        try outbox.upsertRun(sampleRun("r1"))
        try outbox.append(RunEvent(time: at(1), kind: "hint", detail: "h1"), run: "r1")
        fake.lock.withLock { fake.away = false }
        #expect(!outbox.deliver())
        #expect(fake.connects == 1)
        #expect(fake.sent == [])
    }

    @Test func aWriteTheServerWasAskedAndRefusedDoesNotHoldUpTheNext() throws {
        let fake = try FakeClass()
        fake.refuse = ["title=a"]
        let outbox = try OutboxStore(url: temporaryDatabase(), server: fake.server, pauses: (0, 0), sendInBackground: false)
        try outbox.upsertRun(sampleRun("r1"))
        try outbox.saveField(run: "r1", level: "l", document: .report, field: "title", value: "a")
        try outbox.saveField(run: "r1", level: "l", document: .report, field: "impact", value: "b")
        fake.lock.withLock { fake.away = false }
        #expect(outbox.deliver())
        #expect(fake.sent == ["run r1", "impact=b"])
        #expect(outbox.status.line == "1 refused")
        #expect(try outbox.refusals().count == 1)
        // Delivered again: the refused one is not tried again.
        try outbox.saveField(run: "r1", level: "l", document: .report, field: "impact", value: "c")
        #expect(fake.sent == ["run r1", "impact=b", "impact=c"])
    }

    @Test func theSenderThreadSendsWhenTheServerComesBack() throws {
        let fake = try FakeClass()
        let outbox = try OutboxStore(url: temporaryDatabase(), server: fake.server, pauses: (0.05, 0.1))
        defer { outbox.close() }
        try outbox.upsertRun(sampleRun("r1"))
        fake.lock.withLock { fake.away = false }
        let deadline = Date().addingTimeInterval(5)
        while outbox.status.waiting > 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(fake.sent == ["run r1"])
        #expect(outbox.status.line == nil)
    }
}
