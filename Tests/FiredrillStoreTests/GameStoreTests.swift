import FiredrillEngine
import FiredrillRules
import FiredrillStore
import FiredrillTestSupport
import Foundation
import Testing

/// A date with milliseconds, as the store keeps them.
func at(_ seconds: Double) -> Date { Date(timeIntervalSince1970: 1_790_000_000 + seconds) }

func sampleRun(_ id: String = "r1", player: String = "ada", createdAt: Date = at(0.123)) -> StoredRun {
    StoredRun(id: id, player: player, level: "payload-too-large", category: .http, difficulty: 2, seed: 42,
              state: "booting", createdAt: createdAt)
}

@Suite struct PlayersAndRuns {
    @Test(arguments: StoreKind.allCases) func playersAreCreatedOnceAndListedByName(_ kind: StoreKind) throws {
        let store = try kind.store()
        #expect(try store.players() == [])
        try store.ensurePlayer("zoe")
        try store.ensurePlayer("ada")
        try store.ensurePlayer("zoe")
        #expect(try store.players() == ["ada", "zoe"])
    }

    @Test(arguments: StoreKind.allCases) func runRoundTripsEveryField(_ kind: StoreKind) throws {
        let store = try kind.store()
        let run = StoredRun(id: "r1", player: "ada", level: "slow-query", category: .database, difficulty: 3, seed: .max,
                            state: "closed", createdAt: at(0.001), liveAt: at(1.002), mitigatedAt: at(2.003), reportedAt: at(3.004),
                            closedAt: at(4.005), stoppedAt: at(5.006), hintsRevealed: 2)
        try store.upsertRun(run)
        #expect(try store.run("r1") == run)
        #expect(try store.run("none") == nil)
        #expect(try store.players() == ["ada"], "upserting a run creates its player")
        let bare = StoredRun(id: "r2", player: "ada", level: "cors", category: .http, difficulty: 1, state: "booting", createdAt: at(9))
        try store.upsertRun(bare)
        #expect(try store.run("r2") == bare)
    }

    @Test(arguments: StoreKind.allCases) func datesComeBackToTheMillisecond(_ kind: StoreKind) throws {
        let store = try kind.store()
        let now = Date()
        try store.upsertRun(sampleRun(createdAt: now))
        let stored = try #require(try store.run("r1"))
        #expect(stored.createdAt == now.roundedToMillisecond)
        #expect(abs(stored.createdAt.timeIntervalSince(now)) <= 0.0005)
    }

    @Test(arguments: StoreKind.allCases) func anUpdateKeepsThePlayerTheCreationTimeAndSetTimestamps(_ kind: StoreKind) throws {
        let store = try kind.store()
        var run = sampleRun()
        run.liveAt = at(10)
        try store.upsertRun(run)

        var update = sampleRun(player: "mallory", createdAt: at(500))
        update.state = "mitigated"
        update.mitigatedAt = at(20.5)
        update.hintsRevealed = 1
        update.seed = nil
        try store.upsertRun(update)

        let stored = try #require(try store.run("r1"))
        #expect(stored.player == "ada")
        #expect(stored.createdAt == at(0.123))
        #expect(stored.liveAt == at(10), "nil in the update keeps the stored time")
        #expect(stored.mitigatedAt == at(20.5))
        #expect(stored.state == "mitigated")
        #expect(stored.hintsRevealed == 1)
        #expect(stored.seed == 42)
        #expect(try store.players() == ["ada"], "an update creates no player")

        update.liveAt = at(11)
        try store.upsertRun(update)
        #expect(try store.run("r1")?.liveAt == at(11), "a time in the update replaces the stored one")
    }

    @Test(arguments: StoreKind.allCases) func runsAreListedOldestFirstPerPlayerOrAll(_ kind: StoreKind) throws {
        let store = try kind.store()
        try store.upsertRun(sampleRun("c", player: "ada", createdAt: at(30)))
        try store.upsertRun(sampleRun("a", player: "bob", createdAt: at(10)))
        try store.upsertRun(sampleRun("b", player: "ada", createdAt: at(20)))
        #expect(try store.runs(player: nil).map(\.id) == ["a", "b", "c"])
        #expect(try store.runs(player: "ada").map(\.id) == ["b", "c"])
        #expect(try store.runs(player: "nobody") == [])
    }
}

@Suite struct Events {
    @Test(arguments: StoreKind.allCases) func eventsComeBackInTimeThenInsertionOrder(_ kind: StoreKind) throws {
        let store = try kind.store()
        try store.upsertRun(sampleRun())
        let late = RunEvent(time: at(5), kind: EventKind.live, detail: "")
        let early = RunEvent(time: at(1), kind: EventKind.booting, detail: "boot")
        let sameTimeFirst = RunEvent(time: at(3), kind: EventKind.command, detail: "proxy: nginx -t")
        let sameTimeSecond = RunEvent(time: at(3), kind: EventKind.command, detail: "proxy: nginx -s reload")
        #expect(try store.append(late, run: "r1"))
        #expect(try store.append([early, sameTimeFirst, sameTimeSecond], run: "r1") == 3)
        #expect(try store.events(run: "r1") == [early, sameTimeFirst, sameTimeSecond, late])
        #expect(try store.events(run: "other") == [])
    }

    @Test(arguments: StoreKind.allCases) func theSameEventTwiceIsStoredOnce(_ kind: StoreKind) throws {
        let store = try kind.store()
        try store.upsertRun(sampleRun())
        try store.upsertRun(sampleRun("r2"))
        let command = RunEvent(time: at(3.25), kind: EventKind.command, detail: "db: SHOW PROCESSLIST;")
        #expect(try store.append(command, run: "r1"))
        #expect(try store.append(command, run: "r1") == false)
        let within = RunEvent(time: at(3.2502), kind: command.kind, detail: command.detail)
        #expect(try store.append(within, run: "r1") == false, "the same to the millisecond")
        let history = [command, RunEvent(time: at(4), kind: EventKind.command, detail: "db: EXPLAIN …"), command]
        #expect(try store.append(history, run: "r1") == 1)
        #expect(try store.append(command, run: "r2"), "another run's event is its own")
        #expect(try store.events(run: "r1").count == 2)
    }

    @Test(arguments: StoreKind.allCases) func eventsKeepTheirPayloads(_ kind: StoreKind) throws {
        let store = try kind.store()
        try store.upsertRun(sampleRun())
        let events = [
            RunEvent(time: at(1), kind: EventKind.verify, detail: "not solved 1/2 (passed: a)", payload: .verify(solved: false, passed: ["a"], total: 2)),
            RunEvent(time: at(2), kind: EventKind.costly, detail: "words only", payload: .costly(fix: "restart-db", title: "Restarted: the db")),
            RunEvent(time: at(3), kind: EventKind.live, detail: "fault live"),
        ]
        #expect(try store.append(events, run: "r1") == 3)
        #expect(try store.events(run: "r1") == events)
    }

    @Test(arguments: StoreKind.allCases) func eventsNeedTheirRun(_ kind: StoreKind) throws {
        let store = try kind.store()
        #expect(throws: StoreError.noSuchRun("ghost")) {
            try store.append(RunEvent(time: at(1), kind: EventKind.live, detail: ""), run: "ghost")
        }
    }

    @Test(arguments: StoreKind.allCases) func aFailingBatchStoresNothing(_ kind: StoreKind) throws {
        let store = try kind.store()
        try store.upsertRun(sampleRun())
        #expect(throws: (any Error).self) {
            try store.append([RunEvent(time: at(1), kind: EventKind.live, detail: "")], run: "ghost")
        }
        #expect(try store.append([], run: "r1") == 0)
        #expect(try store.events(run: "r1") == [])
    }
}

@Suite struct Documents {
    @Test(arguments: StoreKind.allCases) func reportStoreIsTheReportDocument(_ kind: StoreKind) throws {
        let store = try kind.store()
        try store.save(run: "r1", level: "cors", field: "title", value: "Preflight refused")
        try store.save(run: "r1", level: "cors", field: "title", value: "Preflight refused for the SPA")
        try store.saveField(run: "r1", level: "cors", document: .report, field: "impact", value: "Téléversements 上传\nline two")
        try store.saveField(run: "r1", level: "cors", document: .postmortem, field: "summary", value: "blameless")
        #expect(try store.load(run: "r1") == ["title": "Preflight refused for the SPA", "impact": "Téléversements 上传\nline two"])
        #expect(try store.fields(run: "r1", document: .postmortem) == ["summary": "blameless"])
        #expect(try store.fields(run: "r2", document: .report) == [:])
        #expect(try store.run("r1") == nil, "fields need no run row")
        let reportStore: any ReportStore = store
        #expect(try reportStore.load(run: "r1")["title"] == "Preflight refused for the SPA")
    }

    @Test(arguments: StoreKind.allCases) func submitMarksTheDocumentAppendsTheEventAndTimesTheRun(_ kind: StoreKind) throws {
        let store = try kind.store()
        try store.upsertRun(sampleRun())
        #expect(try store.submission(run: "r1", document: .report) == nil)

        try store.submit(run: "r1", document: .report, at: at(60.5))
        #expect(try store.submission(run: "r1", document: .report)
                == Submission(run: "r1", document: .report, status: .submitted, submittedAt: at(60.5)))
        #expect(try store.run("r1")?.reportedAt == at(60.5))
        #expect(try store.run("r1")?.closedAt == nil)
        #expect(try store.events(run: "r1") == [RunEvent(time: at(60.5), kind: EventKind.reported, detail: "report submitted")])

        try store.submit(run: "r1", document: .postmortem, at: at(90))
        #expect(try store.run("r1")?.closedAt == at(90))
        #expect(try store.events(run: "r1").map(\.kind) == [EventKind.reported, EventKind.postmortem])
        #expect(try store.submission(run: "r1", document: .postmortem)?.status == .submitted)
    }

    @Test(arguments: StoreKind.allCases) func submittingNeedsTheRun(_ kind: StoreKind) throws {
        let store = try kind.store()
        #expect(throws: StoreError.noSuchRun("ghost")) { try store.submit(run: "ghost", document: .report, at: at(1)) }
        #expect(try store.submissions(document: .report, status: nil) == [])
    }

    @Test(arguments: StoreKind.allCases) func reviewWithoutASubmissionThrows(_ kind: StoreKind) throws {
        let store = try kind.store()
        try store.upsertRun(sampleRun())
        #expect(throws: StoreError.notSubmitted(run: "r1", document: .postmortem)) {
            try store.review(run: "r1", document: .postmortem, approve: true, comment: "", reviewer: "grace", at: at(1))
        }
        try store.submit(run: "r1", document: .postmortem, at: at(2))
        try store.review(run: "r1", document: .postmortem, approve: true, comment: "", reviewer: "grace", at: at(3))
        #expect(throws: StoreError.notSubmitted(run: "r1", document: .postmortem), "an approved document is not reviewed again") {
            try store.review(run: "r1", document: .postmortem, approve: false, comment: "no", reviewer: "grace", at: at(4))
        }
        #expect(try store.submission(run: "r1", document: .postmortem)
                == Submission(run: "r1", document: .postmortem, status: .approved, submittedAt: at(2), reviewer: "grace", reviewedAt: at(3)))
    }

    @Test(arguments: StoreKind.allCases) func returnedThenResubmittedClearsTheReview(_ kind: StoreKind) throws {
        let store = try kind.store()
        try store.upsertRun(sampleRun())
        try store.submit(run: "r1", document: .postmortem, at: at(10))
        try store.review(run: "r1", document: .postmortem, approve: false, comment: "The timeline stops at the page.",
                         reviewer: "grace", at: at(20))
        #expect(try store.submission(run: "r1", document: .postmortem)
                == Submission(run: "r1", document: .postmortem, status: .returned, submittedAt: at(10),
                              comment: "The timeline stops at the page.", reviewer: "grace", reviewedAt: at(20)))

        try store.submit(run: "r1", document: .postmortem, at: at(30))
        #expect(try store.submission(run: "r1", document: .postmortem)
                == Submission(run: "r1", document: .postmortem, status: .submitted, submittedAt: at(30)))
        #expect(try store.run("r1")?.closedAt == at(10), "the run was closed by the first submission")
        #expect(try store.events(run: "r1").count == 2)

        try store.review(run: "r1", document: .postmortem, approve: true, comment: "Clear and blameless.", reviewer: "grace", at: at(40))
        let approved = try #require(try store.submission(run: "r1", document: .postmortem))
        #expect(approved.status == .approved)
        #expect(approved.comment == "Clear and blameless.")
    }

    @Test(arguments: StoreKind.allCases) func submissionsAreListedNewestFirstByStatus(_ kind: StoreKind) throws {
        let store = try kind.store()
        for (index, id) in ["a", "b", "c"].enumerated() {
            try store.upsertRun(sampleRun(id))
            try store.submit(run: id, document: .postmortem, at: at(Double(index)))
        }
        try store.submit(run: "a", document: .report, at: at(100))
        try store.review(run: "b", document: .postmortem, approve: false, comment: "Who owns the action items?", reviewer: "grace", at: at(5))
        #expect(try store.submissions(document: .postmortem, status: nil).map(\.run) == ["c", "b", "a"])
        #expect(try store.submissions(document: .postmortem, status: .submitted).map(\.run) == ["c", "a"])
        #expect(try store.submissions(document: .postmortem, status: .returned).map(\.run) == ["b"])
        #expect(try store.submissions(document: .postmortem, status: .approved) == [])
        #expect(try store.submissions(document: .report, status: nil).map(\.run) == ["a"])
    }
}

@Suite struct Scores {
    @Test(arguments: StoreKind.allCases) func aScoreCardRoundTripsAndIsReplaced(_ kind: StoreKind) throws {
        let store = try kind.store()
        try store.upsertRun(sampleRun())
        #expect(try store.score(run: "r1") == nil)
        let card = ScoreCard(lines: [ScoreLine(label: "Difficulty ★★☆", points: 200), ScoreLine(label: "Hints «taken»", points: -25),
                                     ScoreLine(label: "Time against par", points: 0)], total: 175, passed: true)
        try store.saveScore(run: "r1", card: card, at: at(1))
        #expect(try store.score(run: "r1") == card)
        let again = ScoreCard(lines: [], total: 0, passed: false)
        try store.saveScore(run: "r1", card: again, at: at(2))
        #expect(try store.score(run: "r1") == again)
        #expect(throws: StoreError.noSuchRun("ghost")) { try store.saveScore(run: "ghost", card: card, at: at(1)) }
    }
}

@Suite struct ReportAttempts {
    let grades = [QuestionGrade(id: "proxy-status", ask: "Which status?", given: "413", correct: true),
                  QuestionGrade(id: "configured-limit", ask: "Which limit?", given: "1m 2m", correct: false, reason: "lists 2 sizes: give one")]

    @Test(arguments: StoreKind.allCases) func eachSubmissionIsANumberedAttemptWithItsFieldsAndGrades(_ kind: StoreKind) throws {
        let store = try kind.store()
        try store.upsertRun(sampleRun())
        try store.saveField(run: "r1", level: "payload-too-large", document: .report, field: "title", value: "Uploads rejected")
        let first = try store.submitReport(run: "r1", fields: ["title": "Uploads rejected"], grades: grades, at: at(10))
        let second = try store.submitReport(run: "r1", fields: ["title": "Uploads rejected"], grades: [], at: at(20))
        #expect((first, second) == (1, 2))
        let attempts = try store.attempts(run: "r1")
        #expect(attempts.map(\.number) == [1, 2])
        #expect(attempts[0].grades == grades)
        #expect(attempts[0].fields == ["title": "Uploads rejected"])
        #expect(attempts[1].submittedAt == at(20).roundedToMillisecond)
        #expect(try store.submission(run: "r1", document: .report)?.status == .submitted)
        #expect(try store.run("r1")?.reportedAt == at(10).roundedToMillisecond, "reported when first submitted")
    }

    @Test(arguments: StoreKind.allCases) func aSubmittedReportsFieldsAreRefusedAndTheDraftsOfOthersAreNot(_ kind: StoreKind) throws {
        let store = try kind.store()
        try store.upsertRun(sampleRun())
        try store.upsertRun(sampleRun("r2"))
        try store.submitReport(run: "r1", fields: [:], grades: grades, at: at(10))
        #expect(throws: StoreError.reportSubmitted(run: "r1")) {
            try store.save(run: "r1", level: "payload-too-large", field: "q.proxy-status", value: "413")
        }
        try store.saveField(run: "r1", level: "payload-too-large", document: .postmortem, field: "summary", value: "Still open")
        try store.save(run: "r2", level: "payload-too-large", field: "title", value: "A draft")
        #expect(try store.fields(run: "r1", document: .report) == [:])
        #expect(try store.fields(run: "r2", document: .report) == ["title": "A draft"])
    }
}
