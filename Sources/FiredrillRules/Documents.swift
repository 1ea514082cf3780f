import Foundation

/// One field of the incident report or the postmortem, as the console's forms and the Markdown
/// export both see it.
public struct DocumentField: Sendable, Equatable {
    public var id: String
    public var label: String
    public var multiline: Bool
    /// The values a choice field cycles through; empty for free text.
    public var choices: [String]

    public init(id: String, label: String, multiline: Bool = false, choices: [String] = []) {
        self.id = id
        self.label = label
        self.multiline = multiline
        self.choices = choices
    }
}

/// The incident report, filed once the incident is mitigated.
public enum IncidentReport {
    public static let severities = ["SEV1 critical", "SEV2 major", "SEV3 minor", "SEV4 low"]

    /// The report's own fields; the level's questions follow as `q.<id>`.
    public static let fields: [DocumentField] = [
        DocumentField(id: "title", label: "Title"),
        DocumentField(id: "severity", label: "Severity", choices: severities),
        DocumentField(id: "detected", label: "Detected"),
        DocumentField(id: "mitigated", label: "Mitigated"),
        DocumentField(id: "impact", label: "Impact", multiline: true),
        DocumentField(id: "symptoms", label: "Symptoms", multiline: true),
        DocumentField(id: "actions", label: "Actions taken", multiline: true),
        DocumentField(id: "root_cause", label: "Root cause", multiline: true),
        DocumentField(id: "timeline", label: "Timeline", multiline: true),
    ]

    /// The field id of a level question's answer: "q.<id>".
    public static func questionField(_ id: String) -> String { "q.\(id)" }

    /// The answers of the report's question fields, keyed by question id (what `Grading` takes).
    public static func answers(_ fields: [String: String]) -> [String: String] {
        var answers: [String: String] = [:]
        for (key, value) in fields where key.hasPrefix("q.") { answers[String(key.dropFirst(2))] = value }
        return answers
    }
}

/// An action item of a postmortem: "P2 | db team | add a lock timeout".
public struct ActionItem: Sendable, Equatable, Codable {
    public var priority: String
    public var owner: String
    public var action: String

    public init(priority: String, owner: String, action: String) {
        self.priority = priority
        self.owner = owner
        self.action = action
    }

    /// P1 to P4, an owner and an action.
    public var isWellFormed: Bool {
        Postmortem.priorities.contains(priority) && !owner.isEmpty && !action.isEmpty
    }
}

/// The blameless postmortem, written after the report.
public enum Postmortem {
    public static let priorities = ["P1", "P2", "P3", "P4"]

    public static let fields: [DocumentField] = [
        DocumentField(id: "summary", label: "Summary", multiline: true),
        DocumentField(id: "impact", label: "Impact", multiline: true),
        DocumentField(id: "root_causes", label: "Root causes", multiline: true),
        DocumentField(id: "trigger", label: "Trigger", multiline: true),
        DocumentField(id: "detection", label: "Detection", multiline: true),
        DocumentField(id: "resolution", label: "Resolution", multiline: true),
        DocumentField(id: "timeline", label: "Timeline", multiline: true),
        DocumentField(id: "action_items", label: "Action items", multiline: true),
        DocumentField(id: "went_well", label: "What went well", multiline: true),
        DocumentField(id: "went_wrong", label: "What went wrong", multiline: true),
        DocumentField(id: "lucky", label: "Where we got lucky", multiline: true),
    ]

    /// One item per written line of the action items, forgiving of the form: "P2 | db team | add
    /// a lock timeout", "- p2 | db team | …" bullets, "| P2 | db team | … |" table rows (a table's
    /// header and rule are skipped). A line without three parts still gives an item, with what
    /// is missing left empty, so that nothing written is lost; `problems` reports it.
    public static func actionItems(_ text: String) -> [ActionItem] {
        parsedActionLines(text).map(\.item)
    }

    /// What keeps the postmortem from being complete: empty sections, malformed action items,
    /// no action item at all. Blamelessness is `Blameless.lint`'s.
    public static func problems(_ fields: [String: String]) -> [String] {
        var problems: [String] = []
        for field in self.fields where field.id != "action_items" {
            if (fields[field.id] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append("\(field.label): not written yet")
            }
        }
        let lines = parsedActionLines(fields["action_items"] ?? "")
        if lines.isEmpty {
            problems.append("Action items: at least one is needed (\"P2 | db team | add a lock timeout\")")
        }
        for line in lines where !line.item.isWellFormed {
            var missing: [String] = []
            if !priorities.contains(line.item.priority) { missing.append("a priority P1 to P4") }
            if line.item.owner.isEmpty { missing.append("an owner") }
            if line.item.action.isEmpty { missing.append("an action") }
            problems.append("Action items, line \(line.number): needs \(list(missing)) (\"P2 | db team | add a lock timeout\")")
        }
        return problems
    }

    /// No problem and no blamelessness finding.
    public static func isComplete(_ fields: [String: String]) -> Bool {
        problems(fields).isEmpty && Blameless.lint(lintFields(fields)).isEmpty
    }

    /// The postmortem's fields in order, as `Blameless.lint` takes them.
    public static func lintFields(_ fields: [String: String]) -> [(id: String, text: String)] {
        self.fields.map { ($0.id, fields[$0.id] ?? "") }
    }

    // MARK: - Parsing

    struct ActionLine {
        var number: Int
        var item: ActionItem
    }

    static func parsedActionLines(_ text: String) -> [ActionLine] {
        var lines: [ActionLine] = []
        for (index, raw) in text.components(separatedBy: "\n").enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            line = stripBullet(line)
            if line.hasPrefix("|") { line.removeFirst() }
            if line.hasSuffix("|") { line.removeLast() }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            // A Markdown table's rule ("---|:---|---") and header ("Priority | Owner | Action").
            if line.allSatisfy({ "-|: ".contains($0) }) { continue }
            var parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.first?.lowercased() == "priority" { continue }
            let item: ActionItem
            let priority = normalizedPriority(parts[0])
            if parts.count >= 3 {
                let action = parts[2...].filter { !$0.isEmpty }.joined(separator: " | ")
                item = ActionItem(priority: priority ?? parts[0], owner: parts[1], action: action)
            } else if parts.count == 2, let priority {
                item = ActionItem(priority: priority, owner: "", action: parts[1])
            } else {
                parts = parts.filter { !$0.isEmpty }
                item = ActionItem(priority: "", owner: "", action: parts.joined(separator: " | "))
            }
            lines.append(ActionLine(number: index + 1, item: item))
        }
        return lines
    }

    /// "p2", "P 2", "[P2]" → "P2"; nil when it is not P1 to P4.
    static func normalizedPriority(_ text: String) -> String? {
        let compact = text.uppercased().filter { !" []()".contains($0) }
        return priorities.contains(compact) ? compact : nil
    }

    private static func stripBullet(_ line: String) -> String {
        for bullet in ["- [ ] ", "- [x] ", "- ", "* ", "• ", "+ "] where line.hasPrefix(bullet) {
            return String(line.dropFirst(bullet.count)).trimmingCharacters(in: .whitespaces)
        }
        // "1. " or "1) "
        let digits = line.prefix { $0.isNumber }
        if !digits.isEmpty {
            let rest = line.dropFirst(digits.count)
            if rest.hasPrefix(". ") || rest.hasPrefix(") ") { return String(rest.dropFirst(2)).trimmingCharacters(in: .whitespaces) }
        }
        return line
    }

    private static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }
}
