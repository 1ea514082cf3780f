import FiredrillEngine
import Foundation

/// The briefing as printed by `start`.
public enum Briefing {
    /// The seed replays the same incident: `firedrill start LEVEL --seed N`.
    private static func seed(_ record: RunRecord) -> String { record.seed.map { "seed \($0), " } ?? "" }

    public static func text(level: Level, scenario: Scenario, record: RunRecord, bootSeconds: Double?) -> String {
        var lines: [String] = []
        if let bootSeconds {
            lines.append("Run \(record.id) is live (\(seed(record))booted in \(String(format: "%.1f", bootSeconds)) s).")
        } else {
            lines.append("Run \(record.id): \(record.state.rawValue)\(record.seed.map { " (seed \($0))" } ?? "")")
        }
        lines.append("")
        lines.append("  \(level.title)   [\(level.category.rawValue) · difficulty \(level.difficulty) · par \(formatDuration(level.par))]")
        lines.append("")
        for line in level.briefing.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append("  \(line)")
        }
        lines.append("")
        for port in scenario.ports {
            guard let url = record.url(port.name) else { continue }
            lines.append("  \(port.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(url)   (\(port.instance))")
        }
        lines.append("")
        lines.append("  Instances (open a shell with: firedrill shell NAME):")
        for instance in scenario.instances {
            lines.append("    \(instance.name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(instance.role)")
        }
        lines.append("")
        lines.append("  Workspace (the code and configs that were deployed):")
        lines.append("    \(record.workspace.path)")
        lines.append("")
        lines.append("  Objectives:")
        for objective in level.objectives { lines.append("    [ ] \(objective.title)") }
        lines.append("")
        lines.append("  Next: firedrill check  ·  firedrill check --verify  ·  firedrill stop")
        return lines.joined(separator: "\n")
    }
}

/// A run as `status` shows it (and prints it as JSON).
public struct RunStatus: Encodable, Sendable {
    public var run, level, state, workspace: String
    public var urls: [String: String]
    public var createdAt: Date
    public var liveAt, mitigatedAt, stoppedAt: Date?
    public var instances: [InstanceStatus]

    /// The run as its record has it, in the game's `stage`, with the instances found up.
    public init(_ record: RunRecord, stage: String, instances: [InstanceStatus]) {
        var urls: [String: String] = [:]
        for name in record.ports.keys { urls[name] = record.url(name) }
        self.run = record.id
        self.level = record.level
        self.state = stage
        self.workspace = record.workspace.path
        self.urls = urls
        self.createdAt = record.createdAt
        self.liveAt = record.liveAt
        self.mitigatedAt = record.mitigatedAt
        self.stoppedAt = record.stoppedAt
        self.instances = instances
    }

    /// What `status` prints: each run, its URLs, instances and workspace, as of `now`.
    public static func text(_ runs: [RunStatus], now: Date) -> String {
        var lines: [String] = []
        if runs.isEmpty { lines.append("No run is up. Start one with 'firedrill start LEVEL'.") }
        for output in runs {
            let elapsed = output.liveAt.map { " · live for \(formatDuration(now.timeIntervalSince($0)))" } ?? ""
            lines.append("\(output.run)  \(output.level)  \(output.state)\(elapsed)")
            for (name, url) in output.urls.sorted(by: { $0.key < $1.key }) { lines.append("  \(name): \(url)") }
            for instance in output.instances { lines.append("  \(instance.name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(instance.state)") }
            lines.append("  workspace: \(output.workspace)")
        }
        return lines.joined(separator: "\n")
    }
}

/// A duration as the command line writes it: 45s, 15m, 12m30s, 1h5m.
public func formatDuration(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    if total < 60 { return "\(total)s" }
    if total < 3600 { return total % 60 == 0 ? "\(total / 60)m" : "\(total / 60)m\(total % 60)s" }
    return "\(total / 3600)h\((total % 3600) / 60)m"
}
