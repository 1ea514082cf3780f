import FiredrillEngine
import Foundation

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

/// One report question, graded against the answer the run captured. The expected answer is not
/// part of it: it is sealed in the run, and a grade is shown to the trainee.
public struct QuestionGrade: Sendable, Equatable, Codable {
    public var id: String
    public var ask: String
    public var given: String
    public var correct: Bool
    /// Why a wrong answer is wrong ("lists 12 statuses: give one"); nil when correct.
    public var reason: String?

    public init(id: String, ask: String, given: String, correct: Bool, reason: String? = nil) {
        self.id = id
        self.ask = ask
        self.given = given
        self.correct = correct
        self.reason = reason
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
