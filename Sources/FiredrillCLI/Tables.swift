import FiredrillEngine
import FiredrillGame
import Foundation

/// A level as `levels` lists it (and prints it as JSON).
public struct LevelRow: Encodable, Sendable {
    public var id, title, category: String
    public var difficulty: Int
    public var par: Int

    public init(_ level: Level) {
        (id, title, category, difficulty, par) = (level.id, level.title, level.category.rawValue, level.difficulty, Int(level.par))
    }

    /// The `levels` table: id, category, difficulty in stars, par, title.
    public static func table(_ rows: [LevelRow]) -> String {
        let width = max(2, rows.map(\.id.count).max() ?? 0)
        var lines = ["\("ID".padding(toLength: width, withPad: " ", startingAt: 0))  CATEGORY  DIFF  PAR   TITLE"]
        for row in rows {
            lines.append("\(row.id.padding(toLength: width, withPad: " ", startingAt: 0))  \(row.category.padding(toLength: 8, withPad: " ", startingAt: 0))  \(String(repeating: "*", count: row.difficulty).padding(toLength: 4, withPad: " ", startingAt: 0))  \(formatDuration(Double(row.par)).padding(toLength: 4, withPad: " ", startingAt: 0))  \(row.title)")
        }
        return lines.joined(separator: "\n")
    }
}

public enum ProgressText {
    /// What `progress` prints: levels played and passed, categories, certification.
    public static func text(_ progress: FiredrillGame.Progress) -> String {
        var lines = ["Progress of \(progress.player): \(progress.levels.filter(\.passed).count) of \(progress.levels.count) levels passed, score \(progress.totalScore)", ""]
        lines.append("  LEVEL              CATEGORY  PLAYS  PASSED  BEST")
        for row in progress.levels {
            lines.append("  \(row.level.padding(toLength: 18, withPad: " ", startingAt: 0)) \(row.category.padding(toLength: 8, withPad: " ", startingAt: 0))  \(String(format: "%5d", row.plays))  \(row.passed ? "  yes " : "   -  ")  \(row.bestScore.map(String.init) ?? "-")")
        }
        let covered = progress.certification.categories.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value ? "✓" : "·")" }
        lines += ["", "  Categories: \(covered.joined(separator: "  "))", ""]
        return (lines + CertificateText.requirements(progress.certification)).joined(separator: "\n")
    }
}

public enum LeaderboardText {
    /// What `leaderboard` prints: players by the sum of their best scores.
    public static func table(_ rows: [LeaderboardRow]) -> String {
        if rows.isEmpty { return "Nobody has scored yet." }
        var lines = ["  #  PLAYER              SCORE  PASSED  CERTIFIED"]
        for (index, row) in rows.enumerated() {
            lines.append(String(format: "%3d", index + 1) + "  \(row.player.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(format: "%6d", row.score))  \(String(format: "%6d", row.passed))  \(row.certified ? "yes" : "-")")
        }
        return lines.joined(separator: "\n")
    }
}

/// A submitted postmortem as `review` lists it.
public struct ReviewRow: Sendable {
    public var run, player, status: String
    public var submittedAt: Date
    public var comment: String?

    public init(run: String, player: String, status: String, submittedAt: Date, comment: String?) {
        (self.run, self.player, self.status, self.submittedAt, self.comment) = (run, player, status, submittedAt, comment)
    }

    /// The `review` list; `all` says whether reviewed postmortems were asked for too.
    public static func table(_ rows: [ReviewRow], all: Bool) -> String {
        if rows.isEmpty { return all ? "No postmortem yet." : "No postmortem waits for review." }
        var lines = ["RUN                        PLAYER        STATUS     SUBMITTED"]
        for item in rows {
            lines.append("\(item.run.padding(toLength: 26, withPad: " ", startingAt: 0)) \(item.player.padding(toLength: 13, withPad: " ", startingAt: 0)) \(item.status.padding(toLength: 10, withPad: " ", startingAt: 0)) \(ISO8601DateFormatter().string(from: item.submittedAt))\(item.comment.map { "  \"\($0)\"" } ?? "")")
        }
        return lines.joined(separator: "\n")
    }
}
