import FiredrillEngine
import Foundation

/// One line of an incident's timeline.
public struct TimelineEntry: Sendable, Equatable {
    public var time: Date
    public var text: String

    public init(time: Date, text: String) {
        self.time = time
        self.text = text
    }
}

/// The timeline a report and a postmortem start from: the run's meaningful events and the
/// commands typed in the instances' shells, as sentences.
public enum Timeline {
    public static func entries(events: [RunEvent]) -> [TimelineEntry] {
        var entries: [TimelineEntry] = []
        var booted = false
        for event in events {
            let detail = event.detail.trimmingCharacters(in: .whitespacesAndNewlines)
            let text: String?
            switch event.kind {
            case EventKind.booting, EventKind.fault:
                text = nil
            case EventKind.up, EventKind.ready:
                text = booted ? nil : "Environment booted"
                booted = true
            case EventKind.live:
                text = "Fault live: the page fired"
            case EventKind.mitigated:
                text = "Every objective holds: mitigated"
            case EventKind.unmitigated:
                guard case let .unmitigated(failing) = event.payload else { text = "No longer mitigated: \(detail)"; break }
                text = "No longer mitigated: \(failing.joined(separator: ", ")) failed on verify"
            case EventKind.verify:
                text = detail.isEmpty ? "Verify" : "Verify: \(detail)"
            case EventKind.check:
                guard case let .check(objective, passed) = event.payload else { text = "Check: \(detail)"; break }
                text = "Objective \(objective) \(passed ? "passes" : "fails")"
            case EventKind.hint:
                guard case let .hint(number) = event.payload else { text = detail.isEmpty ? "Hint revealed" : capitalized(detail); break }
                text = "Hint \(number) revealed"
            case EventKind.command:
                guard case let .command(instance, command) = event.payload else { text = "Command: \(code(detail))"; break }
                text = "on \(instance): \(code(command))"
            case EventKind.shell:
                switch event.payload {
                case let .shell(instance, command?): text = "on \(instance): \(code(command))"
                case let .shell(instance, nil): text = "Shell opened on \(instance)"
                default: text = detail.isEmpty ? "Shell opened" : "Shell: \(detail)"
                }
            case EventKind.costly:
                guard case let .costly(fix, title) = event.payload else { text = "Costly fix: \(detail)"; break }
                text = title.isEmpty ? "Costly fix: \(fix)" : "Costly fix: \(title) (\(fix))"
            case EventKind.reported:
                text = "Incident report submitted"
            case EventKind.postmortem:
                text = "Postmortem submitted"
            case EventKind.closed:
                text = "Run closed"
            case EventKind.stopped:
                text = "Environment stopped"
            case EventKind.failed:
                text = detail.isEmpty ? "Run failed" : "Run failed: \(detail)"
            default:
                text = detail.isEmpty ? capitalized(event.kind) : "\(capitalized(event.kind)): \(detail)"
            }
            if let text { entries.append(TimelineEntry(time: event.time, text: text)) }
        }
        // A stable sort: events at the same time keep their order.
        return entries.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    /// One line per entry: "HH:MM:SS  +MM:SS  text", the offset from `start` ("-" without one).
    public static func text(_ entries: [TimelineEntry], start: Date?, timeZone: TimeZone = .current) -> String {
        entries.map { entry in
            let offset = start.map { self.offset(entry.time.timeIntervalSince($0)) } ?? "-"
            return "\(clock(entry.time, timeZone: timeZone))  \(offset.padding(toLength: 6, withPad: " ", startingAt: 0))  \(entry.text)"
        }.joined(separator: "\n")
    }

    /// "+MM:SS" (minutes go past 59), "-MM:SS" a second or more before the start.
    static func offset(_ seconds: Double) -> String {
        let whole = Int(abs(seconds).rounded(.down))
        return (whole > 0 && seconds < 0 ? "-" : "+") + String(format: "%02d:%02d", whole / 60, whole % 60)
    }

    /// "HH:MM:SS" in the time zone.
    static func clock(_ date: Date, timeZone: TimeZone) -> String {
        let parts = components(date, timeZone: timeZone)
        return String(format: "%02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    /// "2026-11-26 00:35 UTC", or with the offset ("2026-11-26 01:35 UTC+01:00") elsewhere.
    public static func day(_ date: Date, timeZone: TimeZone) -> String {
        let parts = components(date, timeZone: timeZone)
        let seconds = timeZone.secondsFromGMT(for: date)
        let zone = seconds == 0 ? "UTC"
            : "UTC" + (seconds < 0 ? "-" : "+") + String(format: "%02d:%02d", abs(seconds) / 3600, abs(seconds) % 3600 / 60)
        return String(format: "%04d-%02d-%02d %02d:%02d ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                      parts.hour ?? 0, parts.minute ?? 0) + zone
    }

    private static func components(_ date: Date, timeZone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }

    /// Inline code, with a longer fence when the text holds backticks.
    static func code(_ text: String) -> String {
        guard text.contains("`") else { return "`\(text)`" }
        var fence = "``"
        while text.contains(fence) { fence += "`" }
        return "\(fence) \(text) \(fence)"
    }

    private static func capitalized(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
