import Foundation

/// The kinds of events a run records, in the engine's run log and the game's database.
public enum EventKind {
    public static let booting = "booting", up = "up", ready = "ready", fault = "fault", live = "live"
    public static let mitigated = "mitigated", failed = "failed", stopped = "stopped"
    /// An explicit verify; detail "solved 3/3" or "not solved 1/3 (passed: a)".
    public static let verify = "verify"
    /// An objective changed state in a routine check; detail "<objective id> passed|failing".
    public static let check = "check"
    /// A hint was revealed; detail "hint <n> revealed".
    public static let hint = "hint"
    /// A shell was opened, or a one-off command run through `firedrill shell`.
    public static let shell = "shell"
    /// A command typed in an instance's shell, from its history; detail "<instance>: <command>".
    public static let command = "command"
    /// A costly fix was detected (blast radius); detail "<costly id>: <title>".
    public static let costly = "costly"
    /// The incident report was submitted; the postmortem was submitted; the run was closed.
    public static let reported = "reported", postmortem = "postmortem", closed = "closed"
}

/// What the game needs of a level, apart from how to run it.
public struct LevelFacts: Sendable, Equatable, Codable {
    public var id: String
    public var category: Category
    public var difficulty: Int
    /// Seconds.
    public var par: Double
    public var objectives: Int
    public var questions: Int

    public init(id: String, category: Category, difficulty: Int, par: Double, objectives: Int, questions: Int) {
        self.id = id
        self.category = category
        self.difficulty = difficulty
        self.par = par
        self.objectives = objectives
        self.questions = questions
    }

    public init(_ level: Level) {
        self.init(id: level.id, category: level.category, difficulty: level.difficulty, par: level.par,
                  objectives: level.objectives.count, questions: level.questions.count)
    }
}

/// One report question, graded against the answer the run captured.
public struct QuestionGrade: Sendable, Equatable, Codable {
    public var id: String
    public var ask: String
    /// What was expected, as shown to the trainee after grading ("/regex/" for a pattern).
    public var expected: String
    public var given: String
    public var correct: Bool

    public init(id: String, ask: String, expected: String, given: String, correct: Bool) {
        self.id = id
        self.ask = ask
        self.expected = expected
        self.given = given
        self.correct = correct
    }
}

/// One line of a score's breakdown, as shown in the game and in `docs/scoring.md`.
public struct ScoreLine: Sendable, Equatable, Codable {
    public var label: String
    public var points: Int

    public init(label: String, points: Int) {
        self.label = label
        self.points = points
    }
}

public struct ScoreCard: Sendable, Equatable, Codable {
    public var lines: [ScoreLine]
    public var total: Int
    /// The level is passed: every objective held on a verify.
    public var passed: Bool

    public init(lines: [ScoreLine], total: Int, passed: Bool) {
        self.lines = lines
        self.total = total
        self.passed = passed
    }
}

/// Where an instructor's review of a postmortem stands.
public enum ReviewStatus: String, Sendable, Equatable, Codable {
    case draft, submitted, approved, returned
}

/// One played run as progress, certification and the leaderboard see it.
public struct PlayedRun: Sendable, Equatable, Codable {
    public var run: String
    public var player: String
    public var level: String
    public var category: Category
    public var startedAt: Date
    public var passed: Bool
    public var score: Int?
    public var reportSubmitted: Bool
    public var answersCorrect: Int
    public var questions: Int
    public var postmortem: ReviewStatus?
    /// The submitted postmortem has every section filled and no blamelessness finding.
    public var postmortemComplete: Bool

    public init(run: String, player: String, level: String, category: Category, startedAt: Date, passed: Bool, score: Int?,
                reportSubmitted: Bool, answersCorrect: Int, questions: Int, postmortem: ReviewStatus?, postmortemComplete: Bool) {
        self.run = run
        self.player = player
        self.level = level
        self.category = category
        self.startedAt = startedAt
        self.passed = passed
        self.score = score
        self.reportSubmitted = reportSubmitted
        self.answersCorrect = answersCorrect
        self.questions = questions
        self.postmortem = postmortem
        self.postmortemComplete = postmortemComplete
    }
}
