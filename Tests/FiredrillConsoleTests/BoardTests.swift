import FiredrillConsole
import FiredrillEngine
import FiredrillRules
import FiredrillSQLite
import Foundation
import Testing

/// A class of five at a fixed moment: every stage, a long name, one without a run.
func sampleBoard(theme: Theme = .standard(), sort: BoardSort = .name) -> BoardModel {
    var model = BoardModel(title: "oncall_spring", theme: theme)
    model.sort = sort
    let now = Date(timeIntervalSince1970: 10_000)
    model.update([
        TraineeRow(player: "ada", run: "payload-too-large-1d000c", level: "payload-too-large", stage: "live", liveAt: now - 192, par: 900,
                   passing: 1, objectives: 3, hints: 1, lastCommand: "proxy: tail -f /var/log/nginx/error.log", report: "draft 2"),
        TraineeRow(player: "bob", run: "disk-full-77aa01", level: "disk-full", stage: "reported", liveAt: now - 2000,
                   endedAt: now - 740, par: 1200,
                   passing: 3, objectives: 3, hints: 0, lastCommand: "backend: df -h", report: "submitted", postmortem: "draft 4"),
        TraineeRow(player: "cem", assigned: "disk-full"),
        TraineeRow(player: "dora_with_a_very_long_login_name", run: "cors-0b11c2", level: "cors-wildcard-on-credentials-everywhere", stage: "closed",
                   liveAt: now - 900, endedAt: now - 300, par: 1200, passing: 2, objectives: 2, hints: 3, lastCommand: "frontend: curl -sI -H 'Origin: https://billing.example' http://proxy/api/invoices",
                   report: "approved", postmortem: "submitted"),
        TraineeRow(player: "eli", run: "varchar-number-4c4c4c", level: "varchar-number", stage: "booting", objectives: 4),
    ], at: now)
    model.updatedAt = nil
    return model
}

@Suite struct BoardTests {
    func screen(_ model: BoardModel, _ width: Int = 140, _ height: Int = 16) -> String {
        BoardView.render(model, width: width, height: height).text
    }

    @Test func standardTheme() {
        assertSnapshot(screen(sampleBoard()), named: "board-140x16")
    }

    @Test func aNarrowTerminalCutsNamesAndLevelsFirst() {
        assertSnapshot(screen(sampleBoard(), 100, 12), named: "board-100x12")
    }

    @Test func projectorThemeWithLongNamesCut() {
        assertSnapshot(screen(sampleBoard(theme: .projector()), 120, 16), named: "board-120x16-projector")
    }

    @Test func sortedByStageAndByTime() {
        assertSnapshot(screen(sampleBoard(sort: .stage)), named: "board-140x16-by-stage")
        assertSnapshot(screen(sampleBoard(sort: .time)), named: "board-140x16-by-time")
    }

    @Test func anEmptyClass() {
        var model = BoardModel(title: "oncall_spring", theme: .standard())
        model.update([], at: Date())
        model.updatedAt = nil
        assertSnapshot(screen(model, 100, 10), named: "board-100x10-empty")
    }

    @Test func helpAndReview() {
        var model = sampleBoard()
        _ = model.handle(.char("?"))
        assertSnapshot(screen(model, 140, 24), named: "board-140x24-help")
        _ = model.handle(.char("x"))
        #expect(model.overlay == nil)
        model.overlay = .review(BoardReview(run: "cors-0b11c2", player: "dora", fields: [("Summary", "The proxy allowed every origin with credentials."), ("Impact", "")],
                                            status: "submitted"))
        _ = model.handle(.char("b"))
        for c in "Say who" { _ = model.handle(.char(c)) }
        assertSnapshot(screen(model, 140, 24), named: "board-140x24-review")
    }

    @Test func selectionFollowsTheTraineeAcrossSortsAndRefreshes() {
        var model = sampleBoard()
        #expect(model.selectedRow?.player == "ada")
        _ = model.handle(.char("j"))
        _ = model.handle(.down)
        #expect(model.selectedRow?.player == "cem")
        _ = model.handle(.char("s"))
        #expect(model.rows.map(\.player) == ["cem", "eli", "ada", "bob", "dora_with_a_very_long_login_name"])
        #expect(model.selectedRow?.player == "cem")
        _ = model.handle(.char("t"))
        #expect(model.rows.map(\.player) == ["bob", "dora_with_a_very_long_login_name", "ada", "cem", "eli"])
        model.update(model.rows.filter { $0.player != "cem" }, at: model.now)
        #expect(model.selectedRow?.player == "bob")
        _ = model.handle(.char("G"))
        #expect(model.selectedRow?.player == "eli")
        _ = model.handle(.char("k"))
        _ = model.handle(.char("g"))
        #expect(model.selectedRow?.player == "bob")
    }

    @Test func keysGiveTheLoopItsEffects() {
        var model = sampleBoard()
        #expect(model.handle(.enter) == [.openRun(run: "payload-too-large-1d000c", player: "ada")])
        #expect(model.handle(.char("r")) == [.loadReview(run: "payload-too-large-1d000c", player: "ada")])
        _ = model.handle(.char("j"))
        _ = model.handle(.char("j"))
        #expect(model.handle(.enter) == [])
        #expect(model.message == "cem has no run yet.")
        #expect(model.handle(.char("q")) == [.quit])
    }

    @Test func aPostmortemIsApprovedOrSentBackWithAComment() {
        var model = sampleBoard()
        let review = BoardReview(run: "b1", player: "bob", fields: [], status: "submitted")
        model.overlay = .review(review)
        #expect(model.handle(.char("a")) == [.review(run: "b1", approve: true, comment: "")])
        #expect(model.overlay == nil)
        model.overlay = .review(review)
        _ = model.handle(.char("b"))
        #expect(model.handle(.enter) == [])
        for c in "blameless?" { _ = model.handle(.char(c)) }
        _ = model.handle(.backspace)
        #expect(model.handle(.enter) == [.review(run: "b1", approve: false, comment: "blameless")])
        model.overlay = .review(BoardReview(run: "b1", player: "bob", fields: [], status: nil))
        #expect(model.handle(.char("a")) == [])
        #expect(model.handle(.escape) == [])
        #expect(model.overlay == nil)
    }

    @Test func aRowFromTheStoresDigest() {
        let live = Date(timeIntervalSince1970: 1_000)
        var run = StoredRun(id: "r1", player: "ada", level: "payload-too-large", category: .http, difficulty: 1, state: "live",
                            createdAt: live, liveAt: live, hintsRevealed: 2)
        let levels = ["payload-too-large": LevelFacts(id: "payload-too-large", category: .http, difficulty: 1, par: 900, objectives: 3, questions: 2)]
        let events = [
            RunEvent(time: live, kind: EventKind.check, detail: "upload passed"),
            RunEvent(time: live, kind: EventKind.verify, detail: "not solved 2/3", payload: .verify(solved: false, passed: ["upload", "logged"], total: 3)),
            RunEvent(time: live, kind: EventKind.check, detail: "logged failing", payload: .check(objective: "logged", passed: false)),
            RunEvent(time: live, kind: EventKind.check, detail: "valid passed", payload: .check(objective: "valid", passed: true)),
        ]
        let submitted = Submission(run: "r1", document: .report, status: .submitted, submittedAt: live)
        var digest = TraineeDigest(player: "ada", run: run, objectiveEvents: events,
                                   lastCommand: RunEvent(time: live, kind: EventKind.command, detail: "x", payload: .command(instance: "proxy", command: "nginx -t")),
                                   filled: [.postmortem: 3])
        var row = TraineeRow(digest, levels: levels)
        #expect(row.elapsed(at: live + 75) == 75)
        #expect(row == TraineeRow(player: "ada", run: "r1", level: "payload-too-large", stage: "live", liveAt: live, par: 900, passing: 2,
                                  objectives: 3, hints: 2, lastCommand: "proxy: nginx -t", report: "—", postmortem: "draft 3"))
        run.state = "mitigated"
        run.mitigatedAt = live.addingTimeInterval(60)
        digest.run = run
        digest.submissions[.report] = submitted
        row = TraineeRow(digest, levels: [:])
        #expect(row.stage == "reported")
        #expect(row.elapsed(at: live + 500) == 60)
        #expect(row.objectives == nil)
        #expect(row.report == "submitted")
        #expect(TraineeRow(TraineeDigest(player: "cem"), levels: levels) == TraineeRow(player: "cem"))
    }

    @Test func rowsAndAReviewFromAStore() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("board-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try SQLiteStore.open(root: root)
        try store.ensurePlayer("cem")
        try store.upsertRun(StoredRun(id: "b1", player: "bob", level: "disk-full", category: .http, difficulty: 1, state: "mitigated",
                                      createdAt: Date(timeIntervalSince1970: 0), liveAt: Date(timeIntervalSince1970: 0)))
        try store.saveField(run: "b1", level: "disk-full", document: .postmortem, field: "impact", value: "none")
        try store.saveField(run: "b1", level: "disk-full", document: .postmortem, field: "extra", value: "kept")
        try store.submit(run: "b1", document: .postmortem, at: Date(timeIntervalSince1970: 10))
        #expect(try TraineeRow.rows(store, levels: [:]).map(\.stage) == ["closed", "no run"])
        let review = try BoardReview.postmortem(store, run: "b1", player: "bob")
        #expect(review.status == "submitted")
        #expect(review.fields.first { $0.0 == "Impact" }?.1 == "none")
        #expect(review.fields.last?.0 == "extra")
    }
}

extension BoardTests {
    @Test func theClockMovesTheTimesAndTheirOrder() {
        var model = sampleBoard(sort: .time)
        #expect(model.rows.first?.player == "bob")
        model.tick(model.now + 2000)
        #expect(model.rows.first?.player == "ada")
        #expect(screen(model).contains("36:32 / 15:00"))
        #expect(screen(model).contains("21:00 / 20:00"))
    }
}
