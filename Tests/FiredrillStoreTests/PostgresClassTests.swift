import FiredrillEngine
import FiredrillRules
import FiredrillStore
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillPostgres

/// Two trainees of one class on the test cluster: PostgreSQL's roles and row-level security,
/// not the game, keep each to their own rows.
@Suite struct PostgresClassTests {
    let ada: PostgresStore
    let bob: PostgresStore
    let adaURL: String

    init() throws {
        let fixture = try TestClass()
        let (adaName, url) = try fixture.trainee("ada")
        let (bobName, bobURL) = try fixture.trainee("bob")
        adaURL = url
        ada = try PostgresStore(url: adaURL)
        bob = try PostgresStore(url: bobURL)
        #expect(try fixture.roles.trainees() == [adaName, bobName])
        try ada.upsertRun(sampleRun("a1", player: adaName))
        try bob.upsertRun(sampleRun("b1", player: bobName))
        try ada.append(RunEvent(time: at(1), kind: "live", detail: "fault live"), run: "a1")
        try bob.append(RunEvent(time: at(1), kind: "live", detail: "fault live"), run: "b1")
        try bob.saveField(run: "b1", level: "payload-too-large", document: .report, field: "summary", value: "bob's report")
    }

    @Test func aTraineeSeesOnlyTheirOwnRunsEventsAndDocuments() throws {
        #expect(try ada.runs(player: nil).map(\.id) == ["a1"])
        #expect(try ada.run("b1") == nil)
        #expect(try ada.events(run: "b1") == [])
        #expect(try ada.fields(run: "b1", document: .report) == [:])
        #expect(try ada.players().count == 1)
        #expect(try bob.fields(run: "b1", document: .report) == ["summary": "bob's report"])
    }

    @Test func aTraineeCannotWriteAnotherTraineesRows() throws {
        let bobsName = try #require(try bob.players().first)
        #expect(throws: (any Error).self) { try ada.upsertRun(sampleRun("a2", player: bobsName)) }
        #expect(throws: StoreError.noSuchRun("b1")) { try ada.append(RunEvent(time: at(2), kind: "hint", detail: "x"), run: "b1") }
        #expect(throws: (any Error).self) { try ada.saveField(run: "b1", level: "payload-too-large", document: .report, field: "summary", value: "ada was here") }
        #expect(try bob.fields(run: "b1", document: .report) == ["summary": "bob's report"])
    }

    @Test func aTraineeCannotWriteAScoreAGradeOrAReview() throws {
        let card = ScoreCard(lines: [], total: 1000, passed: true)
        let score = #expect(throws: PostgresError.self) { try ada.saveScore(run: "a1", card: card, at: at(3)) }
        #expect(score?.description.contains("42501") == true, "\(String(describing: score))")
        let grade = QuestionGrade(id: "q", ask: "?", given: "413", correct: true)
        #expect(throws: PostgresError.self) { try ada.submitReport(run: "a1", fields: ["q": "413"], grades: [grade], at: at(4)) }
        try ada.submit(run: "a1", document: .postmortem, at: at(5))
        #expect(throws: PostgresError.self) {
            try ada.review(run: "a1", document: .postmortem, approve: true, comment: "", reviewer: "ada", at: at(6))
        }
        #expect(try ada.submission(run: "a1", document: .postmortem)?.status == .submitted)
    }

    @Test func aSubmittedReportIsFrozenByTheDatabaseItself() throws {
        try ada.saveField(run: "a1", level: "payload-too-large", document: .report, field: "summary", value: "first")
        try ada.submit(run: "a1", document: .report, at: at(7))
        // Past the store's own check, straight to the server as the trainee.
        let db = try Connection(url: adaURL)
        try db.execute("UPDATE document_field SET value = 'changed' WHERE run = 'a1'")
        #expect(throws: PostgresError.self) {
            try db.execute("INSERT INTO document_field VALUES ('a1', 'report', 'payload-too-large', 'impact', 'late', 0)")
        }
        #expect(try ada.fields(run: "a1", document: .report) == ["summary": "first"])
    }
}
