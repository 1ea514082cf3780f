import FiredrillGame
import FiredrillRules
import FiredrillSQLite
import FiredrillStore
import Foundation
import GRDB
import Testing
@testable import FiredrillEngine

/// The game around the engine (`Game`): its journal, the report and postmortem flows, progress,
/// on a real SQLite file and the engine's fake runtime.
@Suite struct GameServiceTests {
    let rig = MiniRig()

    func game(player: String = "ada") throws -> Game {
        Game(engine: rig.engine(), store: try SQLiteStore(url: rig.scratch.url.appendingPathComponent("home/firedrill.sqlite")), player: player)
    }

    /// A run of "broken", fixed and verified.
    func solvedRun(_ game: Game) throws -> RunRecord {
        let run = try game.engine.start(levelID: "broken")
        rig.world.fixed = true
        #expect(try game.engine.check(run, verify: true).solved)
        return try game.record(run.id)
    }

    func write(_ game: Game, _ run: RunRecord, _ document: Document, _ fields: [String: String]) throws {
        for (field, value) in fields {
            try game.store.saveField(run: run.id, level: run.level, document: document, field: field, value: value)
        }
    }

    static let postmortem = [
        "summary": "Searches failed for an hour.", "impact": "Support could not look customers up.",
        "root_causes": "A limit too low for real data.", "trigger": "A config change.",
        "detection": "Support called.", "resolution": "Raised the limit.", "timeline": "See the report.",
        "action_items": "P2 | platform team | alert on rejected requests",
        "went_well": "The logs named the cause.", "went_wrong": "Bob forgot to raise the limit.", "lucky": "A quiet day.",
    ]

    @Test func theJournalKeepsTheGamesRunsAndOnlyThem() throws {
        let game = try game()
        let run = try game.engine.start(levelID: "broken", seed: 42)
        let stored = try #require(try game.store.run(run.id))
        #expect(stored.player == "ada" && stored.seed == 42 && stored.state == "live" && stored.category == .app)
        #expect(try game.store.events(run: run.id).map(\.kind).contains(EventKind.live))
        // A run booted without the game (an author's `prove`) stays out, even when the game checks it.
        let other = try rig.engine().start(levelID: "broken")
        _ = try game.engine.check(other, verify: false)
        #expect(try game.store.run(other.id) == nil)
        #expect(try game.store.events(run: other.id).isEmpty)
    }

    @Test func theReportIsFilledFromTheRunThenGradedAndScored() throws {
        let game = try game()
        let run = try solvedRun(game)
        let filled = game.fillReport(run)
        #expect(filled["detected"] == isoTimestamp(run.liveAt!))
        #expect(filled["mitigated"] == isoTimestamp(run.mitigatedAt!))
        // The timeline: the run's events and the commands typed in its shells.
        let timeline = try #require(filled["timeline"])
        #expect(timeline.contains("on db: `KILL 42;`"), "\(timeline)")
        #expect(timeline.contains("Verify: solved 2/2"), "\(timeline)")

        #expect(throws: GameError.incomplete(document: "incident report", problems: ["write a title", "write the impact", "write the root cause"])) {
            try game.submitReport(run)
        }
        try write(game, run, .report, ["title": "Broken", "impact": "All users.", "root_cause": "The 1m limit.", "q.q": "It was session 42."])
        let card = try #require(try game.submitReport(run))
        #expect(card.passed)
        #expect(card.lines.contains { $0.label.contains("1/1 answers correct") })
        #expect(try game.store.score(run: run.id) == card)
        #expect(game.grades(run).map(\.correct) == [true])
        #expect(FileManager.default.fileExists(atPath: run.workspace.appendingPathComponent("incident-report.md").path))
        #expect(try game.store.run(run.id)?.reportedAt != nil)
    }

    @Test func thePostmortemComesAfterTheReportCompleteAndBlameless() throws {
        let game = try game()
        let run = try solvedRun(game)
        #expect(throws: GameError.reportFirst(run.id)) { try game.submitPostmortem(run) }
        try write(game, run, .report, ["title": "Broken", "impact": "All users.", "root_cause": "The 1m limit.", "q.q": "42"])
        #expect(game.stage(run) == "mitigated")
        try game.submitReport(run)
        #expect(game.stage(run) == "reported")
        #expect(game.postmortemProblems(run.id).contains("Summary: not written yet"))

        try write(game, run, .postmortem, Self.postmortem)
        let problems = game.postmortemProblems(run.id)
        #expect(problems.count == 1 && problems[0].hasPrefix("What went wrong, line 1:"), "\(problems)")
        #expect(throws: (any Error).self) { try game.submitPostmortem(run) }

        try write(game, run, .postmortem, ["went_wrong": "Nothing checked the limit against real data."])
        try game.submitPostmortem(run)
        #expect(try game.store.submission(run: run.id, document: .postmortem)?.status == .submitted)
        #expect(game.stage(run) == "closed")
        let standing = game.progress()
        #expect(standing.certification.requirements.contains { $0.title.contains("postmortem") && $0.met })
        #expect(standing.levels.first { $0.level == "broken" }?.passed == true)
        #expect(standing.totalScore == (try game.store.score(run: run.id))?.total)
        #expect(game.leaderboard().map(\.player) == ["ada"])
        // Sent back by an instructor, it no longer counts.
        try game.store.review(run: run.id, document: .postmortem, approve: false, comment: "Say why.", reviewer: "ins", at: Date())
        #expect(game.progress().certification.requirements.contains { $0.title.contains("postmortem") && !$0.met })
    }

    /// The report is frozen when submitted: its fields are refused, its grade is kept, and a
    /// field changed in the database behind the game's back changes neither progress nor
    /// certification. Submitting again records attempt 2, graded, shown, not counted.
    @Test func aSubmittedReportIsFrozenWithItsGrade() throws {
        let game = try game()
        let run = try solvedRun(game)
        try write(game, run, .report, ["title": "Broken", "impact": "All users.", "root_cause": "The 1m limit.", "q.q": "It was session 42."])
        try game.submitReport(run)
        let requirement = { game.progress().certification.requirements.first { $0.title == "A passed level in app, with a report" } }
        #expect(requirement()?.met == true)
        #expect(requirement()?.detail == "broken: 1/1 answers correct")

        #expect(throws: StoreError.reportSubmitted(run: run.id)) {
            try game.store.save(run: run.id, level: run.level, field: "q.q", value: "It was session 7.")
        }
        let database = try DatabaseQueue(path: rig.scratch.url.appendingPathComponent("home/firedrill.sqlite").path)
        try database.write { db in
            try db.execute(sql: "UPDATE document_field SET value = 'It was session 7.' WHERE run = ? AND field = 'q.q'", arguments: [run.id])
        }
        try database.close()
        #expect(game.fields(run.id, .report)["q.q"] == "It was session 7.")
        #expect(game.grades(run).map(\.correct) == [true])
        #expect(requirement()?.met == true)
        #expect(game.progress().runs.first?.answersCorrect == 1)

        try game.submitReport(run)
        let attempts = game.attempts(run)
        #expect(attempts.map(\.number) == [1, 2])
        #expect(attempts.map { $0.grades?.map(\.correct) } == [[true], [false]])
        #expect(attempts[1].grades?.first?.reason == "not the expected number")
        #expect(requirement()?.detail == "broken: 1/1 answers correct", "the first attempt counts")
        let report = try game.markdown(run).report
        #expect(report.contains("## Attempts"))
        #expect(report.contains("attempt 2 · "))
        #expect(!report.contains("Expected"), "the expected answer is never shown")
    }

    /// A run.json from before answers were sealed keeps them in clear, without a salt: graded all the same.
    @Test func aRunWithClearAnswersStillGrades() throws {
        let game = try game()
        var run = try solvedRun(game)
        let file = game.engine.store.directory(of: run.id).appendingPathComponent("run.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        json["sealedAnswers"] = nil
        json["capturedAnswers"] = ["q": "session 42"]
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        run = try game.record(run.id)
        #expect(run.sealedAnswers == nil && run.capturedAnswers == ["q": "session 42"])
        try write(game, run, .report, ["title": "Broken", "impact": "All users.", "root_cause": "The 1m limit.", "q.q": "Session 42 held the lock."])
        try game.submitReport(run)
        #expect(game.grades(run).map(\.correct) == [true])
    }

    /// Before the report is submitted, nothing shows a grade or an expected answer.
    @Test func nothingShowsTheExpectedAnswersBeforeSubmission() throws {
        let game = try game()
        let run = try solvedRun(game)
        try write(game, run, .report, ["q.q": "It was session 7."])
        #expect(game.grades(run).isEmpty)
        let card = try game.score(run)
        let text = ScoreText.lines(card, grades: game.grades(run)).joined(separator: "\n")
        #expect(!text.contains("expected") && !text.contains("✗") && !text.contains("Which?"), "\(text)")
        let report = try game.markdown(run).report
        #expect(report.contains("It was session 7.") && !report.contains("✗") && !report.contains("Expected"))
        let runFile = try String(contentsOf: game.engine.store.directory(of: run.id).appendingPathComponent("run.json"), encoding: .utf8)
        #expect(!runFile.contains("session 42"))
    }

    @Test func aPickIsReproducibleAndSaysWhy() throws {
        let game = try game(player: "bo")
        let pick = try #require(game.pick(seed: 7))
        #expect(pick.level == "broken" && pick.seed == 7)
        #expect(pick.reason.contains("app"))
        #expect(game.pick(seed: 7)?.level == pick.level)
    }

    /// The instructor's machine has the game's database but not the run's files: the run is read
    /// from the database, its objectives from its checks' events, and nothing is asked of Docker.
    @Test func aRunPlayedElsewhereIsReadFromTheDatabase() throws {
        let game = try game()
        let played = try solvedRun(game)
        try write(game, played, .postmortem, Self.postmortem)
        try FileManager.default.removeItem(at: game.engine.store.directory(of: played.id))
        let record = try game.record(played.id)
        #expect(record.isRemote)
        #expect(record.state == played.state && record.liveAt == played.liveAt?.roundedToMillisecond)
        #expect(record.objectiveStates?["works"] == true)
        let execs = rig.runtime.calls.count
        #expect(game.engine.collectCommands(record) == [])
        #expect(try game.markdown(record).postmortem.contains("Raised the limit."))
        #expect(rig.runtime.calls.count == execs)
        #expect(game.progress().runs.map(\.run) == [played.id])
    }
}
