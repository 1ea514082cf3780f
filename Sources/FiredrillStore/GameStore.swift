import FiredrillEngine
import FiredrillRules
import Foundation

/// The documents a trainee writes about a run, saved field by field as they are typed.
public enum Document: String, Sendable, CaseIterable {
    case report, postmortem
}

/// One run as the game's database keeps it: who played which level, and when each step happened.
public struct StoredRun: Sendable, Equatable {
    public var id: String
    public var player: String
    public var level: String
    public var category: Category
    public var difficulty: Int
    public var seed: UInt64?
    /// The engine's `RunState` raw value (booting, live, mitigated, stopped, failed).
    public var state: String
    public var createdAt: Date
    public var liveAt: Date?
    public var mitigatedAt: Date?
    public var reportedAt: Date?
    public var closedAt: Date?
    public var stoppedAt: Date?
    public var hintsRevealed: Int

    public init(id: String, player: String, level: String, category: Category, difficulty: Int, seed: UInt64? = nil,
                state: String, createdAt: Date, liveAt: Date? = nil, mitigatedAt: Date? = nil, reportedAt: Date? = nil,
                closedAt: Date? = nil, stoppedAt: Date? = nil, hintsRevealed: Int = 0) {
        self.id = id
        self.player = player
        self.level = level
        self.category = category
        self.difficulty = difficulty
        self.seed = seed
        self.state = state
        self.createdAt = createdAt
        self.liveAt = liveAt
        self.mitigatedAt = mitigatedAt
        self.reportedAt = reportedAt
        self.closedAt = closedAt
        self.stoppedAt = stoppedAt
        self.hintsRevealed = hintsRevealed
    }
}

/// A submitted document and where its review stands.
public struct Submission: Sendable, Equatable {
    public var run: String
    public var document: Document
    public var status: ReviewStatus
    public var submittedAt: Date
    /// The reviewer's comment; cleared when the document is submitted again.
    public var comment: String?
    public var reviewer: String?
    public var reviewedAt: Date?

    public init(run: String, document: Document, status: ReviewStatus, submittedAt: Date, comment: String? = nil,
                reviewer: String? = nil, reviewedAt: Date? = nil) {
        self.run = run
        self.document = document
        self.status = status
        self.submittedAt = submittedAt
        self.comment = comment
        self.reviewer = reviewer
        self.reviewedAt = reviewedAt
    }
}

/// One submission of a run's incident report, kept as it was: its fields and its grades at that
/// moment. The first attempt is the one the run's score and certification count.
public struct ReportAttempt: Sendable, Equatable {
    public var run: String
    /// 1 for the first submission, then 2, 3…
    public var number: Int
    public var submittedAt: Date
    public var fields: [String: String]
    /// The grades given at submission; nil for a report submitted before attempts were kept
    /// (its fields were frozen by the migration, and are graded as they stand there), or one a
    /// class has not graded yet.
    public var grades: [QuestionGrade]?

    public init(run: String, number: Int, submittedAt: Date, fields: [String: String], grades: [QuestionGrade]?) {
        self.run = run
        self.number = number
        self.submittedAt = submittedAt
        self.fields = fields
        self.grades = grades
    }
}

/// What the store refuses.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// Events, submissions and scores belong to a run that must have been upserted first.
    case noSuchRun(String)
    /// A review needs a document in the submitted state.
    case notSubmitted(run: String, document: Document)
    /// A stored value the store cannot read back (an unknown category or status, a damaged score).
    case unreadable(String)
    /// A submitted incident report is frozen: its fields are no longer saved.
    case reportSubmitted(run: String)

    public var description: String {
        switch self {
        case .noSuchRun(let run): return "no run \(run) in the database"
        case .notSubmitted(let run, let document): return "the \(document.rawValue) of run \(run) is not awaiting review"
        case .unreadable(let what): return "unreadable value in the database: \(what)"
        case .reportSubmitted(let run): return "the incident report of run \(run) is submitted: its fields are frozen"
        }
    }
}

/// The game's database: players, runs and their events, reports and postmortems, reviews and
/// scores. `SQLiteStore` (in FiredrillSQLite) is the embedded implementation; a team can put a
/// server database behind the same protocol, in a target of its own.
///
/// Dates are kept to the millisecond: a date read back equals the one written rounded to the
/// nearest millisecond (`Date.roundedToMillisecond`). Every write is one transaction.
public protocol GameStore: ReportStore {
    func ensurePlayer(_ name: String) throws
    /// Every player, by name.
    func players() throws -> [String]
    /// Insert or update by id; the player is created when missing. An update never changes the
    /// player or the creation time of an existing run, and never clears a timestamp already set
    /// (nil in the argument keeps the stored one); the other fields take the argument's values.
    func upsertRun(_ run: StoredRun) throws
    func run(_ id: String) throws -> StoredRun?
    /// Oldest first; nil player = everyone's.
    func runs(player: String?) throws -> [StoredRun]
    /// Appends an event to a run that exists (else `StoreError.noSuchRun`); false when the same
    /// (run, time to the millisecond, kind, detail) is already stored (commands imported twice
    /// from a shell history).
    @discardableResult func append(_ event: RunEvent, run: String) throws -> Bool
    /// Appends several in ONE transaction (all or none); returns how many were new.
    @discardableResult func append(_ events: [RunEvent], run: String) throws -> Int
    /// Time order, then insertion order.
    func events(run: String) throws -> [RunEvent]
    /// Every saved field of a run's document; the run need not be in the database.
    func fields(run: String, document: Document) throws -> [String: String]
    /// Saves one field; when it returns, the value survives a crash or a kill. A field of a
    /// submitted incident report is refused (`StoreError.reportSubmitted`): the report is frozen.
    func saveField(run: String, level: String, document: Document, field: String, value: String) throws
    /// Submits the incident report as a new attempt, numbered from 1, with its fields and grades
    /// as given (nil: graded later, by the class), and does what `submit` does for the report,
    /// in the same transaction. Returns its number.
    @discardableResult
    func submitReport(run: String, fields: [String: String], grades: [QuestionGrade]?, at: Date) throws -> Int
    /// The report's attempts, first first.
    func attempts(run: String) throws -> [ReportAttempt]
    /// Marks a document submitted (status submitted, comment and review cleared), appends the
    /// matching event (`EventKind.reported` or `.postmortem`) and sets the run's `reportedAt`
    /// (report) or `closedAt` (postmortem) unless already set, in one transaction. The run must exist.
    func submit(run: String, document: Document, at: Date) throws
    func submission(run: String, document: Document) throws -> Submission?
    /// nil status = every status; newest first.
    func submissions(document: Document, status: ReviewStatus?) throws -> [Submission]
    /// An instructor approves, or sends back with a comment (status returned). Throws
    /// `StoreError.notSubmitted` when the document is not in the submitted state.
    func review(run: String, document: Document, approve: Bool, comment: String, reviewer: String, at: Date) throws
    /// Stores a run's score, replacing any earlier one. The run must exist.
    func saveScore(run: String, card: ScoreCard, at: Date) throws
    func score(run: String) throws -> ScoreCard?
}

extension GameStore {
    @discardableResult
    public func append(_ event: RunEvent, run: String) throws -> Bool {
        try append([event], run: run) == 1
    }
}

/// The console's report autosave is the report document of the game's database.
extension GameStore {
    public func load(run: String) throws -> [String: String] {
        try fields(run: run, document: .report)
    }

    public func save(run: String, level: String, field: String, value: String) throws {
        try saveField(run: run, level: level, document: .report, field: field, value: value)
    }
}

extension Date {
    /// The date as the game's database gives it back: rounded to the millisecond.
    public var roundedToMillisecond: Date { StoredTime.date(StoredTime.milliseconds(self)) }
}

/// Dates as the game's database keeps them: whole milliseconds since 1970 (UTC).
public enum StoredTime {
    public static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    public static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
