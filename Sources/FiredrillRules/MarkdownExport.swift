import Foundation

/// What the exported documents say about the run besides the trainee's fields.
public struct ExportContext: Sendable {
    public var runID: String
    public var levelID: String
    public var levelTitle: String
    public var player: String
    public var liveAt: Date?
    public var mitigatedAt: Date?
    /// The zone the document's dates are written in.
    public var timeZone: TimeZone

    public init(runID: String, levelID: String, levelTitle: String, player: String, liveAt: Date? = nil,
                mitigatedAt: Date? = nil, timeZone: TimeZone = .current) {
        self.runID = runID
        self.levelID = levelID
        self.levelTitle = levelTitle
        self.player = player
        self.liveAt = liveAt
        self.mitigatedAt = mitigatedAt
        self.timeZone = timeZone
    }
}

/// The incident report and the postmortem as Markdown, ready for a wiki or a pull request.
/// The output depends only on the arguments.
public enum MarkdownExport {
    public static let notWritten = "_Not written._"

    /// `graded` false: the report is not submitted, its answers are shown without grades.
    /// `attempts`: one line per submission of the report.
    public static func report(context: ExportContext, fields: [String: String], grades: [QuestionGrade], score: ScoreCard?,
                              timeline: String, graded: Bool = true, attempts: [String] = []) -> String {
        var out: [String] = []
        let title = value(fields, "title") ?? context.levelTitle
        out.append("# Incident report: \(oneLine(title))")

        out.append(section("Summary", [
            "- **Severity:** \(value(fields, "severity").map(oneLine) ?? "not set")",
            "- **Detected:** \(date(value(fields, "detected"), fallback: context.liveAt, context: context))",
            "- **Mitigated:** \(date(value(fields, "mitigated"), fallback: context.mitigatedAt, context: context))",
            "- **Duration:** \(duration(from: context.liveAt, to: context.mitigatedAt))",
            "- **Level:** \(oneLine(context.levelTitle)) (`\(context.levelID)`)",
            "- **Run:** `\(context.runID)`",
            "- **Player:** \(oneLine(context.player))",
        ].joined(separator: "\n")))
        out.append(section("Impact", text(fields, "impact")))
        out.append(section("Symptoms", text(fields, "symptoms")))
        out.append(section("Actions taken", text(fields, "actions")))
        out.append(section("Root cause", text(fields, "root_cause")))
        out.append(section("Timeline", timelineBlock(fields, timeline)))

        var questions: [String] = []
        for (index, grade) in grades.enumerated() {
            var block = ["**\(index + 1). \(oneLine(grade.ask))**", ""]
            let given = grade.given.trimmingCharacters(in: .whitespacesAndNewlines)
            block.append(given.isEmpty ? "> _No answer._" : quote(given))
            if graded {
                block.append("")
                block.append(grade.correct ? "✓ Correct." : "✗ Wrong: \(oneLine(grade.reason ?? "not the expected answer")).")
            }
            questions.append(block.joined(separator: "\n"))
        }
        out.append(section("Questions", questions.isEmpty ? "_No questions._" : questions.joined(separator: "\n\n")))
        if !attempts.isEmpty {
            out.append(section("Attempts", attempts.map { "- \($0)" }.joined(separator: "\n")))
        }

        if let score {
            var rows = ["| | Points |", "|---|---:|"]
            for line in score.lines { rows.append("| \(cell(line.label)) | \(signed(line.points)) |") }
            rows.append("| **Total** | **\(score.total)** |")
            rows.append("")
            rows.append(score.passed ? "Level passed: every objective held on a verify."
                                     : "Level not passed: no verify found every objective holding.")
            out.append(section("Score", rows.joined(separator: "\n")))
        } else {
            out.append(section("Score", "_Not scored yet._"))
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    public static func postmortem(context: ExportContext, fields: [String: String], timeline: String,
                                  findings: [BlamelessFinding]) -> String {
        var out: [String] = []
        let summaryLine = value(fields, "summary")?.components(separatedBy: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
        let title = value(fields, "title") ?? summaryLine ?? context.levelTitle
        out.append("# Postmortem: \(oneLine(title))")

        var facts = ["Level: \(oneLine(context.levelTitle)) (`\(context.levelID)`)", "run `\(context.runID)`",
                     "player \(oneLine(context.player))"]
        if let live = context.liveAt { facts.append("live \(Timeline.day(live, timeZone: context.timeZone))") }
        if let mitigated = context.mitigatedAt {
            facts.append("mitigated \(Timeline.day(mitigated, timeZone: context.timeZone))")
        }
        out.append(facts.joined(separator: " · "))

        out.append(section("Summary", text(fields, "summary")))
        out.append(section("Impact", text(fields, "impact")))
        let causes = value(fields, "root_causes")
        let trigger = value(fields, "trigger")
        if causes == nil && trigger == nil {
            out.append(section("Root cause", notWritten))
        } else {
            out.append(section("Root cause", (causes ?? notWritten) + "\n\n**Trigger:** " + (trigger ?? notWritten)))
        }
        out.append(section("Detection", text(fields, "detection")))
        out.append(section("Resolution", text(fields, "resolution")))
        out.append(section("Timeline", timelineBlock(fields, timeline)))

        let items = Postmortem.actionItems(fields["action_items"] ?? "")
        if items.isEmpty {
            out.append(section("Action items", notWritten))
        } else {
            var rows = ["| Priority | Owner | Action |", "|---|---|---|"]
            for item in items { rows.append("| \(cell(item.priority)) | \(cell(item.owner)) | \(cell(item.action)) |") }
            out.append(section("Action items", rows.joined(separator: "\n")))
        }
        out.append(section("What went well", text(fields, "went_well")))
        out.append(section("What went wrong", text(fields, "went_wrong")))
        out.append(section("Where we got lucky", text(fields, "lucky")))

        if !findings.isEmpty {
            var lines = ["The blameless check flagged this wording; rewrite it before review:", ""]
            for finding in findings {
                let label = (Postmortem.fields + IncidentReport.fields).first { $0.id == finding.field }?.label ?? finding.field
                lines.append("- \(label), line \(finding.line): “\(oneLine(finding.excerpt))” — \(finding.message)")
            }
            out.append(section("Blamelessness", lines.joined(separator: "\n")))
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    // MARK: - Pieces

    private static func section(_ title: String, _ body: String) -> String { "## \(title)\n\n\(body)" }

    /// The field's text, trimmed; nil when empty.
    private static func value(_ fields: [String: String], _ id: String) -> String? {
        let text = (fields[id] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text.replacingOccurrences(of: "\r\n", with: "\n")
    }

    private static func text(_ fields: [String: String], _ id: String) -> String { value(fields, id) ?? notWritten }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    private static func cell(_ text: String) -> String { oneLine(text).replacingOccurrences(of: "|", with: "\\|") }

    private static func signed(_ points: Int) -> String { points > 0 ? "+\(points)" : "\(points)" }

    private static func quote(_ text: String) -> String {
        text.components(separatedBy: "\n").map { $0.isEmpty ? ">" : "> \($0)" }.joined(separator: "\n")
    }

    /// The trainee's timeline when they wrote one, else the run's; fenced so columns stay aligned.
    private static func timelineBlock(_ fields: [String: String], _ timeline: String) -> String {
        let text = value(fields, "timeline") ?? timeline.trimmingCharacters(in: .newlines)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return notWritten }
        var fence = "```"
        while text.contains(fence) { fence += "`" }
        return "\(fence)\n\(text)\n\(fence)"
    }

    /// A date field as the trainee wrote it, reformatted when it is an ISO 8601 time; else the
    /// run's own time.
    private static func date(_ written: String?, fallback: Date?, context: ExportContext) -> String {
        if let written {
            if let parsed = iso8601(written) { return Timeline.day(parsed, timeZone: context.timeZone) }
            return oneLine(written)
        }
        return fallback.map { Timeline.day($0, timeZone: context.timeZone) } ?? "not yet"
    }

    private static func iso8601(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// "12 min 30 s", "1 h 05 min", "45 s"; "not mitigated" without an end.
    static func duration(from start: Date?, to end: Date?) -> String {
        guard let start else { return "unknown" }
        guard let end else { return "not mitigated" }
        let seconds = max(0, Int(end.timeIntervalSince(start).rounded(.down)))
        if seconds >= 3600 { return "\(seconds / 3600) h " + String(format: "%02d", seconds % 3600 / 60) + " min" }
        if seconds >= 60 { return "\(seconds / 60) min \(seconds % 60) s" }
        return "\(seconds) s"
    }
}
