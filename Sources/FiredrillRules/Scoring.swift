import FiredrillEngine
import Foundation

/// The score of a run, from its events and its graded report. The rules are the ones trainees
/// read in `docs/scoring.md`; keep the two in step.
///
/// The card's lines always sum to its total: after the rule lines come "Floor at 0" (only when
/// they sum below zero) and the difficulty line, whose points are what the multiplier adds.
public enum Scoring {
    public static let mitigatedPoints = 300
    public static let objectivesPoints = 200.0
    public static let timePoints = 200.0
    public static let hintPenalty = -40
    public static let costlyPenalty = -150
    public static let reportBase = 50
    public static let reportAnswersPoints = 250.0

    /// The multiplier of a difficulty, clamped to 1...3: ×1.0, ×1.5, ×2.0.
    public static func multiplier(difficulty: Int) -> Double {
        1.0 + Double(min(max(difficulty, 1), 3) - 1) * 0.5
    }

    public static func score(level: LevelFacts, events: [RunEvent], grades: [QuestionGrade], reportSubmitted: Bool) -> ScoreCard {
        var lines: [ScoreLine] = []

        let mitigated = earliest(events, EventKind.mitigated)
        lines.append(ScoreLine(label: "Mitigated", points: mitigated == nil ? 0 : mitigatedPoints))

        if let best = bestVerify(events, objectives: level.objectives) {
            lines.append(ScoreLine(label: "Objectives \(best.passed)/\(best.total) at the best verify",
                                   points: Int((objectivesPoints * best.fraction).rounded())))
        } else {
            lines.append(ScoreLine(label: "Objectives: no verify", points: 0))
        }

        if let mitigated {
            let live = earliest(events, EventKind.live) ?? events.min { $0.time < $1.time }
            let seconds = max(0, mitigated.time.timeIntervalSince(live?.time ?? mitigated.time))
            lines.append(ScoreLine(label: "Time against par \(clock(seconds)) / \(clock(level.par))",
                                   points: Int(timeScore(seconds: seconds, par: level.par).rounded())))
        } else {
            lines.append(ScoreLine(label: "Time against par: not mitigated", points: 0))
        }

        let hints = events.filter { $0.kind == EventKind.hint }.count
        lines.append(ScoreLine(label: "Hints \(hints) × \(hintPenalty)", points: hints * hintPenalty))

        let costly = Set(events.compactMap { if case let .costly(fix, _) = $0.payload { fix } else { nil } })
        lines.append(ScoreLine(label: "Blast radius \(costly.count) × \(costlyPenalty)", points: costly.count * costlyPenalty))

        if reportSubmitted {
            let questions = max(level.questions, grades.count)
            let correct = grades.filter(\.correct).count
            let fraction = questions == 0 ? 1.0 : Double(correct) / Double(questions)
            lines.append(ScoreLine(label: "Report \(correct)/\(questions) answers correct",
                                   points: reportBase + Int((reportAnswersPoints * fraction).rounded())))
        } else {
            lines.append(ScoreLine(label: "Report: not submitted", points: 0))
        }

        let subtotal = lines.reduce(0) { $0 + $1.points }
        if subtotal < 0 { lines.append(ScoreLine(label: "Floor at 0", points: -subtotal)) }
        let floored = max(0, subtotal)
        let difficulty = min(max(level.difficulty, 1), 3)
        let factor = multiplier(difficulty: difficulty)
        let total = Int((Double(floored) * factor).rounded())
        lines.append(ScoreLine(label: "Difficulty \(difficulty) ×\(String(format: "%.1f", factor))", points: total - floored))

        let passed = events.contains { if case .verify(true, _, _) = $0.payload { true } else { false } }
        return ScoreCard(lines: lines, total: total, passed: passed)
    }

    /// Points for the time from live to mitigated: full at par or under, falling linearly to 0 at
    /// three times par.
    public static func timeScore(seconds: Double, par: Double) -> Double {
        guard par > 0, seconds > par else { return timePoints }
        guard seconds < 3 * par else { return 0 }
        return timePoints * (3 * par - seconds) / (2 * par)
    }

    /// The verify with the most objectives passing, as passed/total; nil without a verify. A
    /// verify without a count is of the level's objectives; a solved one passes all of them.
    static func bestVerify(_ events: [RunEvent], objectives: Int) -> (passed: Int, total: Int, fraction: Double)? {
        var best: (passed: Int, total: Int, fraction: Double)?
        for event in events {
            guard case let .verify(solved, names, count) = event.payload else { continue }
            let total = count ?? objectives
            let passed = solved ? total : names.count
            let fraction = total > 0 ? min(1, Double(passed) / Double(total)) : (solved ? 1 : 0)
            if best == nil || fraction > best!.fraction { best = (passed, total, fraction) }
        }
        return best
    }

    /// The earliest event of a kind, whatever the order of the list.
    static func earliest(_ events: [RunEvent], _ kind: String) -> RunEvent? {
        events.filter { $0.kind == kind }.min { $0.time < $1.time }
    }

    /// "mm:ss", or "h:mm:ss" from an hour.
    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.down))
        let (h, m, s) = (whole / 3600, whole % 3600 / 60, whole % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%02d:%02d", m, s)
    }
}
