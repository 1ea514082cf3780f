import Foundation

/// The area a level is in, by its name: one the catalogue declares (`Levels/categories.yaml`);
/// a trainee is certified with passed levels in each.
public struct Category: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    /// Nil unless `rawValue` is a name: lowercase letters, digits and dashes.
    public init?(rawValue: String) {
        guard LevelLoader.isIdentifier(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) { rawValue = value }

    public var description: String { rawValue }
}

/// A category as the catalogue declares it (`Levels/categories.yaml`).
public struct CatalogCategory: Sendable, Equatable {
    public var id: Category
    public var title: String
    /// Certification asks for a passed level in it (the tutorial's `all` does not).
    public var certifies: Bool
}

/// One level: a scenario, the faults that break it, how the break shows, and what fixes it.
public struct Level: Sendable, Equatable {
    public var id: String
    public var title: String
    public var scenario: String
    public var category: Category
    public var difficulty: Int
    /// The time a practised on-call engineer needs, in seconds.
    public var par: Double
    /// What the page says: what users see, not what is broken.
    public var briefing: String
    public var faults: [Fault]
    /// Checks that hold while the level is broken: proof the fault is live.
    public var symptoms: [Objective]
    public var objectives: [Objective]
    public var hints: [String]
    public var questions: [Question]
    /// Linux capabilities the level documents as needed by an instance (anything else is refused).
    public var capabilities: [String]
    /// Fixes that work but cost more than they should (restarting a whole database to end one
    /// session): they lower the score's blast-radius line.
    public var costly: [CostlyFix] = []
    /// Whether boot waits for the scenario's ready check before injecting faults. A level whose
    /// workspace does not serve at first (the tutorial) turns this off.
    public var waitForReady: Bool = true
    /// Why a run of the level is never booted ahead and paused (`warm: {cold: ...}`): its fault
    /// would not survive a pause. nil: it may be warmed.
    public var coldOnly: String?
    /// Faults run again when a warm run is given (`warm: {rearm: [...]}`): those that count the
    /// time since the fault went live start counting when the trainee gets the run.
    public var rearm: [Fault] = []
    /// Questions whose answers are captured again when a warm run is given (`warm: {recapture:
    /// [...]}`): those about the moment the trainee arrives ("today's date").
    public var recapture: [String] = []
    /// The folder the level was loaded from.
    public var directory: URL
    /// The level's parameters (`params:`), and what its `${...}` references were bound to
    /// (`param.limit`, `origin.app`, `run.id`…) when it was loaded.
    public var parameters: [Parameter] = []
    public var values: [String: String] = [:]
    /// The scenario ports named by `${origin.X}` / `${url.X}`.
    public var portReferences: [String] = []

    /// The drawn value of a parameter (`limit`, `zone.app`).
    public func param(_ name: String) -> String? { values["param.\(name)"] }
}

/// A change that breaks the scenario, made the way production makes it.
public enum Fault: Sendable, Equatable {
    /// Replace text in a workspace file before boot ("a config change was deployed").
    case patch(file: String, replace: String, with: String)
    /// Copy the files of a folder of the level over the workspace before boot.
    case overlay(directory: String)
    /// Run a command in an instance after boot (a migration, a job); `background` leaves it running.
    case exec(instance: String, command: String, user: String?, background: Bool)
    /// Restart an instance after boot (a host reboot, a crash), keeping its state.
    case restart(instance: String)
}

/// A named check with a title a trainee reads.
public struct Objective: Sendable, Equatable {
    public var id: String
    public var title: String
    public var check: Check
    /// Routine checks make this one at most this often (seconds), reusing its last result in
    /// between; a verify always makes it. For checks that cost (a 5 MB upload, a burst of
    /// requests): the console checks every second while the trainee types.
    public var every: Double?
}

/// A fix with a large blast radius, detected by a probe whose output changes when it is made:
/// the probe runs in an instance when the fault goes live and again when the run is mitigated
/// and on every verify; a different output (a restarted process has a new start time) means the
/// costly fix was made.
public struct CostlyFix: Sendable, Equatable {
    public var id: String
    public var title: String
    public var instance: String
    public var probe: String

    public init(id: String, title: String, instance: String, probe: String) {
        self.id = id
        self.title = title
        self.instance = instance
        self.probe = probe
    }
}

/// A report question; the expected answer is fixed, or captured from the run. Its kind says
/// what the grader looks for in an answer (`AnswerKind`).
public struct Question: Sendable, Equatable {
    public var id: String
    public var ask: String
    public var kind: AnswerKind
    public var answer: Answer
    /// For text answers: patterns of what the answer must not say (the wrong candidates a list
    /// would name). Any of them found makes the answer wrong.
    public var not: [String]

    /// Without a kind, a pattern answer is text and any other an identifier.
    public init(id: String, ask: String, kind: AnswerKind? = nil, answer: Answer, not: [String] = []) {
        self.id = id
        self.ask = ask
        if let kind {
            self.kind = kind
        } else if case .pattern = answer {
            self.kind = .text
        } else {
            self.kind = .identifier
        }
        self.answer = answer
        self.not = not
    }
}

public enum Answer: Sendable, Equatable {
    /// The answer is this text (matched case-insensitively, surrounding space ignored).
    case value(String)
    /// The answer matches this regular expression.
    case pattern(String)
    /// The answer is the output of this command, run in the instance once the fault is live.
    case command(instance: String, command: String, user: String?)
}
