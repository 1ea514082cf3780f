import FiredrillEngine

public enum CheckText {
    /// What `check` prints: each objective ticked, failing or left for verify, then the verdict.
    public static func text(_ report: CheckReport, verify: Bool) -> String {
        var lines: [String] = []
        for objective in report.objectives {
            let mark = objective.passed ? "[x]" : (objective.deferred ? "[?]" : "[ ]")
            lines += ["\(mark) \(objective.title)", "      \(objective.detail)"]
        }
        if report.solved {
            lines += ["", "Solved. Write the incident report, then 'firedrill stop'."]
        } else if report.mitigated, !verify {
            lines += ["", "Every objective that can be checked in place holds. Run 'firedrill check --verify' to prove the fix lasts."]
        } else {
            lines += ["", "Not solved yet."]
        }
        return lines.joined(separator: "\n")
    }
}
