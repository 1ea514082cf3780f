import Foundation

/// What an event says, typed, for the kinds that the game reads: scoring and the timeline read
/// this, never the event's detail, which says the same in words for people.
public enum EventPayload: Sendable, Codable, Equatable {
    /// An explicit verify: whether every objective held, the ones that held, of how many. A
    /// verify recorded before payloads may lack the ones that held when solved (its detail did
    /// not name them) and the count (nil: the level's objectives).
    case verify(solved: Bool, passed: [String], total: Int?)
    /// An objective changed state in a routine check.
    case check(objective: String, passed: Bool)
    /// The run's hint number `number` (from 1) was revealed.
    case hint(number: Int)
    /// A shell was opened on an instance, or a one-off command run in it.
    case shell(instance: String, command: String?)
    /// A command typed in a shell: on an instance, or "workspace" for the workspace's shell.
    case command(instance: String, command: String)
    /// A costly fix was detected: its id in the level and its title.
    case costly(fix: String, title: String)
    /// A verify after the run was mitigated failed: the objectives that did not hold.
    case unmitigated(failing: [String])
}

extension EventPayload {
    /// The payload of an event recorded before events carried one, read from its detail in the
    /// formats the engine wrote then; nil for a kind without a payload or a detail it cannot
    /// read. Old `events.jsonl` lines and migration v4 of the game's database read them here,
    /// once: keep it reading exactly these formats.
    public init?(kind: String, legacyDetail: String) {
        let detail = legacyDetail.trimmingCharacters(in: .whitespacesAndNewlines)
        switch kind {
        case EventKind.verify:
            // "solved 3/3", "not solved 1/3 (passed: a)"; before the counts, "solved", "not solved (passed: a, b)".
            var passed: [String] = []
            if let range = detail.range(of: "passed:") {
                passed = detail[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: " )"))
                    .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            self = .verify(solved: detail.hasPrefix("solved"), passed: passed, total: Self.total(in: detail))
        case EventKind.check:
            if detail.hasSuffix(" passed") {
                self = .check(objective: String(detail.dropLast(" passed".count)), passed: true)
            } else if detail.hasSuffix(" failing") {
                self = .check(objective: String(detail.dropLast(" failing".count)), passed: false)
            } else {
                return nil
            }
        case EventKind.hint:
            let words = detail.split(separator: " ")
            guard words.count == 3, words[0] == "hint", words[2] == "revealed", let number = Int(words[1]) else { return nil }
            self = .hint(number: number)
        case EventKind.command:
            guard let (instance, command) = Self.instanceAndCommand(detail) else { return nil }
            self = .command(instance: instance, command: command)
        case EventKind.shell:
            if detail.hasPrefix("shell on ") {
                self = .shell(instance: String(detail.dropFirst("shell on ".count)), command: nil)
            } else if detail.hasPrefix("on "), let (instance, command) = Self.instanceAndCommand(String(detail.dropFirst(3))) {
                self = .shell(instance: instance, command: command)
            } else {
                return nil
            }
        case EventKind.costly:
            // "<id>: <title>"; without a title, the whole detail is the id.
            let parts = detail.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let id = parts.first, !id.isEmpty else { return nil }
            self = .costly(fix: id, title: parts.count == 2 ? parts[1] : "")
        default:
            return nil
        }
    }

    /// The m of "n/m" in a verify's detail.
    private static func total(in detail: String) -> Int? {
        guard let regex = try? NSRegularExpression(pattern: #"\d+\s*/\s*(\d+)"#),
              let match = regex.firstMatch(in: detail, range: NSRange(detail.startIndex..., in: detail)),
              let range = Range(match.range(at: 1), in: detail) else { return nil }
        return Int(detail[range])
    }

    /// "db: mysql -e …" → ("db", "mysql -e …"); nil when what precedes the colon is no name.
    private static func instanceAndCommand(_ detail: String) -> (String, String)? {
        let parts = detail.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[0].contains(" ") else { return nil }
        return (parts[0], parts[1])
    }
}
