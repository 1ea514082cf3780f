import FiredrillEngine
import FiredrillRules
import FiredrillStore
import Foundation

extension Game {
    /// The class's grading, in the instructor's process: every submitted report attempt without
    /// grades is graded from what the store holds (its fields, the run's expected answers, the
    /// level's questions in this catalog) and its run scored (the first attempt counts). Outside
    /// a class, or as a trainee, nothing. Returns the runs graded.
    @discardableResult
    public func gradeClass() throws -> [String] {
        guard trainee == nil, let store = store as? any ClassStore else { return [] }
        var graded: [String] = []
        for submission in try store.submissions(document: .report, status: nil) {
            let run = submission.run
            let pending = try store.attempts(run: run).filter { $0.grades == nil }
            // A report submitted before attempts were kept has no expected answers here.
            guard !pending.isEmpty, let stored = try store.run(run), let expected = try store.expectedAnswers(run: run) else { continue }
            let level = try engine.catalog.level(stored.level, bindings: LevelBindings(draw: .seed(stored.seed ?? 0), runID: run))
            for attempt in pending {
                try store.saveGrades(run: run, attempt: attempt.number, grades: grade(level, expected: expected, fields: attempt.fields))
            }
            let first = try store.attempts(run: run).first?.grades ?? []
            let card = Scoring.score(level: LevelFacts(level), events: try store.events(run: run), grades: first, reportSubmitted: true)
            try store.saveScore(run: run, card: card, at: Date())
            graded.append(run)
        }
        return graded
    }
}
