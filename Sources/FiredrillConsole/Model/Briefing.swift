import FiredrillEngine
import Foundation

/// What the Briefing pane shows of a level and its run: fixed for the run's life.
public struct BriefingInfo: Sendable, Equatable {
    public struct Link: Sendable, Equatable {
        public var name, url, instance: String
        public init(name: String, url: String, instance: String) {
            self.name = name
            self.url = url
            self.instance = instance
        }
    }

    public struct Instance: Sendable, Equatable {
        public var name, role: String
        public init(name: String, role: String) {
            self.name = name
            self.role = role
        }
    }

    public var levelID: String
    public var title: String
    public var category: String
    public var difficulty: Int
    /// Seconds.
    public var par: Double
    public var text: String
    public var links: [Link]
    public var instances: [Instance]
    public var workspace: String
    public var hints: [String]
    public var questions: [(id: String, ask: String)]

    public static func == (a: BriefingInfo, b: BriefingInfo) -> Bool {
        a.levelID == b.levelID && a.title == b.title && a.category == b.category && a.difficulty == b.difficulty && a.par == b.par && a.text == b.text && a.links == b.links && a.instances == b.instances
            && a.workspace == b.workspace && a.hints == b.hints && a.questions.map(\.id) == b.questions.map(\.id)
    }

    public init(levelID: String, title: String, category: String, difficulty: Int, par: Double, text: String,
                links: [Link], instances: [Instance], workspace: String, hints: [String], questions: [(id: String, ask: String)]) {
        self.levelID = levelID
        self.title = title
        self.category = category
        self.difficulty = difficulty
        self.par = par
        self.text = text
        self.links = links
        self.instances = instances
        self.workspace = workspace
        self.hints = hints
        self.questions = questions
    }

    /// Joins the lines of each paragraph (the level file wraps them at 80 columns), so the pane
    /// wraps them to its own width; blank lines and indented lines stay as they are.
    public static func reflow(_ text: String) -> String {
        var paragraphs: [String] = []
        var current = ""
        for line in text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if !current.isEmpty { paragraphs.append(current) }
                paragraphs.append("")
                current = ""
            } else if line.hasPrefix(" ") || trimmed.hasPrefix("-") || trimmed.hasPrefix("*") {
                if !current.isEmpty { paragraphs.append(current) }
                current = String(line)
            } else {
                current = current.isEmpty ? String(line) : current + " " + trimmed
            }
        }
        if !current.isEmpty { paragraphs.append(current) }
        return paragraphs.joined(separator: "\n")
    }

    public init(level: Level, scenario: Scenario, record: RunRecord) {
        self.init(
            levelID: level.id, title: level.title, category: level.category.rawValue, difficulty: level.difficulty, par: level.par,
            text: Self.reflow(level.briefing),
            links: scenario.ports.compactMap { port in record.url(port.name).map { Link(name: port.name, url: $0, instance: port.instance) } },
            instances: scenario.instances.map { Instance(name: $0.name, role: $0.role) },
            workspace: record.workspace.path, hints: level.hints,
            questions: level.questions.map { question in
                (question.id, question.kind.prompt.map { "\(question.ask) [\($0)]" } ?? question.ask)
            })
    }
}

/// An objective and what the engine last said of it.
public struct ObjectiveRow: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable { case unknown, passed, failed, deferred }
    public var id: String
    public var title: String
    public var status: Status
    public var detail: String

    public init(id: String, title: String, status: Status = .unknown, detail: String = "") {
        self.id = id
        self.title = title
        self.status = status
        self.detail = detail
    }
}

/// Whether the Docker engine answers.
public enum DockerStatus: Sendable, Equatable {
    case unknown
    case reachable
    case unreachable(String)

    public var isReachable: Bool { self == .reachable }
}

/// "12:03" or "1:02:03".
public func formatClock(_ seconds: Double) -> String {
    let total = max(0, Int(seconds))
    let h = total / 3600, m = (total % 3600) / 60, s = total % 60
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(two(m)):\(two(s))"
}
