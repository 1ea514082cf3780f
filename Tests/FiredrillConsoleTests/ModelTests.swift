import Foundation
import FiredrillConsole
import Testing

@Suite struct ModelTests {
    @Test func tabCyclesThePanesAndTheShellTakesTheKeys() {
        var model = sampleModel()
        model.setFocus(.briefing)
        _ = model.handle(.tab)
        #expect(model.focus == .health)
        _ = model.handle(.tab)
        #expect(model.focus == .shell)
        #expect(model.shellInput)
        // Everything goes to the shell now, q and Tab included.
        #expect(model.handle(.char("q")) == [.sendToShell(.char("q"))])
        #expect(model.handle(.tab) == [.sendToShell(.tab)])
        #expect(model.handle(.ctrl("c")) == [.sendToShell(.ctrl("c"))])
        // Until the escape key.
        #expect(model.handle(KeyMap.shellEscape) == [])
        #expect(!model.shellInput)
        _ = model.handle(.backTab)
        #expect(model.focus == .health)
    }

    @Test func viKeysAndArrowsScroll() {
        var model = sampleModel()
        model.setFocus(.briefing)
        _ = model.handle(.char("j"))
        _ = model.handle(.down)
        #expect(model.briefingScroll == 2)
        _ = model.handle(.char("k"))
        #expect(model.briefingScroll == 1)
        _ = model.handle(.char("g"))
        #expect(model.briefingScroll == 0)
    }

    @Test func quitAsksAndDefaultsToStop() {
        var model = sampleModel()
        #expect(model.handle(.char("q")) == [])
        #expect(model.overlay == .confirmQuit)
        #expect(model.handle(.enter) == [.quit(stopRun: true)])
        var keep = sampleModel()
        _ = keep.handle(.char("q"))
        #expect(keep.handle(.char("n")) == [.quit(stopRun: false)])
        var stay = sampleModel()
        _ = stay.handle(.char("q"))
        #expect(stay.handle(.escape) == [])
        #expect(stay.overlay == nil)
    }

    @Test func hintsAndVerifyAreEffects() {
        var model = sampleModel()
        model.setFocus(.briefing)
        #expect(model.handle(.char("H")) == [.revealHint])
        #expect(model.handle(.char("v")) == [.verify])
        model.verifying = true
        #expect(model.handle(.char("v")) == [])
        model.hintsRevealed = 3
        #expect(model.handle(.char("H")) == [])
    }

    @Test func typingInTheReportSavesEachChange() {
        var model = sampleModel()
        model.setFocus(.report)
        model.report.selected = 0
        _ = model.handle(.enter)
        #expect(model.report.editing)
        #expect(model.handle(.char("!")) == [.saveReport(field: "title")])
        #expect(model.report.value("title") == "Uploads over 1 MB rejected by the proxy!")
        #expect(model.handle(.backspace) == [.saveReport(field: "title")])
        // q is text while editing, not quit.
        #expect(model.handle(.char("q")) == [.saveReport(field: "title")])
        _ = model.handle(.tab)
        #expect(model.report.current.id == "severity")
        _ = model.handle(.escape)
        #expect(!model.report.editing)
        #expect(model.handle(.right) == [.saveReport(field: "severity")])
        #expect(model.report.value("severity") == ReportForm.severities[3])
    }

    @Test func shellTargetPickerOpensTheChosenShell() {
        var model = sampleModel()
        model.setFocus(.shell)
        _ = model.handle(KeyMap.shellEscape)
        _ = model.handle(.char("t"))
        #expect(model.overlay == .shellTarget(selection: 2))
        _ = model.handle(.down)
        #expect(model.handle(.enter) == [.openShell(target: "backend")])
        #expect(model.shellInput)
    }

    @Test func statusBarAndHelpComeFromTheKeyMap() {
        var model = sampleModel()
        model.setFocus(.briefing)
        let status = Renderer.render(model, width: 160, height: 45, shell: nil).grid.text.split(separator: "\n").last!
        for binding in KeyMap.bindings(in: .global) where binding.status != nil {
            #expect(status.contains(binding.status!))
        }
        _ = model.handle(.char("?"))
        let help = Renderer.render(model, width: 160, height: 45, shell: nil).grid.text
        for binding in KeyMap.bindings {
            #expect(help.contains(binding.description), "help lacks \(binding.description)")
        }
    }
}

@Suite struct ReportFormTests {
    @Test func editingAMultiLineField() {
        var form = ReportForm.incident(questions: [])
        form.selected = form.fields.firstIndex { $0.id == "actions" }!
        form.startEditing()
        form.insert("restarted nginx")
        form.newline()
        form.insert("raised the limit")
        #expect(form.current.value == "restarted nginx\nraised the limit")
        form.moveLine(-1)
        #expect(form.cursor == 15)
        form.moveToLineStart()
        #expect(form.cursor == 0)
        form.insert("1. ")
        #expect(form.current.value == "1. restarted nginx\nraised the limit")
        form.moveLine(1)
        form.moveToLineEnd()
        form.backspace()
        #expect(form.current.value == "1. restarted nginx\nraised the limi")
        #expect(form.filled == 2)
    }

    @Test func oneLineFieldsEndOnEnter() {
        var form = ReportForm.incident(questions: [])
        form.startEditing()
        form.insert("Uploads fail")
        form.newline()
        #expect(!form.editing)
        #expect(form.current.value == "Uploads fail")
    }

    @Test func wideCharactersAndAccents() {
        var form = ReportForm.incident(questions: [])
        form.startEditing()
        form.insert("Téléversements 上传 ✔")
        form.backspace()
        #expect(form.current.value == "Téléversements 上传 ")
    }
}

@Suite struct CadenceTests {
    @Test func theReportsTimesAreUTCSeconds() {
        var model = sampleModel()
        model = ConsoleModel(runID: "r", runState: .live, briefing: model.briefing, objectives: [], liveAt: Date(timeIntervalSince1970: 1_795_645_243.9),
                             mitigatedAt: Date(timeIntervalSince1970: 5), now: Date())
        #expect(model.report.value("detected") == "2026-11-25T22:20:43Z")
        #expect(model.report.value("mitigated") == "1970-01-01T00:00:05Z")
    }

    @Test func checksFollowWhatTheTraineeDoes() {
        let never = -Double.infinity
        // Nobody has typed yet: idle.
        #expect(CheckCadence.interval(now: 100, lastKey: never, lastCommand: never, mitigated: false) == CheckCadence.idle)
        // Keys in the last minute: active.
        #expect(CheckCadence.interval(now: 100, lastKey: 50, lastCommand: never, mitigated: false) == CheckCadence.active)
        #expect(CheckCadence.interval(now: 100, lastKey: 30, lastCommand: never, mitigated: false) == CheckCadence.idle)
        // A command typed in the shell: every second for a while, even once mitigated.
        #expect(CheckCadence.interval(now: 100, lastKey: 95, lastCommand: 95, mitigated: false) == 1)
        #expect(CheckCadence.interval(now: 100, lastKey: 95, lastCommand: 95, mitigated: true) == 1)
        #expect(CheckCadence.interval(now: 100, lastKey: 85, lastCommand: 85, mitigated: false) == CheckCadence.active)
        // Mitigated: the time is taken, the display changes seldom.
        #expect(CheckCadence.interval(now: 100, lastKey: 99, lastCommand: never, mitigated: true) == CheckCadence.mitigated)
        #expect(CheckCadence.idle > CheckCadence.active && CheckCadence.active > CheckCadence.burst)
    }

    /// Starts a check if one is due at `now`; returns whether it was eager, nil when none was due.
    func start(_ checks: inout CheckSchedule, at now: Double) -> Bool? {
        checks.due(at: now) ? checks.started(at: now) : nil
    }

    @Test func aCommandIsCheckedAsSoonAsItsOutputSettles() {
        var checks = CheckSchedule(now: 0)
        #expect(start(&checks, at: 0) == false)
        checks.answered(at: 0.5, mitigated: false)
        // At the cadence from the start of the last check.
        #expect(checks.next == CheckCadence.idle)
        #expect(start(&checks, at: 15) == false)
        checks.answered(at: 16, mitigated: false)
        checks.commandTyped(at: 20)
        #expect(checks.next == 21)
        // The echo of Enter, then the command's output: the deadline follows the last output.
        checks.shellOutput(at: 20.01)
        checks.shellOutput(at: 20.05)
        #expect(checks.deadline == 20.05 + CheckSchedule.quiet)
        #expect(start(&checks, at: 20.1) == nil)
        // Quiet: a check at once, well before the second's timer, and eager.
        #expect(start(&checks, at: 20.16) == true)
        checks.answered(at: 20.6, mitigated: false)
        // Then half a second apart (from the start of the last) for a while after the end, eager
        // at most once a second and for a few seconds only.
        #expect(checks.next == 20.66)
        #expect(start(&checks, at: 20.66) == false)
        checks.answered(at: 20.9, mitigated: false)
        #expect(start(&checks, at: 21.16) == true)
        // A check longer than the cadence: the next at once.
        checks.answered(at: 22.5, mitigated: false)
        #expect(checks.next == 22.5)
        #expect(start(&checks, at: 22.5) == true)
        checks.answered(at: 22.7, mitigated: false)
        #expect(start(&checks, at: 23.5) == false, "eager no longer")
        checks.answered(at: 23.8, mitigated: false)
        #expect(checks.next == 24.0)
        // Past the while: a second apart, until the burst after the command is over.
        #expect(start(&checks, at: 25.3) == false)
        checks.answered(at: 25.4, mitigated: false)
        #expect(checks.next == 26.3)
        #expect(start(&checks, at: 29.9) == false)
        checks.answered(at: 30.1, mitigated: false)
        #expect(checks.next == 29.9 + CheckCadence.active)
    }

    @Test func aCommandThatEndsDuringACheckIsCheckedWhenItAnswers() {
        var checks = CheckSchedule(now: 0)
        checks.commandTyped(at: 10)
        #expect(start(&checks, at: 11) == false)
        // Running, nothing settled yet: the next half a second after this one's start.
        #expect(checks.commandNear(11))
        // The command prints its last line and its prompt while that check is in flight.
        checks.shellOutput(at: 11.2)
        // No deadline for the check in flight, one for the settling.
        #expect(checks.deadline == 11.2 + CheckSchedule.quiet)
        #expect(start(&checks, at: 11.31) == nil)
        #expect(checks.deadline == .infinity)
        checks.answered(at: 11.8, mitigated: false)
        // At once, not a second later: the check that answered began before the command ended.
        #expect(start(&checks, at: 11.8) == true)
    }

    @Test func typingIsNotACommandEnding() {
        var checks = CheckSchedule(now: 0)
        _ = start(&checks, at: 0)
        checks.answered(at: 1, mitigated: false)
        // Echo of keys typed before any Enter: nothing awaited.
        checks.shellOutput(at: 5)
        #expect(checks.settleAt == nil)
        checks.commandTyped(at: 6)
        checks.shellOutput(at: 6.01)
        // The next command's first key: its echo is not the last command's end.
        checks.typedInShell()
        checks.shellOutput(at: 6.05)
        #expect(checks.settleAt == nil)
        // Output long after the command (a `tail -f`) does not ask for checks either.
        checks.commandTyped(at: 7)
        checks.shellOutput(at: 7 + CheckCadence.burstLength + 1)
        #expect(checks.settleAt == nil)
        // The `c` key while a check runs: the next starts as soon as it answers.
        #expect(start(&checks, at: 8) == false)
        checks.checkNow(at: 8.1)
        checks.answered(at: 8.5, mitigated: true)
        #expect(checks.next == 8.5)
    }
}
