import Foundation

/// The commands typed in a run's shells, kept by bash itself: each shell the game opens writes
/// its history, with timestamps, after every command (`PROMPT_COMMAND='history -a'`), to a file
/// the engine reads back for the report's timeline.
public enum ShellHistory {
    /// Inside an instance.
    public static let instancePath = "/tmp/.firedrill_history"

    /// For the workspace shell on the host: beside the run's workspace, not in it.
    public static func workspacePath(_ runDirectory: URL) -> URL {
        runDirectory.appendingPathComponent("workspace.history")
    }

    /// What bash needs to keep a timestamped history, appended after each command.
    public static func environment(path: String) -> [String: String] {
        ["HISTFILE": path, "HISTTIMEFORMAT": "%F %T ", "PROMPT_COMMAND": "history -a", "HISTSIZE": "5000", "HISTFILESIZE": "5000"]
    }

    /// Parses a bash history file written with HISTTIMEFORMAT set: `#<epoch>` lines, each
    /// followed by its command (a multi-line command runs until the next timestamp). Lines
    /// before the first timestamp have no time and are left out.
    public static func parse(_ text: String, source: String) -> [RunEvent] {
        var events: [RunEvent] = []
        var time: Date?
        var lines: [Substring] = []
        func flush() {
            defer { lines.removeAll() }
            guard let time else { return }
            let command = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !command.isEmpty else { return }
            events.append(RunEvent(time: time, kind: EventKind.command, detail: "\(source): \(command)",
                                   payload: .command(instance: source, command: command)))
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#"), line.count > 1, let epoch = Double(line.dropFirst()) {
                flush()
                time = Date(timeIntervalSince1970: epoch)
            } else {
                lines.append(line)
            }
        }
        flush()
        return events
    }
}
