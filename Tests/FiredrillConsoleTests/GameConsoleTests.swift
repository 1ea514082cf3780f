import FiredrillEngine
import FiredrillRules
import Foundation
@testable import FiredrillConsole
import Testing

/// The game in the console: the postmortem sheet, submitting, the score, and watching read-only.
@Suite struct GameConsoleTests {
    @Test func thePostmortemOpensOnceMitigated() {
        var model = sampleModel()
        model.mitigatedAt = nil
        model.setFocus(.report)
        #expect(model.handle(.char("p")) == [])
        #expect(model.sheet == .report)
        #expect(model.message?.text.contains("mitigated") == true)

        model.mitigatedAt = Date()
        _ = model.handle(.char("p"))
        #expect(model.sheet == .postmortem)
        #expect(model.form.current.id == "summary")
        _ = model.handle(.enter)
        #expect(model.handle(.char("A")) == [.savePostmortem(field: "summary")])
        #expect(model.postmortem.value("summary") == "A")
        #expect(model.report.value("summary") == nil)
        _ = model.handle(.escape)
        #expect(model.handle(.char("S")) == [.submit(.postmortem)])
        #expect(model.handle(.char("f")) == [.fillFromRun(.postmortem)])
        _ = model.handle(.char("p"))
        #expect(model.sheet == .report)
        #expect(model.handle(.char("S")) == [.submit(.report)])
    }

    @Test func blamingWordsAreFlaggedUnderTheirField() {
        var model = sampleModel()
        model.mitigatedAt = Date()
        model.sheet = .postmortem
        model.postmortem.set("went_wrong", "The alert fired late.\nBob forgot to raise the limit.")
        let text = Renderer.render(model, width: 160, height: 45, shell: nil).grid.text
        #expect(text.contains("4 Postmortem"))
        #expect(text.contains("⚠ line 2"))
        model.postmortem.set("went_wrong", "The alert fired late.\nThe limit was never raised: nothing checked it.")
        #expect(!Renderer.render(model, width: 160, height: 45, shell: nil).grid.text.contains("⚠"))
    }

    @Test func theScoreShowsAfterSubmittingAndOnDemand() {
        var model = sampleModel()
        model.setFocus(.report)
        _ = model.handle(.char("s"))
        #expect(model.overlay == nil)
        #expect(model.message?.text.contains("No score yet") == true)
        model.scoreLines = ["  ✓ Which instance rejected the uploads?", "", "  Mitigated      300", "  Score          870   (passed)"]
        _ = model.handle(.char("s"))
        #expect(model.overlay == .score)
        let text = Renderer.render(model, width: 160, height: 45, shell: nil).grid.text
        #expect(text.contains("Score · payload-too-large"))
        #expect(text.contains("870   (passed)"))
        _ = model.handle(.char("x"))
        #expect(model.overlay == nil)
    }

    @Test func theStatusBarSaysReportedThenClosed() {
        var model = sampleModel()
        model.runState = .mitigated
        func status() -> String { String(Renderer.render(model, width: 160, height: 45, shell: nil).grid.text.split(separator: "\n").last!) }
        #expect(status().contains("mitigated"))
        model.submission[.report] = "submitted"
        #expect(status().contains("reported"))
        model.submission[.postmortem] = "submitted"
        #expect(status().contains("closed"))
    }

    @Test func theStatusBarSaysWhenTheNextLevelIsReady() {
        var model = sampleModel()
        model.message = nil
        func status() -> String { String(Renderer.render(model, width: 160, height: 45, shell: nil).grid.text.split(separator: "\n").last!) }
        #expect(!status().contains("next:"))
        model.next = .preparing
        #expect(status().contains("next: booting ahead…"))
        #expect(model.apply(.warmed(level: "cpu-hog", heldMemory: 412 << 20)) == [])
        #expect(status().contains("next: cpu-hog ready (412 MiB held)"))
        _ = model.apply(.warmFailed(EngineError.coldOnly(level: "tutorial", reason: "the trainee starts the stack")))
        #expect(model.next == .cold(reason: "tutorial is never booted ahead: the trainee starts the stack. It boots when you play it"))
        #expect(!status().contains("next:"), "a level that boots when asked is not announced")
    }

    @Test func aWatcherChangesNothing() {
        var model = sampleModel()
        model.readOnly = true
        for key: Key in [.char("v"), .char("c"), .char("H")] {
            #expect(model.handle(key) == [], "\(key) must do nothing when watching")
        }
        #expect(model.message?.text.contains("read-only") == true)
        model.setFocus(.shell)
        #expect(!model.shellInput)
        model.setFocus(.report)
        #expect(model.handle(.enter) == [])
        #expect(!model.form.editing)
        #expect(model.handle(.char("q")) == [.quit(stopRun: false)])
        let text = Renderer.render(model, width: 160, height: 45, shell: TextShellScreen(lines: ["00:01:02  +00:00  Fault live"], rows: 10, columns: 80)).grid.text
        #expect(text.contains("Timeline · watching"))
        #expect(text.contains("Fault live"))
    }

    @Test func aSubmittedReportIsReadOnly() {
        var model = sampleModel()
        model.mitigatedAt = Date()
        model.setFocus(.report)
        _ = model.apply(.submitted(.report, ScoreCard(lines: [], total: 80, passed: true), []))
        _ = model.handle(.char("x"))
        let before = model.report
        for key: Key in [.enter, .char("i"), .char("l"), .char("h"), .char("f"), .char("S")] {
            #expect(model.handle(key) == [], "\(key) must not change a submitted report")
            #expect(!model.form.editing)
        }
        #expect(model.report == before)
        #expect(model.message?.text.contains("firedrill report submit") == true)
        #expect(model.apply(.filled(.report, ["timeline": "new"], overwrite: true)) == [])
        #expect(model.report == before)
        let text = Renderer.render(model, width: 160, height: 45, shell: nil).grid.text
        #expect(text.contains("submitted · read-only"))
        // The postmortem stays editable.
        _ = model.handle(.char("p"))
        #expect(model.sheet == .postmortem)
        _ = model.handle(.enter)
        #expect(model.handle(.char("A")) == [.savePostmortem(field: "summary")])
    }
}
