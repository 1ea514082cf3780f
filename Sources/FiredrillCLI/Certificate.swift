import FiredrillEngine
import FiredrillGame
import Foundation

public enum CertificateText {
    /// Certification's requirements, each ticked or with what is missing.
    public static func requirements(_ status: CertificationStatus) -> [String] {
        var lines = [status.certified ? "  Certified for on-call. See 'firedrill certificate'." : "  Certification (docs/certification.md):"]
        for requirement in status.requirements {
            lines.append("    [\(requirement.met ? "x" : " ")] \(requirement.title)\(requirement.met ? "" : ": \(requirement.detail)")")
        }
        return lines
    }

    /// What `certificate` prints before it is earned: why not yet.
    public static func notYet(_ progress: FiredrillGame.Progress) -> String {
        (["\(progress.player) is not certified yet.", ""] + requirements(progress.certification)).joined(separator: "\n")
    }

    /// The certificate, in Markdown, earned on `earned`.
    public static func certificate(_ progress: FiredrillGame.Progress, earned: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "d MMMM yyyy"
        let passed = progress.levels.filter(\.passed)
        return """
        # firedrill certificate: on-call ready

        **\(progress.player)** is certified to take production on-call, \(formatter.string(from: earned)).

        They troubleshot and fixed real broken systems in every category \
        (\(progress.certification.categories.keys.sorted().joined(separator: ", "))), filed incident reports \
        that show what broke and why, and wrote a blameless postmortem.

        | Level | Category | Best score |
        |---|---|---|
        \(passed.map { "| \($0.level) | \($0.category) | \($0.bestScore ?? 0) |" }.joined(separator: "\n"))

        Total score: \(progress.totalScore).
        """
    }
}
