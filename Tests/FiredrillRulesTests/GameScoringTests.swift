import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine
@testable import FiredrillRules

/// A run's events at seconds from a fixed start, each with the payload its detail says.
func gameEvents(_ items: [(Double, String, String)]) -> [RunEvent] {
    let start = Date(timeIntervalSince1970: 1_795_000_000)
    return items.map {
        RunEvent(time: start.addingTimeInterval($0.0), kind: $0.1, detail: $0.2, payload: EventPayload(kind: $0.1, legacyDetail: $0.2))
    }
}

func gameGrades(correct: Int, of total: Int) -> [QuestionGrade] {
    (0..<total).map { QuestionGrade(id: "q\($0)", ask: "Question \($0)?", given: $0 < correct ? "x" : "y", correct: $0 < correct) }
}

@Suite struct GameScoringTests {
    let level = LevelFacts(id: "payload-too-large", category: .http, difficulty: 1, par: 900, objectives: 3, questions: 3)

    func points(_ card: ScoreCard, _ prefix: String) -> Int? {
        card.lines.first { $0.label.hasPrefix(prefix) }?.points
    }

    /// Every card's lines add up to its total.
    func checkSum(_ card: ScoreCard) {
        #expect(card.lines.reduce(0) { $0 + $1.points } == card.total)
    }

    var perfect: [RunEvent] {
        gameEvents([
            (-40, "booting", "level payload-too-large"), (-20, "ready", "the scenario serves"), (0, "live", "fault live"),
            (300, "check", "upload passed"), (600, "mitigated", "every objective holds"), (620, "verify", "solved 3/3"),
            (700, "reported", "report submitted"),
        ])
    }

    @Test func aPerfectRunScoresAThousandAtDifficultyOne() {
        let card = Scoring.score(level: level, events: perfect, grades: gameGrades(correct: 3, of: 3), reportSubmitted: true)
        #expect(card.lines.map(\.label) == [
            "Mitigated", "Objectives 3/3 at the best verify", "Time against par 10:00 / 15:00", "Hints 0 × -40",
            "Blast radius 0 × -150", "Report 3/3 answers correct", "Difficulty 1 ×1.0",
        ])
        #expect(card.lines.map(\.points) == [300, 200, 200, 0, 0, 300, 0])
        #expect(card.total == 1000)
        #expect(card.passed)
        checkSum(card)
    }

    @Test func overParLosesTimeLinearlyAndTheBestVerifyCounts() {
        let events = gameEvents([
            (0, "live", "fault live"), (400, "verify", "not solved 1/3 (passed: a)"), (1350, "mitigated", "every objective holds"),
            (1400, "verify", "not solved 2/3 (passed: a, b)"), (1500, "verify", "not solved 1/3 (passed: a)"),
        ])
        let card = Scoring.score(level: level, events: events, grades: gameGrades(correct: 2, of: 3), reportSubmitted: true)
        #expect(points(card, "Objectives 2/3") == 133)
        #expect(points(card, "Time against par 22:30 / 15:00") == 150) // 1.5 × par: halfway from 200 to 0
        #expect(points(card, "Report 2/3") == 217) // 50 + 166.67
        #expect(card.total == 300 + 133 + 150 + 217)
        #expect(!card.passed)
        checkSum(card)
    }

    @Test func threeTimesParAndBeyondEarnNoTimePoints() {
        for seconds in [2700.0, 4000] {
            let events = gameEvents([(0, "live", ""), (seconds, "mitigated", ""), (seconds + 5, "verify", "solved 3/3")])
            let card = Scoring.score(level: level, events: events, grades: [], reportSubmitted: false)
            #expect(points(card, "Time against par") == 0)
            #expect(points(card, "Report") == 0)
            #expect(card.total == 500)
        }
        #expect(Scoring.timeScore(seconds: 900, par: 900) == 200)
        #expect(Scoring.timeScore(seconds: 1800, par: 900) == 100)
        #expect(Scoring.timeScore(seconds: 2699, par: 900) < 1)
        #expect(Scoring.timeScore(seconds: 2700, par: 900) == 0)
    }

    @Test func hintsCostFortyAndEachDistinctCostlyFixCostsOneFifty() {
        var events = perfect
        events += gameEvents([
            (100, "hint", "hint 1 revealed"), (200, "hint", "hint 2 revealed"),
            (500, "costly", "restart-db: Restarted the database"), (550, "costly", "restart-db: Restarted the database"),
            (560, "costly", "raise-limit-everywhere: Lifted every limit"),
        ])
        let card = Scoring.score(level: level, events: events, grades: gameGrades(correct: 3, of: 3), reportSubmitted: true)
        #expect(points(card, "Hints 2") == -80)
        #expect(points(card, "Blast radius 2") == -300)
        #expect(card.total == 1000 - 80 - 300)
        checkSum(card)
    }

    @Test func theSubtotalIsFlooredAtZeroBeforeTheMultiplier() {
        let events = gameEvents([
            (0, "live", ""), (10, "hint", "hint 1 revealed"), (20, "hint", "hint 2 revealed"), (30, "hint", "hint 3 revealed"),
            (40, "costly", "drop-table: Dropped the table"), (50, "stopped", "instances removed"),
        ])
        let hard = LevelFacts(id: "x", category: .database, difficulty: 3, par: 600, objectives: 2, questions: 2)
        let card = Scoring.score(level: hard, events: events, grades: [], reportSubmitted: false)
        #expect(points(card, "Mitigated") == 0)
        #expect(points(card, "Objectives: no verify") == 0)
        #expect(points(card, "Time against par: not mitigated") == 0)
        #expect(points(card, "Floor at 0") == 270)
        #expect(points(card, "Difficulty 3") == 0)
        #expect(card.total == 0)
        #expect(!card.passed)
        checkSum(card)
    }

    @Test func difficultyMultipliesTheSubtotal() {
        for (difficulty, total, bonus) in [(2, 1500, 500), (3, 2000, 1000), (7, 2000, 1000), (0, 1000, 0)] {
            var hard = level
            hard.difficulty = difficulty
            let card = Scoring.score(level: hard, events: perfect, grades: gameGrades(correct: 3, of: 3), reportSubmitted: true)
            #expect(card.total == total)
            #expect(card.lines.last?.points == bonus)
            #expect(card.lines.last?.label.hasPrefix("Difficulty") == true)
            checkSum(card)
        }
        #expect(Scoring.multiplier(difficulty: 2) == 1.5)
    }

    @Test func withoutAVerifyObjectivesScoreNothingAndTheLevelIsNotPassed() {
        let events = gameEvents([(0, "live", ""), (300, "mitigated", "every objective holds")])
        let card = Scoring.score(level: level, events: events, grades: gameGrades(correct: 1, of: 3), reportSubmitted: true)
        #expect(points(card, "Objectives") == 0)
        #expect(points(card, "Time against par") == 200)
        #expect(points(card, "Report 1/3") == 50 + 83)
        #expect(card.total == 300 + 200 + 133)
        #expect(!card.passed)
    }

    @Test func verifyDetailsWithoutACountAreRead() {
        func verifyResult(_ detail: String, objectives: Int) -> (passed: Int, total: Int, fraction: Double)? {
            Scoring.bestVerify(gameEvents([(0, "verify", detail)]), objectives: objectives)
        }
        #expect(verifyResult("solved", objectives: 4)?.fraction == 1)
        #expect(verifyResult("not solved (passed: a, b)", objectives: 4)?.passed == 2)
        #expect(verifyResult("not solved (passed: )", objectives: 4)?.fraction == 0)
        #expect(verifyResult("not solved 1/4 (passed: a)", objectives: 9)?.total == 4)
    }

    @Test func aReportForALevelWithoutQuestionsEarnsTheFullThreeHundred() {
        let none = LevelFacts(id: "tutorial", category: .all, difficulty: 1, par: 300, objectives: 1, questions: 0)
        let card = Scoring.score(level: none, events: [], grades: [], reportSubmitted: true)
        #expect(points(card, "Report 0/0") == 300)
        #expect(card.total == 300)
    }
}

@Suite struct GameGradingTests {
    func question(_ id: String, _ kind: AnswerKind, _ answer: Answer) -> Question { Question(id: id, ask: "\(id)?", kind: kind, answer: answer) }

    @Test func gradesUseTheCapturedAnswerFirst() {
        let questions = [
            question("status", .status, .command(instance: "proxy", command: "tail", user: nil)),
            question("limit", .size, .value("1m")),
            question("instance", .instance, .value("proxy")),
            question("lost", .number, .command(instance: "db", command: "x", user: nil)),
        ]
        let grades = Grading.grade(questions: questions, captured: ["status": "413\n", "limit": "2m"],
                                   given: ["status": "HTTP 413 from nginx", "limit": "1m", "instance": "  ", "lost": "37"],
                                   instances: ["frontend", "proxy", "backend", "db"])
        #expect(grades.map(\.correct) == [true, false, false, false])
        #expect(grades.map(\.reason) == [nil, "not the expected size", "no answer", "the run captured no expected number for this question"])
        #expect(grades[0].given == "HTTP 413 from nginx")
        #expect(grades[1].ask == "limit?")
    }

    @Test func patternsAreFoundInOneShortSentence() {
        let questions = [question("scheduler", .text, .pattern("(?i)cron.*(every|each|1) ?minute")), question("why", .text, .pattern("origin"))]
        let yes = Grading.grade(questions: questions, captured: ["scheduler": "/(?i)cron.*(every|each|1) ?minute/"],
                                given: ["scheduler": "A CRON entry, every minute", "why": "any origin could read it"])
        #expect(yes.map(\.correct) == [true, true])
        let no = Grading.grade(questions: questions, captured: [:], given: ["scheduler": "systemd timer", "why": ""])
        #expect(no.map(\.correct) == [false, false])
        #expect(!Grading.matches(pattern: "(unclosed", in: "(unclosed"))
    }
}

@Suite struct GameScoringDocsTests {
    /// The worked example of docs/scoring.md, line for line.
    @Test func theWorkedExampleOfTheDocs() throws {
        let level = LevelFacts(id: "schema-lock", category: .database, difficulty: 2, par: 1200, objectives: 3, questions: 3)
        let events = gameEvents([
            (0, "live", "fault live"), (480, "hint", "hint 1 revealed"),
            (780, "costly", "database-restarted: Restarted the whole database server to end one session"),
            (1080, "verify", "not solved 2/3 (passed: api-answers, blocker-ended)"),
            (1680, "mitigated", "every objective holds"), (1740, "verify", "solved 3/3"),
        ])
        let card = Scoring.score(level: level, events: events, grades: gameGrades(correct: 2, of: 3), reportSubmitted: true)
        let table = card.lines.map { "| \($0.label) | \($0.points > 0 ? "+" : "")\($0.points) |" }
        #expect(table == [
            "| Mitigated | +300 |",
            "| Objectives 3/3 at the best verify | +200 |",
            "| Time against par 28:00 / 20:00 | +160 |",
            "| Hints 1 × -40 | -40 |",
            "| Blast radius 1 × -150 | -150 |",
            "| Report 2/3 answers correct | +217 |",
            "| Difficulty 2 ×1.5 | +344 |",
        ])
        #expect(card.total == 1031)
        #expect(card.passed)
        let docs = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/scoring.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for row in table { #expect(text.contains(row), "docs/scoring.md lacks \(row)") }
        #expect(text.contains("| **Total** | **1031** |"))
    }
}

@Suite struct GameScoringOrderTests {
    @Test func timeIsFromTheEarliestLiveToTheEarliestMitigatedWhateverTheOrder() {
        let level = LevelFacts(id: "x", category: .app, difficulty: 1, par: 600, objectives: 1, questions: 0)
        let events = gameEvents([(1500, "mitigated", ""), (0, "live", ""), (1200, "mitigated", ""), (1210, "verify", "solved 1/1")])
        let card = Scoring.score(level: level, events: events.reversed(), grades: [], reportSubmitted: false)
        #expect(card.lines.first { $0.label.hasPrefix("Time against par") }?.label == "Time against par 20:00 / 10:00")
        #expect(card.lines.first { $0.label.hasPrefix("Time against par") }?.points == 100)
    }
}

@Suite struct GameScoringPayloadTests {
    /// The events with every detail replaced, payloads kept.
    func blind(_ events: [RunEvent]) -> [RunEvent] {
        events.map { RunEvent(time: $0.time, kind: $0.kind, detail: $0.payload == nil ? $0.detail : "unread", payload: $0.payload) }
    }

    @Test func scoringReadsThePayloadsNotTheDetails() {
        let level = LevelFacts(id: "schema-lock", category: .database, difficulty: 2, par: 1200, objectives: 3, questions: 3)
        let partial = gameEvents([
            (0, "live", "fault live"), (480, "hint", "hint 1 revealed"), (780, "costly", "database-restarted: Restarted the server"),
            (1080, "verify", "not solved 2/3 (passed: api-answers, blocker-ended)"), (1680, "mitigated", "every objective holds"),
        ])
        for events in [gameRunEvents, partial] {
            let card = Scoring.score(level: level, events: events, grades: gameGrades(correct: 2, of: 3), reportSubmitted: true)
            #expect(Scoring.score(level: level, events: blind(events), grades: gameGrades(correct: 2, of: 3), reportSubmitted: true) == card)
            // The same details without payloads count for nothing.
            let words = events.map { RunEvent(time: $0.time, kind: $0.kind, detail: $0.detail) }
            let unread = Scoring.score(level: level, events: words, grades: gameGrades(correct: 2, of: 3), reportSubmitted: true)
            #expect(unread.lines.contains { $0.label == "Objectives: no verify" })
            #expect(unread.lines.contains { $0.label == "Blast radius 0 × -150" })
            #expect(!unread.passed)
        }
    }

    @Test func theTimelineReadsThePayloadsAndShowsAVerifysDetail() {
        let expected = Timeline.entries(events: gameRunEvents).map { $0.text.hasPrefix("Verify:") ? "Verify: unread" : $0.text }
        #expect(Timeline.entries(events: blind(gameRunEvents)).map(\.text) == expected)
    }
}
