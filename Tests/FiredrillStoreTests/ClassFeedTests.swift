import FiredrillEngine
import FiredrillRules
import FiredrillStore
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillPostgres

/// The class database's notifications on the test cluster: a trainee's write wakes a listener
/// on another connection, a broken listener says so when it is back, and what a notification
/// carries is what any login of the class may see.
@Suite struct ClassFeedTests {
    let instructorURL: String
    let adaURL: String
    let ada: PostgresStore
    let adaName: String

    init() throws {
        let fixture = try TestClass()
        instructorURL = fixture.instructorURL
        (adaName, adaURL) = try fixture.trainee("ada")
        ada = try PostgresStore(url: adaURL)
        try ada.upsertRun(sampleRun("a1", player: adaName))
    }

    @Test func aTraineesWriteWakesAListenerWithinASecond() throws {
        let feed = try ClassFeed(url: instructorURL)
        let started = Date()
        try ada.append([RunEvent(time: at(1), kind: "command", detail: "curl -i app"),
                        RunEvent(time: at(2), kind: "command", detail: "docker ps")], run: "a1")
        let changes = feed.wait(timeout: 1)
        #expect(Date().timeIntervalSince(started) < 1)
        // Two events in one transaction, one notification.
        #expect(changes == [.row(table: "event", run: "a1", player: adaName)])
        try ada.saveField(run: "a1", level: "payload-too-large", document: .postmortem, field: "summary", value: "typed")
        #expect(feed.wait(timeout: 1) == [.row(table: "document_field", run: "a1", player: adaName)])
        try ada.upsertRun(StoredRun(id: "a1", player: adaName, level: "payload-too-large", category: .http, difficulty: 2,
                                    state: "live", createdAt: at(0)))
        #expect(feed.wait(timeout: 1) == [.row(table: "run", run: "a1", player: adaName)])
    }

    @Test func aBrokenListenerSaysItReconnectedAndListensAgain() throws {
        let feed = try ClassFeed(url: instructorURL)
        try Connection(url: instructorURL).execute("SELECT pg_terminate_backend($1)", [String(feed.backendPID)])
        var changes: [ClassChange] = []
        let deadline = Date().addingTimeInterval(5)
        while !changes.contains(.reconnected), Date() < deadline { changes += feed.wait(timeout: 0.5) }
        #expect(changes == [.reconnected])
        #expect(feed.isConnected)
        try ada.submit(run: "a1", document: .postmortem, at: at(3))
        let after = feed.wait(timeout: 1)
        #expect(after.contains(.row(table: "submission", run: "a1", player: adaName)), "\(after)")
    }

    /// Any login may LISTEN, row-level security or not: a trainee hears another's changes, so
    /// the payload must hold nothing but the table, the run and the player.
    @Test func aTraineeListeningHearsOnlyWhichRunChanged() throws {
        let listener = try Connection(url: adaURL)
        try listener.execute("LISTEN \(ClassFeed.channel)")
        try ada.saveField(run: "a1", level: "payload-too-large", document: .report, field: "summary", value: "secret words")
        var payloads: [String] = []
        let deadline = Date().addingTimeInterval(1)
        while payloads.isEmpty, Date() < deadline {
            payloads = try #require(listener.notifications())
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(payloads.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(payloads[0].utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["table", "run", "player"])
        #expect(!payloads[0].contains("secret"))
    }

    @Test func aVersionFiveDatabaseNotifiesOnceMigrated() throws {
        let url = try PostgresCluster.shared().database()
        let db = try Connection(url: url)
        try PostgresSchema.migrate(db, upTo: 5)
        try db.execute("INSERT INTO player (name, created_at) VALUES ('ada', 0)")
        try db.execute("INSERT INTO run (id, player, level, category, difficulty, state, created_at) VALUES ('r1', 'ada', 'cors', 'http', 1, 'live', 0)")
        _ = try PostgresStore(url: url)
        let feed = try ClassFeed(url: url)
        try db.execute("INSERT INTO event (run, time, kind, detail) VALUES ('r1', 1, 'live', 'fault live')")
        #expect(feed.wait(timeout: 1) == [.row(table: "event", run: "r1", player: "ada")])
    }
}
