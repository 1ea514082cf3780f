import Foundation

/// Where a run is in its life. `live` covers the whole time the trainee works on it; a `warm`
/// run was booted ahead, its fault live and its symptoms seen, and waits paused to be given.
public enum RunState: String, Sendable, Codable, CaseIterable {
    case booting, warm, live, mitigated, stopped, failed

    /// The transitions the engine allows.
    public func canMove(to next: RunState) -> Bool {
        switch (self, next) {
        case (.booting, .live), (.booting, .warm), (.booting, .failed), (.booting, .stopped): return true
        case (.warm, .live), (.warm, .stopped), (.warm, .failed): return true
        case (.live, .mitigated), (.live, .stopped), (.live, .failed): return true
        case (.mitigated, .stopped), (.mitigated, .failed): return true
        case (.failed, .stopped): return true
        default: return false
        }
    }

    /// A run someone plays (or is about to): its instances are meant to exist and run.
    public var isActive: Bool { self == .booting || self == .live || self == .mitigated }
    /// A run whose instances exist, running or paused.
    public var holdsInstances: Bool { isActive || self == .warm }
}

/// One play of one level, as kept on disk so that separate invocations (and the console) share it.
public struct RunRecord: Sendable, Codable, Equatable {
    public var id: String
    public var level: String
    public var scenario: String
    public var project: Project
    /// Changed only by `move(to:at:)`, which keeps to `RunState.canMove(to:)`.
    public private(set) var state: RunState
    /// Named published ports (`app`, `api`) to their host port on 127.0.0.1.
    public var ports: [String: Int]
    public var createdAt: Date
    /// When a warm run was ready (booted, paused); its level's clock starts at `liveAt`, when given.
    public var warmAt: Date?
    /// The memory a warm run's paused instances hold, in bytes, as measured once they were paused.
    public var heldMemory: Int64?
    /// Who a warm run was prepared for: it is given to that player only.
    public var preparedFor: String?
    public var liveAt: Date?
    public var mitigatedAt: Date?
    public var stoppedAt: Date?
    /// The process that is booting the run, to tell a crashed boot from one in progress.
    public var ownerPID: Int32?
    /// Expected report answers in clear, as runs kept them before answers were sealed: read
    /// (and graded) still, never written by the engine any more.
    public var capturedAnswers: [String: String] = [:]
    /// The expected report answers, captured once the fault is live, as salted hashes of their
    /// normalized form.
    public var sealedAnswers: SealedAnswers?
    public var hintsRevealed: Int = 0
    /// The level's costly-fix probes as they answered when the fault went live.
    public var costlyBaseline: [String: String]?
    /// The costly fixes detected so far (ids), each recorded once.
    public var costlyDetected: [String]?
    /// Each objective's state at the last routine check, to record only changes.
    public var objectiveStates: [String: Bool]?
    /// When objectives with an `every` were last checked, and what they said.
    public var objectiveChecks: [String: CachedResult]?
    /// The run's seed: it draws the level's parameters (and picked the level, when it was picked
    /// at random). Runs from before parameters have none and draw as seed 0.
    public var seed: UInt64?

    public var workspace: URL { project.directory }

    /// What the level's `${...}` references are bound to in this run.
    public var bindings: LevelBindings { LevelBindings(draw: .seed(seed ?? 0), ports: ports, runID: id) }

    public func url(_ port: String) -> String? { ports[port].map { "http://127.0.0.1:\($0)" } }

    /// Moves the run to its next state and notes when it went live, was mitigated or stopped;
    /// a move `RunState` does not allow is refused and changes nothing.
    public mutating func move(to next: RunState, at time: Date) throws {
        guard state.canMove(to: next) else { throw EngineError.illegalMove(run: id, from: state, to: next) }
        state = next
        switch next {
        case .warm: warmAt = time
        case .live: liveAt = time
        case .mitigated: mitigatedAt = time
        case .stopped, .failed: stoppedAt = time
        case .booting: break
        }
    }
}

// In an extension, so that the memberwise initializer stays.
extension RunRecord {
    /// A run known from the game's database only, played on another machine: no instances, no
    /// workspace and no expected answers here.
    public init(id: String, level: String, scenario: String, state: RunState, createdAt: Date, liveAt: Date?,
                mitigatedAt: Date?, stoppedAt: Date?, hintsRevealed: Int, seed: UInt64?, objectiveStates: [String: Bool]) {
        self.id = id
        self.level = level
        self.scenario = scenario
        project = Project(name: "", directory: URL(fileURLWithPath: "/nonexistent"), composeFile: "")
        self.state = state
        ports = [:]
        self.createdAt = createdAt
        self.liveAt = liveAt
        self.mitigatedAt = mitigatedAt
        self.stoppedAt = stoppedAt
        self.hintsRevealed = hintsRevealed
        self.seed = seed
        self.objectiveStates = objectiveStates
    }

    /// Played on another machine (see the initializer above): nothing to reach with Docker here.
    public var isRemote: Bool { project.name.isEmpty }
}

/// An objective's last result, kept for objectives checked at most every so often.
public struct CachedResult: Sendable, Codable, Equatable {
    public var at: Date
    public var passed: Bool
    public var detail: String
    /// The check could not be made (absent in runs from before errors were told apart).
    public var error: Bool?
    /// It failed on a refusal that cost the server nothing (`CheckResult.refused`).
    public var refused: Bool?

    public init(at: Date, passed: Bool, detail: String, error: Bool = false, refused: Bool = false) {
        self.at = at
        self.passed = passed
        self.detail = detail
        self.error = error
        self.refused = refused ? true : nil
    }
}

/// One timestamped thing that happened in a run: its kind (`EventKind`), a detail in words for
/// people, and for the kinds the game reads, the same typed (`EventPayload`).
public struct RunEvent: Sendable, Codable, Equatable {
    public var time: Date
    public var kind: String
    public var detail: String
    public var payload: EventPayload?

    public init(time: Date = Date(), kind: String, detail: String, payload: EventPayload? = nil) {
        self.time = time
        self.kind = kind
        self.detail = detail
        self.payload = payload
    }

    /// A line written before events carried payloads gets its payload from its detail.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        time = try container.decode(Date.self, forKey: .time)
        kind = try container.decode(String.self, forKey: .kind)
        detail = try container.decode(String.self, forKey: .detail)
        payload = try container.decodeIfPresent(EventPayload.self, forKey: .payload)
            ?? EventPayload(kind: kind, legacyDetail: detail)
    }
}
