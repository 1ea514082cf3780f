import FiredrillEngine
import FiredrillGame
import FiredrillRules
import FiredrillStore
import Foundation

/// One line of the class dashboard: where a trainee's latest run stands.
public struct TraineeRow: Sendable, Equatable {
    public var player: String
    public var run: String?
    public var level: String?
    /// The level the class assigned a trainee who has no run yet.
    public var assigned: String?
    /// `Game.stage` of the run (booting, live, mitigated, reported, closed, stopped, failed), "no run" without one.
    public var stage: String
    /// When the run went live: its clock runs from there (nil before).
    public var liveAt: Date?
    /// When the clock stopped: mitigation, or the end of a run stopped before it; nil while it runs.
    public var endedAt: Date?
    public var par: Double?
    public var passing: Int
    /// The level's objectives; nil when the level is not in this machine's catalog.
    public var objectives: Int?
    public var hints: Int
    public var lastCommand: String?
    /// "—", "draft 3" (fields filled), or the submission's status (submitted, approved, returned).
    public var report: String
    public var postmortem: String

    public init(player: String, run: String? = nil, level: String? = nil, assigned: String? = nil, stage: String = "no run", liveAt: Date? = nil,
                endedAt: Date? = nil, par: Double? = nil, passing: Int = 0, objectives: Int? = nil, hints: Int = 0, lastCommand: String? = nil,
                report: String = "—", postmortem: String = "—") {
        self.player = player
        self.run = run
        self.level = level
        self.assigned = assigned
        self.stage = stage
        self.liveAt = liveAt
        self.endedAt = endedAt
        self.par = par
        self.passing = passing
        self.objectives = objectives
        self.hints = hints
        self.lastCommand = lastCommand
        self.report = report
        self.postmortem = postmortem
    }

    /// The row of a digest: `levels` gives par and objectives.
    public init(_ digest: TraineeDigest, levels: [String: LevelFacts]) {
        self.init(player: digest.player)
        guard let run = digest.run else { return }
        let facts = levels[run.level]
        self.run = run.id
        level = run.level
        let state = RunState(rawValue: run.state) ?? .failed
        stage = Game.stage(state, reported: digest.submissions[.report] != nil, closed: digest.submissions[.postmortem] != nil)
        liveAt = run.liveAt
        endedAt = run.mitigatedAt ?? (state.isActive ? nil : run.stoppedAt)
        par = facts?.par
        objectives = facts?.objectives
        passing = Self.passing(digest.objectiveEvents, total: facts?.objectives)
        hints = run.hintsRevealed
        lastCommand = digest.lastCommand.map(Self.command)
        report = Self.document(digest.submissions[.report], filled: digest.filled[.report] ?? 0)
        postmortem = Self.document(digest.submissions[.postmortem], filled: digest.filled[.postmortem] ?? 0)
    }

    /// How many objectives pass: the last verify's, then each routine check's change after it.
    static func passing(_ events: [RunEvent], total: Int?) -> Int {
        var states: [String: Bool] = [:]
        for event in events {
            switch event.payload {
            case let .verify(_, passed, _)?:
                states = Dictionary(passed.map { ($0, true) }) { first, _ in first }
            case let .check(objective, passed)?:
                states[objective] = passed
            default:
                // Stored before payloads: "<objective> passed|failing".
                guard event.kind == EventKind.check, let space = event.detail.firstIndex(of: " ") else { continue }
                states[String(event.detail[..<space])] = event.detail.hasSuffix(" passed")
            }
        }
        let count = states.values.filter { $0 }.count
        return total.map { min($0, count) } ?? count
    }

    /// "proxy: nginx -t" from a command event.
    static func command(_ event: RunEvent) -> String {
        if case let .command(instance, command)? = event.payload { return "\(instance): \(command)" }
        return event.detail
    }

    static func document(_ submission: Submission?, filled: Int) -> String {
        if let submission { return submission.status == .draft ? "draft \(filled)" : submission.status.rawValue }
        return filled > 0 ? "draft \(filled)" : "—"
    }

    /// Where the stage sorts: furthest behind first.
    var stageRank: Int {
        ["no run", "booting", "live", "mitigated", "reported", "closed", "stopped", "failed"].firstIndex(of: stage) ?? 8
    }

    /// The run's time at `now`: from live to mitigation (or now); nil before it is live.
    public func elapsed(at now: Date) -> Double? {
        liveAt.map { max(0, (endedAt ?? now).timeIntervalSince($0)) }
    }

    /// Time against par: over par sorts first; runs not yet live last.
    func timeRank(at now: Date) -> Double {
        guard let elapsed = elapsed(at: now) else { return -.infinity }
        return elapsed / max(1, par ?? 900)
    }
}
