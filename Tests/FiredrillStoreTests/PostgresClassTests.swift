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
    let instructor: PostgresStore
    let roles: ClassRoles
    let adaURL: String

    init() throws {
        let fixture = try TestClass()
        let (adaName, url) = try fixture.trainee("ada")
        let (bobName, bobURL) = try fixture.trainee("bob")
        adaURL = url
        ada = try PostgresStore(url: adaURL)
        bob = try PostgresStore(url: bobURL)
        #expect(try fixture.roles.trainees() == [adaName, bobName])
        instructor = try PostgresStore(url: fixture.instructorURL)
        roles = fixture.roles
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

/// A class's play: the level and seed are the class's, the expected answers are kept from the
/// trainees, and grades are the instructor's.
extension PostgresClassTests {
    static let answers = ExpectedAnswers(sealed: SealedAnswers(salt: "00", hashes: ["limit": "ab"]), captured: ["limit": "1m"])

    @Test func expectedAnswersAreWrittenByTheirTraineeAndReadByNoTrainee() throws {
        try ada.saveExpectedAnswers(run: "a1", Self.answers)
        try bob.saveExpectedAnswers(run: "b1", ExpectedAnswers(sealed: nil, captured: ["limit": "2m"]))
        #expect(throws: PostgresError.self) { try ada.expectedAnswers(run: "a1") }
        #expect(throws: PostgresError.self) { try ada.expectedAnswers(run: "b1") }
        let db = try Connection(url: adaURL)
        let read = #expect(throws: PostgresError.self) { try db.execute("SELECT count(*) FROM expected_answer") }
        #expect(read?.description.contains("42501") == true, "\(String(describing: read))")
        #expect(try instructor.expectedAnswers(run: "a1") == Self.answers)
        // Not another's run, not twice, not once the report is in.
        #expect(throws: PostgresError.self) { try ada.saveExpectedAnswers(run: "b1", Self.answers) }
        try ada.saveExpectedAnswers(run: "a1", ExpectedAnswers(sealed: nil, captured: ["limit": "whatever"]))
        #expect(throws: PostgresError.self) { try db.execute("UPDATE expected_answer SET captured = '{}' WHERE run = 'a1'") }
        #expect(try instructor.expectedAnswers(run: "a1") == Self.answers)
        #expect(try instructor.expectedAnswers(run: "b1")?.captured == ["limit": "2m"])
        try ada.upsertRun(sampleRun("a2", player: try #require(try ada.trainee())))
        try ada.submitReport(run: "a2", fields: ["limit": "1m"], grades: nil, at: at(2))
        #expect(throws: PostgresError.self) { try ada.saveExpectedAnswers(run: "a2", Self.answers) }
        #expect(try instructor.expectedAnswers(run: "a2") == nil)
    }

    @Test func aTraineeRunsOnlyTheLevelAndSeedAssigned() throws {
        let name = try #require(try ada.trainee())
        #expect(try ada.assignment(player: name)?.seed == 42)
        #expect(try ada.assignment(player: try #require(try bob.trainee())) == nil)
        var other = sampleRun("a2", player: name)
        other.seed = 43
        #expect(throws: PostgresError.self) { try ada.upsertRun(other) }
        other.seed = nil
        #expect(throws: PostgresError.self) { try ada.upsertRun(other) }
        other.seed = 42
        other.level = "disk-full"
        #expect(throws: PostgresError.self) { try ada.upsertRun(other) }
        // An assigned run cannot be moved to another seed either, nor an assignment written.
        var moved = sampleRun("a1", player: name)
        moved.seed = 43
        #expect(throws: PostgresError.self) { try ada.upsertRun(moved) }
        #expect(try instructor.run("a1")?.seed == 42)
        #expect(throws: PostgresError.self) { try ada.assign(level: "disk-full", seed: 43, to: [name], at: at(1)) }
        // Once assigned, it is playable.
        try instructor.assign(level: "disk-full", seed: nil, to: [name], at: at(1))
        let drawn = try #require(try ada.assignment(player: name))
        #expect(drawn.level == "disk-full" && (1...999_999).contains(drawn.seed))
        other.seed = drawn.seed
        try ada.upsertRun(other)
        // The older assignment's run goes on.
        try ada.upsertRun(StoredRun(id: "a1", player: name, level: "payload-too-large", category: .http, difficulty: 2, seed: 42,
                                    state: "live", createdAt: at(0.123), liveAt: at(1)))
        #expect(try instructor.run("a1")?.state == "live")
    }

    @Test func traineesSideBySideAreDrawnSeedsOfTheirOwn() throws {
        let names = try roles.trainees()
        let drawn = try instructor.assign(level: "cors", seed: nil, to: names + ["carol", "dan", "erin"], at: at(2))
        // Five draws from 999 999 seeds: a repeat would be one chance in about 100 000.
        #expect(Set(drawn.map(\.seed)).count == drawn.count, "\(drawn.map(\.seed))")
        #expect(try ada.assignment(player: names[0])?.seed == drawn[0].seed)
    }

    @Test func aTraineesAttemptIsGradedByTheInstructorOnly() throws {
        try ada.submitReport(run: "a1", fields: ["limit": "1m"], grades: nil, at: at(3))
        let grade = QuestionGrade(id: "limit", ask: "?", given: "1m", correct: true)
        #expect(throws: PostgresError.self) { try ada.saveGrades(run: "a1", attempt: 1, grades: [grade]) }
        #expect(try instructor.attempts(run: "a1").first?.grades == nil)
        try instructor.saveGrades(run: "a1", attempt: 1, grades: [grade])
        #expect(try ada.attempts(run: "a1").first?.grades == [grade])
    }
}
