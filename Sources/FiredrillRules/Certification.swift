import FiredrillEngine
import Foundation

/// Where a trainee stands against the certification's requirements.
public struct CertificationStatus: Sendable, Equatable, Codable {
    public struct Requirement: Sendable, Equatable, Codable {
        public var title: String
        public var met: Bool
        /// When met, what met it; otherwise what is missing, in plain words.
        public var detail: String

        public init(title: String, met: Bool, detail: String) {
            self.title = title
            self.met = met
            self.detail = detail
        }
    }

    public var requirements: [Requirement]
    public var certified: Bool
    /// Category raw value → whether it is covered, for every category that certifies and has a level.
    public var categories: [String: Bool]
    /// When the last requirement was met: the start of the latest run used to meet them.
    public var earnedAt: Date?

    public init(requirements: [Requirement], certified: Bool, categories: [String: Bool], earnedAt: Date?) {
        self.requirements = requirements
        self.certified = certified
        self.categories = categories
        self.earnedAt = earnedAt
    }
}

/// The certification's rules; `docs/certification.md` tells trainees the same.
///
/// 1. The tutorial is passed.
/// 2. In every category of the catalogue that certifies (`Levels/categories.yaml`; not the
///    tutorial's `all`) and has a level, a passed level whose report was submitted
///    with at least two thirds of its questions answered correctly.
/// 3. A postmortem submitted or approved, complete (every section, no blamelessness finding).
///
/// Each requirement is met by its earliest qualifying run; the certificate is earned at the
/// latest of those.
public enum Certification {
    /// Whether a run's report shows understanding: answersCorrect × 3 ≥ questions × 2.
    public static func reportQualifies(_ run: PlayedRun) -> Bool {
        run.reportSubmitted && run.answersCorrect * 3 >= run.questions * 2
    }

    /// `categories`: those that certify, in the catalogue's order.
    public static func evaluate(levels: [LevelFacts], history: [PlayedRun], categories certifying: [Category]) -> CertificationStatus {
        var requirements: [CertificationStatus.Requirement] = []
        var usedAt: [Date] = []
        var categories: [String: Bool] = [:]

        // The tutorial.
        let tutorialRuns = history.filter { $0.level == Assignment.tutorial && $0.passed }
        if let first = earliest(tutorialRuns) {
            usedAt.append(first.startedAt)
            requirements.append(.init(title: "Pass the tutorial", met: true, detail: "passed in run \(first.run)"))
        } else {
            let tried = history.contains { $0.level == Assignment.tutorial }
            requirements.append(.init(title: "Pass the tutorial", met: false,
                                      detail: tried ? "the tutorial is not passed yet" : "the tutorial is not played yet"))
        }

        // Every category.
        let present = Set(levels.map(\.category))
        for category in certifying where present.contains(category) {
            let title = "A passed level in \(category.rawValue), with a report"
            let runs = history.filter { $0.category == category }
            let passed = runs.filter(\.passed)
            let qualifying = passed.filter(reportQualifies)
            if let first = earliest(qualifying) {
                usedAt.append(first.startedAt)
                categories[category.rawValue] = true
                requirements.append(.init(title: title, met: true,
                                          detail: "\(first.level): \(first.answersCorrect)/\(first.questions) answers correct"))
                continue
            }
            categories[category.rawValue] = false
            let detail: String
            if passed.isEmpty {
                detail = "no passed level in \(category.rawValue) yet"
            } else if let reported = passed.filter(\.reportSubmitted).max(by: { ratio($0) < ratio($1) }) {
                detail = "best report in \(category.rawValue): \(reported.level), \(reported.answersCorrect)/\(reported.questions) answers correct; two thirds are needed"
            } else {
                let names = Set(passed.map(\.level)).sorted().joined(separator: ", ")
                detail = "\(names) passed in \(category.rawValue), but no report submitted yet"
            }
            requirements.append(.init(title: title, met: false, detail: detail))
        }

        // A postmortem.
        let postmortemTitle = "A complete postmortem, submitted"
        let counted = history.filter { ($0.postmortem == .submitted || $0.postmortem == .approved) && $0.postmortemComplete }
        if let first = earliest(counted) {
            usedAt.append(first.startedAt)
            let state = first.postmortem == .approved ? "approved" : "submitted"
            requirements.append(.init(title: postmortemTitle, met: true, detail: "\(first.level): \(state)"))
        } else {
            let detail: String
            if history.contains(where: { $0.postmortem == .submitted || $0.postmortem == .approved }) {
                detail = "the submitted postmortem has empty sections or blaming wording; complete it and submit again"
            } else if history.contains(where: { $0.postmortem == .returned }) {
                detail = "a postmortem was returned by the reviewer; revise it and submit again"
            } else if history.contains(where: { $0.postmortem == .draft }) {
                detail = "a postmortem is still a draft; submit it"
            } else {
                detail = "no postmortem submitted yet"
            }
            requirements.append(.init(title: postmortemTitle, met: false, detail: detail))
        }

        let certified = requirements.allSatisfy(\.met)
        return CertificationStatus(requirements: requirements, certified: certified, categories: categories,
                                   earnedAt: certified ? usedAt.max() : nil)
    }

    private static func earliest(_ runs: [PlayedRun]) -> PlayedRun? {
        runs.min { ($0.startedAt, $0.run) < ($1.startedAt, $1.run) }
    }

    private static func ratio(_ run: PlayedRun) -> Double {
        run.questions == 0 ? 1 : Double(run.answersCorrect) / Double(run.questions)
    }
}
