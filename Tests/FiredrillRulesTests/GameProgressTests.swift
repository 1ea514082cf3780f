import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine
@testable import FiredrillRules

let gameCatalog: [LevelFacts] = [
    LevelFacts(id: "tutorial", category: .all, difficulty: 1, par: 300, objectives: 1, questions: 1),
    LevelFacts(id: "payload-too-large", category: .http, difficulty: 1, par: 900, objectives: 3, questions: 3),
    LevelFacts(id: "cors", category: .http, difficulty: 2, par: 900, objectives: 3, questions: 4),
    LevelFacts(id: "deep-pagination", category: .database, difficulty: 2, par: 1200, objectives: 2, questions: 3),
    LevelFacts(id: "lock-wait", category: .database, difficulty: 3, par: 1200, objectives: 2, questions: 3),
    LevelFacts(id: "disk-full", category: .host, difficulty: 1, par: 900, objectives: 2, questions: 3),
    LevelFacts(id: "memory-exhausted", category: .app, difficulty: 2, par: 900, objectives: 2, questions: 3),
]

/// A played run `day` days after a fixed date.
func played(_ level: String, day: Double, passed: Bool = true, report: Bool = true, correct: Int = 3, questions: Int = 3,
            postmortem: ReviewStatus? = nil, complete: Bool = false) -> PlayedRun {
    let category = gameCatalog.first { $0.id == level }?.category ?? .all
    return PlayedRun(run: "\(level)-\(Int(day))", player: "alice", level: level, category: category,
                     startedAt: Date(timeIntervalSince1970: 1_795_000_000 + day * 86_400), passed: passed, score: passed ? 900 : 100,
                     reportSubmitted: report, answersCorrect: correct, questions: questions, postmortem: postmortem,
                     postmortemComplete: complete)
}

@Suite struct GameAssignmentTests {
    @Test func theTutorialComesFirstUntilPassed() {
        #expect(Assignment.pick(levels: gameCatalog, history: [], seed: 1) == "tutorial")
        #expect(Assignment.pick(levels: gameCatalog, history: [played("tutorial", day: 0, passed: false)], seed: 99) == "tutorial")
        #expect(Assignment.reason(for: "tutorial", levels: gameCatalog, history: []) == "the tutorial comes first")
        let after = Assignment.pick(levels: gameCatalog, history: [played("tutorial", day: 0)], seed: 1)
        #expect(after != nil && after != "tutorial")
    }

    @Test func uncoveredCategoriesArePreferred() {
        let history = [played("tutorial", day: 0), played("payload-too-large", day: 1), played("deep-pagination", day: 2),
                       played("disk-full", day: 3, passed: false)]
        #expect(Assignment.candidates(levels: gameCatalog, history: history) == ["disk-full", "memory-exhausted"])
        for seed in UInt64(0)..<20 {
            let pick = Assignment.pick(levels: gameCatalog, history: history, seed: seed)
            #expect(pick == "disk-full" || pick == "memory-exhausted")
        }
        #expect(Assignment.reason(for: "disk-full", levels: gameCatalog, history: history)
            == "a level in host, a category you have not passed yet")
        // Every category covered: the levels not passed yet.
        let covered = history + [played("disk-full", day: 4), played("memory-exhausted", day: 5)]
        #expect(Assignment.candidates(levels: gameCatalog, history: covered) == ["cors", "lock-wait"])
        #expect(Assignment.reason(for: "cors", levels: gameCatalog, history: covered) == "a level you have not passed yet")
    }

    @Test func onceEverythingIsPassedAnyLevelButTheTutorial() {
        let all = gameCatalog.enumerated().map { played($0.element.id, day: Double($0.offset)) }
        let candidates = Assignment.candidates(levels: gameCatalog, history: all)
        #expect(candidates == gameCatalog.map(\.id).filter { $0 != "tutorial" }.sorted())
        #expect(Assignment.reason(for: "cors", levels: gameCatalog, history: all) == "a replay of a level you have passed")
    }

    @Test func theSameSeedPicksTheSameLevelAndSeedsSpreadOverLevels() {
        let history = [played("tutorial", day: 0)]
        for seed: UInt64 in [0, 7, 42, 123_456_789] {
            #expect(Assignment.pick(levels: gameCatalog, history: history, seed: seed)
                == Assignment.pick(levels: gameCatalog, history: history, seed: seed))
        }
        // Order of the catalogue does not change the pick.
        #expect(Assignment.pick(levels: gameCatalog.reversed(), history: history, seed: 42)
            == Assignment.pick(levels: gameCatalog, history: history, seed: 42))
        let picks = Set((UInt64(0)..<50).compactMap { Assignment.pick(levels: gameCatalog, history: history, seed: $0) })
        #expect(picks.count >= 4)
        #expect(!picks.contains("tutorial"))
        // The pick is SplitMix64 over the sorted candidates.
        var generator = SplitMix64(seed: 42)
        let sorted = Assignment.candidates(levels: gameCatalog, history: history)
        #expect(Assignment.pick(levels: gameCatalog, history: history, seed: 42) == sorted[Int(generator.next() % UInt64(sorted.count))])
    }

    @Test func noLevelsNoPick() {
        #expect(Assignment.pick(levels: [], history: [], seed: 3) == nil)
        #expect(Assignment.pick(levels: [gameCatalog[0]], history: [played("tutorial", day: 0)], seed: 3) == nil)
    }
}

@Suite struct GameCertificationTests {
    /// Everything certification asks, the postmortem last (day 9).
    var complete: [PlayedRun] {
        [
            played("tutorial", day: 0, correct: 1, questions: 1),
            played("payload-too-large", day: 2),
            played("deep-pagination", day: 3, correct: 2),
            played("disk-full", day: 5),
            played("memory-exhausted", day: 6, correct: 3, postmortem: .approved, complete: true),
            played("cors", day: 9, postmortem: .submitted, complete: true),
        ]
    }

    func requirement(_ status: CertificationStatus, _ prefix: String) -> CertificationStatus.Requirement? {
        status.requirements.first { $0.title.hasPrefix(prefix) }
    }

    @Test func everythingMetCertifiesAtTheLastRequirement() {
        let status = Certification.evaluate(levels: gameCatalog, history: complete, categories: certifyingCategories)
        #expect(status.certified)
        #expect(status.requirements.map(\.title) == [
            "Pass the tutorial", "A passed level in database, with a report", "A passed level in http, with a report",
            "A passed level in host, with a report", "A passed level in app, with a report", "A complete postmortem, submitted",
        ])
        #expect(status.requirements.allSatisfy { $0.met })
        #expect(status.categories == ["database": true, "http": true, "host": true, "app": true])
        // The earliest complete postmortem (day 6) meets the last requirement.
        #expect(status.earnedAt == Date(timeIntervalSince1970: 1_795_000_000 + 6 * 86_400))
        #expect(requirement(status, "A passed level in database")?.detail == "deep-pagination: 2/3 answers correct")
    }

    @Test func withoutTheTutorial() {
        let status = Certification.evaluate(levels: gameCatalog, history: complete.filter { $0.level != "tutorial" }, categories: certifyingCategories)
        #expect(!status.certified)
        #expect(status.earnedAt == nil)
        #expect(requirement(status, "Pass the tutorial")?.met == false)
        #expect(requirement(status, "Pass the tutorial")?.detail == "the tutorial is not played yet")
        let failed = Certification.evaluate(levels: gameCatalog, history: complete.map {
            $0.level == "tutorial" ? played("tutorial", day: 0, passed: false) : $0
        }, categories: certifyingCategories)
        #expect(requirement(failed, "Pass the tutorial")?.detail == "the tutorial is not passed yet")
    }

    @Test func everyCategoryNeedsAPassedLevel() {
        let history = complete.filter { $0.category != .host } + [played("disk-full", day: 4, passed: false)]
        let status = Certification.evaluate(levels: gameCatalog, history: history, categories: certifyingCategories)
        #expect(!status.certified)
        #expect(status.categories["host"] == false)
        #expect(status.categories["http"] == true)
        #expect(requirement(status, "A passed level in host")?.detail == "no passed level in host yet")
        #expect(status.requirements.filter { !$0.met }.count == 1)
    }

    @Test func aPassedLevelNeedsItsReportWithTwoThirdsCorrect() {
        let noReport = complete.filter { $0.category != .database } + [played("lock-wait", day: 4, report: false)]
        let status = Certification.evaluate(levels: gameCatalog, history: noReport, categories: certifyingCategories)
        #expect(!status.certified)
        #expect(requirement(status, "A passed level in database")?.detail == "lock-wait passed in database, but no report submitted yet")

        let weak = complete.filter { $0.category != .database } + [played("lock-wait", day: 4, correct: 1),
                                                                   played("deep-pagination", day: 5, correct: 5, questions: 8)]
        let weakStatus = Certification.evaluate(levels: gameCatalog, history: weak, categories: certifyingCategories)
        #expect(!weakStatus.certified)
        #expect(requirement(weakStatus, "A passed level in database")?.detail
            == "best report in database: deep-pagination, 5/8 answers correct; two thirds are needed")
        // Exactly two thirds is enough.
        #expect(Certification.reportQualifies(played("lock-wait", day: 4, correct: 2, questions: 3)))
        #expect(Certification.reportQualifies(played("lock-wait", day: 4, correct: 0, questions: 0)))
        #expect(!Certification.reportQualifies(played("lock-wait", day: 4, correct: 5, questions: 8)))
    }

    @Test func aPostmortemMustBeSubmittedOrApprovedAndComplete() {
        let base = complete.map { run -> PlayedRun in
            var run = run
            run.postmortem = nil
            run.postmortemComplete = false
            return run
        }
        #expect(requirement(Certification.evaluate(levels: gameCatalog, history: base, categories: certifyingCategories), "A complete postmortem")?.detail
            == "no postmortem submitted yet")
        let cases: [(ReviewStatus, Bool, String)] = [
            (.draft, true, "a postmortem is still a draft; submit it"),
            (.returned, true, "a postmortem was returned by the reviewer; revise it and submit again"),
            (.submitted, false, "the submitted postmortem has empty sections or blaming wording; complete it and submit again"),
        ]
        for (state, complete, detail) in cases {
            var history = base
            history[1].postmortem = state
            history[1].postmortemComplete = complete
            let status = Certification.evaluate(levels: gameCatalog, history: history, categories: certifyingCategories)
            #expect(!status.certified)
            #expect(status.earnedAt == nil)
            #expect(requirement(status, "A complete postmortem")?.detail == detail)
        }
        var approved = base
        approved[1].postmortem = .approved
        approved[1].postmortemComplete = true
        let status = Certification.evaluate(levels: gameCatalog, history: approved, categories: certifyingCategories)
        #expect(status.certified)
        // The last requirement met is the app level, on day 6.
        #expect(status.earnedAt == Date(timeIntervalSince1970: 1_795_000_000 + 6 * 86_400))
    }

    @Test func onlyTheCatalogueCategoriesAreRequired() {
        let small = gameCatalog.filter { $0.category == .all || $0.category == .http }
        let history = [played("tutorial", day: 0), played("cors", day: 1, postmortem: .submitted, complete: true)]
        let status = Certification.evaluate(levels: small, history: history, categories: certifyingCategories)
        #expect(status.certified)
        #expect(status.categories == ["http": true])
        #expect(status.earnedAt == Date(timeIntervalSince1970: 1_795_000_000 + 86_400))
    }
}
