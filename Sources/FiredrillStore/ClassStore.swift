import FiredrillEngine
import FiredrillRules
import Foundation

/// A level and its seed given to a trainee by the class: what their `play` boots.
public struct ClassAssignment: Sendable, Equatable {
    public var player: String
    public var level: String
    public var seed: UInt64
    public var assignedAt: Date

    public init(player: String, level: String, seed: UInt64, assignedAt: Date) {
        self.player = player
        self.level = level
        self.seed = seed
        self.assignedAt = assignedAt
    }
}

/// A run's expected report answers as its engine captured them when the fault went live.
public struct ExpectedAnswers: Sendable, Equatable {
    public var sealed: SealedAnswers?
    public var captured: [String: String]

    public init(sealed: SealedAnswers?, captured: [String: String] = [:]) {
        self.sealed = sealed
        self.captured = captured
    }
}

/// The game's database of a class: the class assigns each trainee a level and its seed, keeps
/// each run's expected answers where the trainee may write but not read them, and grades in the
/// instructor's process (`Game.gradeClass`).
public protocol ClassStore: GameStore {
    /// The login's name when it is one of the class's trainees; nil for the instructor.
    func trainee() throws -> String?
    /// Whether the login runs the class: its database has a trainee group and the login is not
    /// in it. An instructor's commands make no player of the instructor.
    func isInstructor() throws -> Bool
    /// The newest assignment of a player.
    func assignment(player: String) throws -> ClassAssignment?
    /// Assigns a level to players; the store draws each player a seed of their own when none is given.
    @discardableResult
    func assign(level: String, seed: UInt64?, to players: [String], at: Date) throws -> [ClassAssignment]
    /// Kept once per run (a second write changes nothing).
    func saveExpectedAnswers(run: String, _ answers: ExpectedAnswers) throws
    func expectedAnswers(run: String) throws -> ExpectedAnswers?
    /// Gives an attempt its grades (the instructor's).
    func saveGrades(run: String, attempt: Int, grades: [QuestionGrade]) throws
}
