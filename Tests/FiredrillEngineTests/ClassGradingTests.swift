import FiredrillPostgres
import FiredrillRules
import FiredrillStore
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine
@testable import FiredrillGame

/// A class's play on the test cluster: the trainee's game boots the level and seed assigned and
/// submits without grades; the instructor's game grades from the store, as local grading would.
@Suite struct ClassGradingTests {
    let rig = MiniRig()
    let instructor: Game
    let trainee: Game
    let name: String

    init() throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase()
        let roles = try ClassRoles(url: cluster.url(database: database))
        try roles.initialize()
        name = "ada_" + database.suffix(6)
        let url = cluster.url(database: database, user: name, password: try roles.addTrainee(name))
        instructor = Game(engine: rig.engine(), store: try PostgresStore(url: cluster.url(database: database)), player: "teacher")
        trainee = Game(engine: rig.engine(), store: try PostgresStore(url: url), player: name)
    }

    var classStore: any ClassStore { instructor.store as! any ClassStore }

    /// The assigned run, fixed, its report written and submitted.
    func submittedRun(answer: String) throws -> RunRecord {
        let assigned = try #require(try trainee.assigned(level: nil, seed: nil))
        let run = try trainee.engine.start(levelID: assigned.level, seed: assigned.seed)
        rig.world.fixed = true
        _ = try trainee.engine.check(run, verify: true)
        for (field, value) in ["title": "Broken", "impact": "All users.", "root_cause": "The 1m limit.", "q.q": answer] {
            try trainee.store.saveField(run: run.id, level: run.level, document: .report, field: field, value: value)
        }
        let record = try trainee.record(run.id)
        #expect(try trainee.submitReport(record) == nil)
        return record
    }

    @Test func aTraineePlaysTheAssignmentOnly() throws {
        #expect(trainee.trainee == name && instructor.trainee == nil)
        #expect(throws: GameError.unassigned(name)) { try trainee.assigned(level: nil, seed: nil) }
        try classStore.assign(level: "broken", seed: 7, to: [name], at: Date())
        #expect(try trainee.assigned(level: nil, seed: nil)?.seed == 7)
        #expect(throws: GameError.self) { try trainee.assigned(level: "other", seed: nil) }
        #expect(throws: GameError.self) { try trainee.assigned(level: "broken", seed: 8) }
        #expect(try instructor.assigned(level: nil, seed: nil) == nil)
        // The trainee's own binary booting another seed: its run never reaches the class.
        let stray = try trainee.engine.start(levelID: "broken", seed: 8)
        #expect(try classStore.run(stray.id) == nil)
    }

    @Test func aTraineesWarmRunIsTheAssignmentAndReachesTheClassOnlyWhenGiven() throws {
        try classStore.assign(level: "broken", seed: 7, to: [name], at: Date())
        #expect(throws: GameError.nothingAhead("broken"), "playing the assignment, there is no next level to boot") {
            try trainee.prepareWarm(excluding: "broken")
        }
        let warm = try trainee.prepareWarm()
        #expect(warm.level == "broken" && warm.seed == 7)
        #expect(try classStore.run(warm.id) == nil, "a warm run is no one's play")
        let (given, wasWarm) = try trainee.begin(level: "broken", seed: 7, useWarm: true)
        #expect(wasWarm && given.id == warm.id)
        #expect(try classStore.run(warm.id)?.player == name, "given, the class sees it")
        #expect(try classStore.expectedAnswers(run: warm.id) != nil, "with its expected answers, for the instructor's grading")
        #expect(try classStore.events(run: warm.id).map(\.kind).contains("warm"))
    }

    @Test func theInstructorGradesFromTheStoreAsLocalGradingWould() throws {
        try classStore.assign(level: "broken", seed: 7, to: [name], at: Date())
        let record = try submittedRun(answer: "It was session 42.")
        #expect(try trainee.store.attempts(run: record.id).first?.grades == nil)
        #expect(try trainee.store.score(run: record.id) == nil)
        #expect(trainee.grades(record).isEmpty)
        #expect(try instructor.gradeClass() == [record.id])
        let fields = try #require(try classStore.attempts(run: record.id).first?.fields)
        let grades = try #require(try classStore.attempts(run: record.id).first?.grades)
        #expect(grades == instructor.grade(record, fields: fields))
        #expect(grades.map(\.correct) == [true])
        #expect(try trainee.score(record).passed)
        #expect(trainee.progress().levels.first { $0.level == "broken" }?.passed == true)
        #expect(try instructor.gradeClass() == [])
    }

    @Test func aWrongAnswerIsGradedWrongByTheInstructor() throws {
        try classStore.assign(level: "broken", seed: nil, to: [name], at: Date())
        let record = try submittedRun(answer: "It was session 41.")
        try instructor.gradeClass()
        let attempt = try #require(try classStore.attempts(run: record.id).first)
        #expect(attempt.grades == instructor.grade(record, fields: attempt.fields))
        #expect(attempt.grades?.map(\.correct) == [false])
    }
}
