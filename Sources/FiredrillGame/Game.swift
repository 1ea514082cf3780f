import FiredrillEngine
import FiredrillRules
import FiredrillStore
import Foundation

public enum GameError: Error, CustomStringConvertible, Equatable {
    case notLive(String)
    case reportFirst(String)
    case incomplete(document: String, problems: [String])
    /// In a class: no level assigned to the trainee yet, or not the one asked for.
    case unassigned(String)
    case notAssigned(String)
    /// In a class, the level played is the one assigned: there is no next one to boot ahead.
    case nothingAhead(String)

    public var description: String {
        switch self {
        case let .notLive(run): return "run \(run) never went live: there is nothing to report"
        case let .reportFirst(run): return "submit the incident report of \(run) before its postmortem"
        case let .incomplete(document, problems):
            return "the \(document) is not ready to submit:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case let .unassigned(player): return "no level is assigned to \(player) yet: the instructor assigns one ('firedrill class assign LEVEL')"
        case let .notAssigned(message): return message
        case let .nothingAhead(level): return "the class's level is \(level), the one being played: the instructor assigns the next"
        }
    }
}

/// A player's standing: what `firedrill progress` prints and the console shows.
public struct Progress: Sendable, Codable, Equatable {
    public struct LevelRow: Sendable, Codable, Equatable {
        public var level: String
        public var category: String
        public var plays: Int
        public var passed: Bool
        public var bestScore: Int?
    }

    public var player: String
    public var levels: [LevelRow]
    public var runs: [PlayedRun]
    public var totalScore: Int
    public var certification: CertificationStatus
}

public struct LeaderboardRow: Sendable, Codable, Equatable {
    public var player: String
    /// The sum of each level's best score.
    public var score: Int
    public var passed: Int
    public var certified: Bool
}

/// The game around the engine: who plays, what they are assigned, their reports, postmortems,
/// scores and certification, all kept in the game's database.
public final class Game: @unchecked Sendable {
    public let engine: Engine
    public let store: any GameStore
    public let player: String
    public let journal: StoreJournal
    /// In a class, the trainee's login: the class assigns their level and seed, and grades.
    public let trainee: String?
    /// The zone the timeline and the exports show times in.
    public var timeZone = TimeZone.current

    public init(engine: Engine, store: any GameStore, player: String) {
        self.engine = engine
        self.store = store
        self.player = player
        trainee = (try? (store as? any ClassStore)?.trainee()) ?? nil
        journal = StoreJournal(store: store, player: player)
        engine.journal = journal
        // An instructor's commands (review, watch, the dashboard) do not put the instructor on
        // the class's board; a run would still make its player.
        if trainee != nil || !((try? (store as? any ClassStore)?.isInstructor()) ?? false) { try? store.ensurePlayer(player) }
    }

    public func levelFacts() -> [LevelFacts] { engine.catalog.levels().0.map(LevelFacts.init) }

    /// The categories certification asks for, in the catalogue's order; when the catalogue's file
    /// cannot be read, every category a level is in (asking for more, never for less).
    func certifyingCategories(_ levels: [LevelFacts]) -> [Category] {
        guard let categories = try? engine.catalog.categories() else {
            return Set(levels.map(\.category)).sorted { $0.rawValue < $1.rawValue }
        }
        return categories.filter(\.certifies).map(\.id)
    }

    // MARK: - Assignment

    /// The level `play` gives when none is named, with the seed that reproduces the pick and why.
    /// `excluding` leaves a level out (the one being played, when the next is booted ahead).
    public func pick(seed: UInt64?, excluding: String? = nil) -> (level: String, seed: UInt64, reason: String)? {
        let seed = seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        let levels = levelFacts().filter { $0.id != excluding }
        let history = played(player: player)
        guard let id = Assignment.pick(levels: levels, history: history, seed: seed) else { return nil }
        return (id, seed, Assignment.reason(for: id, levels: levels, history: history))
    }

    /// In a class, the trainee's level and seed, from the class; a level or seed asked for that is
    /// not the one assigned is refused. nil when not in a class.
    public func assigned(level: String?, seed: UInt64?) throws -> ClassAssignment? {
        guard let trainee, let store = store as? any ClassStore else { return nil }
        guard let assignment = try store.assignment(player: trainee) else { throw GameError.unassigned(trainee) }
        if let level, level != assignment.level {
            throw GameError.notAssigned("in this class your level is \(assignment.level), assigned by the instructor (not \(level))")
        }
        if let seed, seed != assignment.seed {
            throw GameError.notAssigned("in this class the seed is the one assigned (\(assignment.seed)), not \(seed)")
        }
        return assignment
    }

    // MARK: - One run

    /// Where the level stands: the run's state, or reported / closed once the report / the
    /// postmortem is submitted while the run is up.
    public func stage(_ record: RunRecord) -> String {
        let submissions = self.submissions(record.id)
        return Self.stage(record.state, reported: submissions[.report] != nil, closed: submissions[.postmortem] != nil)
    }

    /// A stage from a run's state and its submitted documents (the console keeps its own).
    public static func stage(_ state: RunState, reported: Bool, closed: Bool) -> String {
        guard state == .live || state == .mitigated else { return state.rawValue }
        return closed ? "closed" : reported ? "reported" : state.rawValue
    }

    /// The run's submitted documents.
    public func submissions(_ run: String) -> [Document: Submission] {
        var found: [Document: Submission] = [:]
        for document in Document.allCases {
            if let submission = (try? store.submission(run: run, document: document)) ?? nil { found[document] = submission }
        }
        return found
    }

    /// A run's record from its run file; a run played on another machine, from the database
    /// (`RunRecord.isRemote`: its objectives as its checks' events left them).
    public func record(_ id: String) throws -> RunRecord {
        do {
            return try engine.store.load(id)
        } catch {
            guard let stored = try? store.run(id) else { throw error }
            return remoteRecord(stored)
        }
    }

    func remoteRecord(_ run: StoredRun) -> RunRecord {
        var objectives: [String: Bool] = [:]
        for event in (try? store.events(run: run.id)) ?? [] {
            switch event.payload {
            case let .check(objective, passed): objectives[objective] = passed
            case let .verify(_, passed, _): for objective in passed { objectives[objective] = true }
            default: break
            }
        }
        let scenario = (try? engine.catalog.level(run.level, bindings: LevelBindings(draw: .seed(run.seed ?? 0), ports: [:], runID: run.id)))?.scenario
        return RunRecord(id: run.id, level: run.level, scenario: scenario ?? "", state: RunState(rawValue: run.state) ?? .stopped,
                         createdAt: run.createdAt, liveAt: run.liveAt, mitigatedAt: run.mitigatedAt, stoppedAt: run.stoppedAt,
                         hintsRevealed: run.hintsRevealed, seed: run.seed, objectiveStates: objectives)
    }

    public func fields(_ run: String, _ document: Document) -> [String: String] {
        (try? store.fields(run: run, document: document)) ?? [:]
    }

    /// The grades that count for the run: those given when its incident report was first
    /// submitted (frozen then; later edits of the store's fields change nothing), none before.
    public func grades(_ record: RunRecord) -> [QuestionGrade] {
        let attempts = (try? store.attempts(run: record.id)) ?? []
        // A trainee's grades are the class's to give.
        if trainee != nil { return attempts.first?.grades ?? [] }
        if let first = attempts.first { return first.grades ?? grade(record, fields: first.fields) }
        // A report submitted without an attempt recorded: graded as it stands.
        let submitted = ((try? store.submission(run: record.id, document: .report)) ?? nil) != nil
        guard submitted else { return [] }
        return grade(record, fields: fields(record.id, .report))
    }

    /// The report's attempts, each with its grades (given at submission).
    public func attempts(_ record: RunRecord) -> [ReportAttempt] {
        ((try? store.attempts(run: record.id)) ?? []).map { attempt in
            var graded = attempt
            if graded.grades == nil, trainee == nil { graded.grades = grade(record, fields: attempt.fields) }
            return graded
        }
    }

    /// Grades report fields against the run's expected answers.
    func grade(_ record: RunRecord, fields: [String: String]) -> [QuestionGrade] {
        guard let level = try? engine.level(of: record) else { return [] }
        return grade(level, expected: ExpectedAnswers(sealed: record.sealedAnswers, captured: record.capturedAnswers), fields: fields)
    }

    /// Grades report fields against expected answers: the one grading, local or the class's.
    func grade(_ level: Level, expected: ExpectedAnswers, fields: [String: String]) -> [QuestionGrade] {
        let instances = (try? engine.catalog.scenario(level.scenario))?.instanceNames ?? []
        return Grading.grade(questions: level.questions, sealed: expected.sealed, captured: expected.captured,
                             given: IncidentReport.answers(fields), instances: instances)
    }

    /// The run's events in the database (the engine's run log when the database has none).
    public func events(_ record: RunRecord) -> [RunEvent] {
        let stored = (try? store.events(run: record.id)) ?? []
        return stored.isEmpty ? engine.store.events(of: record.id) : stored
    }

    /// The run's score as its history stands now; saved when `save` is set.
    /// A trainee's is the one the class stored (none before grading).
    @discardableResult
    public func score(_ record: RunRecord, save: Bool = false) throws -> ScoreCard {
        if trainee != nil {
            guard let card = try store.score(run: record.id) else { throw StoreError.unreadable("no score yet for \(record.id): the class grades it") }
            return card
        }
        let level = try engine.level(of: record)
        let submitted = (try? store.submission(run: record.id, document: .report)) != nil
        let card = Scoring.score(level: LevelFacts(level), events: events(record), grades: grades(record), reportSubmitted: submitted)
        if save { try store.saveScore(run: record.id, card: card, at: Date()) }
        return card
    }

    /// The run's timeline as text; commands typed in a live run's shells are imported first.
    public func timeline(_ record: RunRecord, collectingCommands: Bool = true) -> String {
        if collectingCommands, record.state.isActive { engine.collectCommands(record) }
        return Timeline.text(Timeline.entries(events: events(record)), start: record.liveAt, timeZone: timeZone)
    }

    /// What the run knows for the report: the detection and mitigation times and the timeline
    /// (`fillReport` and the console's `f` put them in, keeping what the trainee typed).
    public func reportDefaults(_ record: RunRecord) -> [String: String] {
        var defaults: [String: String] = [:]
        if let live = record.liveAt { defaults["detected"] = isoTimestamp(live) }
        if let mitigated = record.mitigatedAt { defaults["mitigated"] = isoTimestamp(mitigated) }
        defaults["timeline"] = timeline(record)
        return defaults
    }

    /// Fills the report's empty automatic fields and saves them.
    public func fillReport(_ record: RunRecord) -> [String: String] {
        var current = fields(record.id, .report)
        for (field, value) in reportDefaults(record) where (current[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            current[field] = value
            try? store.saveField(run: record.id, level: record.level, document: .report, field: field, value: value)
        }
        return current
    }

    /// Files the incident report as a new attempt: its fields and their grades are frozen in
    /// the store, the run scored (with the first attempt's grades) and exported to the workspace.
    /// In a class the attempt goes ungraded (nil): the instructor's `gradeClass` grades it.
    @discardableResult
    public func submitReport(_ record: RunRecord) throws -> ScoreCard? {
        guard record.liveAt != nil else { throw GameError.notLive(record.id) }
        let current = fillReport(record)
        let missing = ["title": "a title", "impact": "the impact", "root_cause": "the root cause"]
            .filter { (current[$0.key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            .map { "write \($0.value)" }.sorted()
        guard missing.isEmpty else { throw GameError.incomplete(document: "incident report", problems: missing) }
        try store.submitReport(run: record.id, fields: current, grades: trainee == nil ? grade(record, fields: current) : nil, at: Date())
        let card = trainee == nil ? try score(record, save: true) : nil
        // The commands were imported for the timeline a moment ago.
        _ = try? export(record, to: record.workspace, collectingCommands: false)
        return card
    }

    /// What stands between the postmortem and its submission: missing sections, malformed action
    /// items, wording that blames a person.
    public func postmortemProblems(_ run: String) -> [String] {
        let current = fields(run, .postmortem)
        let findings = Blameless.lint(Postmortem.lintFields(current))
        let labels = Dictionary(Postmortem.fields.map { ($0.id, $0.label) }, uniquingKeysWith: { first, _ in first })
        return Postmortem.problems(current) + findings.map { "\(labels[$0.field] ?? $0.field), line \($0.line): \($0.message)" }
    }

    public func submitPostmortem(_ record: RunRecord) throws {
        guard (try? store.submission(run: record.id, document: .report)) != nil else { throw GameError.reportFirst(record.id) }
        let problems = postmortemProblems(record.id)
        guard problems.isEmpty else { throw GameError.incomplete(document: "postmortem", problems: problems) }
        try store.submit(run: record.id, document: .postmortem, at: Date())
        if trainee == nil { try score(record, save: true) }
        _ = try? export(record, to: record.workspace)
    }

    /// Writes `incident-report.md` and `postmortem.md` of a run into a folder.
    @discardableResult
    public func export(_ record: RunRecord, to directory: URL, collectingCommands: Bool = true) throws -> [URL] {
        let (report, postmortem) = try markdown(record, collectingCommands: collectingCommands)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let files = [directory.appendingPathComponent("incident-report.md"), directory.appendingPathComponent("postmortem.md")]
        try report.write(to: files[0], atomically: true, encoding: .utf8)
        try postmortem.write(to: files[1], atomically: true, encoding: .utf8)
        return files
    }

    /// The run's incident report and postmortem as Markdown.
    public func markdown(_ record: RunRecord, collectingCommands: Bool = true) throws -> (report: String, postmortem: String) {
        let level = try engine.level(of: record)
        let owner = (try? store.run(record.id))?.player ?? player
        let context = ExportContext(runID: record.id, levelID: level.id, levelTitle: level.title, player: owner,
                                    liveAt: record.liveAt, mitigatedAt: record.mitigatedAt, timeZone: timeZone)
        let timeline = timeline(record, collectingCommands: collectingCommands)
        let reportFields = fields(record.id, .report)
        let submitted = ((try? store.submission(run: record.id, document: .report)) ?? nil) != nil
        let given = IncidentReport.answers(reportFields)
        let questions = submitted ? grades(record)
            : level.questions.map { QuestionGrade(id: $0.id, ask: $0.ask, given: given[$0.id] ?? "", correct: false) }
        let attemptLines = ScoreText.attempts(attempts(record), timeZone: timeZone)
        let report = MarkdownExport.report(context: context, fields: reportFields, grades: questions,
                                           score: try? score(record), timeline: timeline, graded: submitted, attempts: attemptLines)
        let postmortemFields = fields(record.id, .postmortem)
        let postmortem = MarkdownExport.postmortem(context: context, fields: postmortemFields, timeline: timeline,
                                                   findings: Blameless.lint(Postmortem.lintFields(postmortemFields)))
        return (report, postmortem)
    }

    // MARK: - Progress

    /// Every run of a player as progress and certification see it, oldest first.
    public func played(player: String) -> [PlayedRun] {
        let facts = Dictionary(levelFacts().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ((try? store.runs(player: player)) ?? []).compactMap { run -> PlayedRun? in
            guard run.liveAt != nil else { return nil }
            let record = (try? engine.store.load(run.id)) ?? remoteRecord(run)
            let grades = grades(record)
            let card = (try? store.score(run: run.id)) ?? (try? score(record))
            let submissions = self.submissions(run.id)
            let postmortem = submissions[.postmortem]
            return PlayedRun(run: run.id, player: run.player, level: run.level, category: facts[run.level]?.category ?? run.category,
                             startedAt: run.createdAt, passed: card?.passed ?? false, score: card?.total,
                             reportSubmitted: submissions[.report] != nil,
                             answersCorrect: grades.filter(\.correct).count, questions: facts[run.level]?.questions ?? grades.count,
                             postmortem: postmortem?.status ?? (fields(run.id, .postmortem).isEmpty ? nil : .draft),
                             postmortemComplete: Postmortem.isComplete(fields(run.id, .postmortem)))
        }
    }

    public func progress(player: String? = nil) -> Progress {
        let player = player ?? self.player
        let runs = played(player: player)
        let levels = levelFacts()
        let rows = levels.map { level -> Progress.LevelRow in
            let plays = runs.filter { $0.level == level.id }
            return Progress.LevelRow(level: level.id, category: level.category.rawValue, plays: plays.count,
                                     passed: plays.contains(where: \.passed), bestScore: plays.compactMap(\.score).max())
        }
        return Progress(player: player, levels: rows, runs: runs, totalScore: rows.compactMap(\.bestScore).reduce(0, +),
                        certification: Certification.evaluate(levels: levels, history: runs, categories: certifyingCategories(levels)))
    }

    public func leaderboard() -> [LeaderboardRow] {
        let players = (try? store.players()) ?? []
        return players.map { name -> LeaderboardRow in
            let standing = progress(player: name)
            return LeaderboardRow(player: name, score: standing.totalScore, passed: standing.levels.filter(\.passed).count,
                                  certified: standing.certification.certified)
        }
        .filter { $0.score > 0 || $0.passed > 0 }
        .sorted { ($0.score, $0.passed, $1.player) > ($1.score, $1.passed, $0.player) }
    }
}

/// A score card and the graded questions as text lines: the console's dialog, `report submit`.
/// A wrong answer shows why it is wrong, never the expected answer.
public enum ScoreText {
    public static func lines(_ card: ScoreCard, grades: [QuestionGrade]) -> [String] {
        var lines = grades.flatMap { grade -> [String] in
            let line = "  \(grade.correct ? "✓" : "✗") \(grade.ask)"
            guard !grade.correct else { return [line] }
            return [line, "      \(grade.reason ?? "not the expected answer")"]
        }
        if !lines.isEmpty { lines.append("") }
        for line in card.lines {
            lines.append("  \(line.label.padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(format: "%6d", line.points))")
        }
        lines.append("  \("Score".padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(format: "%6d", card.total))\(card.passed ? "   (passed)" : "   (not passed)")")
        return lines
    }

    /// The report's attempts, one line each: "attempt 2 · 2026-11-30 10:12 UTC · 2/3 correct".
    public static func attempts(_ attempts: [ReportAttempt], timeZone: TimeZone = .current) -> [String] {
        attempts.map { attempt in
            let grades = attempt.grades ?? []
            let counted = attempt.number == 1 ? " (counts for the score and certification)" : ""
            return "attempt \(attempt.number) · \(Timeline.day(attempt.submittedAt, timeZone: timeZone)) · \(grades.filter(\.correct).count)/\(grades.count) correct\(counted)"
        }
    }
}
