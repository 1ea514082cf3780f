@testable import FiredrillConsole
@testable import FiredrillEngine
import FiredrillRules
import Foundation
import Testing

/// The engine's answers as a transition of the model: what it shows after each, and what it asks
/// the app to do.
@Suite struct ResultTests {
    let mitigated = fixedLive.addingTimeInterval(180)

    func record(_ state: RunState = .live, mitigatedAt: Date? = nil) -> RunRecord {
        RunRecord(id: "payload-too-large-1d000c", level: "payload-too-large", scenario: "billing",
                  project: Project(name: "fd-1d000c", directory: URL(fileURLWithPath: "/tmp/ws"), composeFile: "compose.yaml"),
                  state: state, ports: [:], createdAt: fixedLive, liveAt: fixedLive, mitigatedAt: mitigatedAt)
    }

    func report(_ passed: [String: Bool], deferred: Set<String> = [], solved: Bool = false) -> CheckReport {
        CheckReport(run: "payload-too-large-1d000c", level: "payload-too-large", verified: false, solved: solved, mitigated: false,
                    objectives: passed.sorted { $0.key < $1.key }.map {
                        ObjectiveResult(id: $0.key, title: $0.key, passed: $0.value, detail: "detail of \($0.key)", deferred: deferred.contains($0.key))
                    })
    }

    @Test func aCheckSetsTheObjectivesAndTheMitigationIsSavedOnce() {
        var model = sampleModel()
        model.report.set("mitigated", "")
        model.objectives[2].status = .passed // proved by an earlier verify
        let updated = record(.mitigated, mitigatedAt: mitigated)
        let effects = model.apply(.checked(report(["upload": true, "logged": true, "valid": false], deferred: ["valid"]), updated, verify: false))
        #expect(model.objectives.map(\.status) == [.passed, .passed, .passed], "a cheap check cannot undo a verify")
        #expect(model.objectives[0].detail == "detail of upload")
        #expect(model.mitigatedAt == mitigated && model.runState == .mitigated)
        #expect(model.report.value("mitigated") == isoTimestamp(mitigated))
        #expect(model.message?.text.hasPrefix("Mitigated") == true)
        #expect(effects == [.fillEmpty(.report), .saveReport(field: "mitigated"), .runChanged(updated), .scheduleCheck])
        // The next check says the same: nothing more to fill or save.
        #expect(model.apply(.checked(report(["upload": true]), updated, verify: false)) == [.runChanged(updated), .scheduleCheck])
        // A mitigated time the trainee typed is kept.
        var typed = sampleModel()
        typed.report.set("mitigated", "when I say")
        #expect(typed.apply(.checked(report([:]), updated, verify: false)) == [.fillEmpty(.report), .runChanged(updated), .scheduleCheck])
        #expect(typed.report.value("mitigated") == "when I say")
    }

    @Test func dockerDownMakesItUnreachableUntilAPingAnswers() {
        var model = sampleModel()
        let effects = model.apply(.checkFailed(EngineError.dockerStopped(detail: "no socket"), verify: false))
        guard case let .unreachable(detail) = model.docker else {
            Issue.record("docker is \(model.docker)")
            return
        }
        #expect(detail.contains("no socket") && !detail.contains("\n"))
        #expect(effects == [.dockerLost, .scheduleCheck])
        #expect(model.message?.bad == true && model.message?.text.contains("Docker is not answering") == true)
        // Said once.
        #expect(model.apply(.instancesFailed(EngineError.dockerStopped(detail: "no socket"))) == [])
        #expect(model.apply(.ping(false)) == [])
        #expect(model.apply(.ping(true)) == [.dockerBack])
        #expect(model.docker == .reachable && model.message?.text == "Docker is back.")
        // Another failure says nothing of Docker.
        #expect(model.apply(.checkFailed(EngineError.instanceNotRunning("db"), verify: false)) == [.scheduleCheck])
        #expect(model.docker == .reachable)
    }

    @Test func verifyResults() {
        var model = sampleModel()
        model.verifying = true
        let effects = model.apply(.checked(report(["upload": true, "logged": true, "valid": true], solved: true), nil, verify: true), at: mitigated)
        #expect(effects.isEmpty, "a verify does not schedule the routine check")
        #expect(!model.verifying)
        #expect(model.lastVerify?.solved == true && model.lastVerify?.at == mitigated)
        #expect(model.message?.text == "Verified: solved. Write the report, then quit.")
        model.verifying = true
        #expect(model.apply(.checkFailed(EngineError.instanceNotRunning("db"), verify: true)) == [])
        #expect(!model.verifying && model.message?.bad == true && model.message?.text.hasPrefix("Verify failed:") == true)
        // The sandbox rules are no objective of the level: their failure is said in the message.
        _ = model.apply(.checked(report(["upload": true, "logged": true, "valid": true, "sandbox": false]), nil, verify: true))
        #expect(model.message?.text == "Verify: not solved: sandbox: detail of sandbox")
    }

    @Test func theInstanceListIsFollowed() {
        var model = sampleModel()
        model.docker = .unknown
        let list = [InstanceStatus(name: "proxy", container: "c2", running: false, state: "exited"),
                    InstanceStatus(name: "cache", container: "c9", running: true, state: "running")]
        #expect(model.apply(.instances(list)) == [.followStats(list)])
        #expect(model.docker == .reachable)
        let byName = Dictionary(uniqueKeysWithValues: model.instances.map { ($0.name, $0) })
        #expect(byName["proxy"]?.state == "exited" && byName["proxy"]?.running == false)
        #expect(byName["cache"]?.running == true)
        #expect(byName["db"]?.state == "gone" && byName["db"]?.running == false)
    }

    @Test func aWatcherTakesTheSnapshot() {
        var model = sampleModel()
        model.readOnly = true
        var run = record(.mitigated, mitigatedAt: mitigated)
        run.hintsRevealed = 2
        run.objectiveStates = ["upload": true, "valid": false]
        let snapshot = WatchSnapshot(record: run, report: ["impact": "None."], postmortem: ["summary": "It broke."],
                                     timeline: ["09:00 live", "09:03 mitigated"], submissions: [.report: "submitted"])
        #expect(model.apply(.watched(snapshot)) == [.runChanged(run), .showTimeline])
        #expect(model.runState == .mitigated && model.mitigatedAt == mitigated && model.hintsRevealed == 2)
        #expect(model.objectives.map(\.status) == [.passed, .passed, .failed])
        #expect(model.report.value("impact") == "None." && model.postmortem.value("summary") == "It broke.")
        #expect(model.timeline == ["09:00 live", "09:03 mitigated"] && model.submission[.report] == "submitted")
    }

    @Test func fillingTakesEmptyFieldsUnlessAsked() {
        var model = sampleModel()
        model.report.set("timeline", "mine")
        let values = ["impact": "from the run", "mitigated": "2027-01-15T08:00:00Z", "timeline": "the run's", "nothing": "x"]
        #expect(model.apply(.filled(.report, values, overwrite: false)) == [.saveReport(field: "mitigated")])
        #expect(model.report.value("impact") == "Customers could not attach scanned invoices for about an hour.")
        #expect(model.report.value("mitigated") == "2027-01-15T08:00:00Z" && model.report.value("timeline") == "mine")
        #expect(model.message == nil)
        #expect(model.apply(.filled(.report, values, overwrite: true)) == [.saveReport(field: "timeline")])
        #expect(model.report.value("timeline") == "the run's" && model.message?.text == "Filled from the run.")
        // The postmortem's fields are saved as the postmortem's, whatever sheet is shown.
        #expect(model.apply(.filled(.postmortem, ["timeline": "the run's"], overwrite: false)) == [.savePostmortem(field: "timeline")])
        #expect(model.sheet == .report)
    }

    @Test func submittedAndRefused() {
        var model = sampleModel()
        // Once the report is in, the next level boots ahead (the app does it when warming is on).
        #expect(model.apply(.submitted(.report, ScoreCard(lines: [], total: 80, passed: true), [])) == [.prepareNext])
        #expect(model.submission[.report] == "submitted" && model.overlay == .score && !model.scoreLines.isEmpty)
        #expect(model.message?.text.hasPrefix("Report submitted") == true)
        model.overlay = nil
        _ = model.apply(.submitFailed(.postmortem, GameError.incomplete(document: "postmortem", problems: ["no summary", "no actions"])))
        #expect(model.overlay == .notice(title: "The postmortem is not ready", lines: ["  - no summary", "  - no actions"]))
        #expect(model.submission[.postmortem] == nil)
    }

    @Test func shellAnswersForAnotherTargetAreDropped() {
        var model = sampleModel()
        #expect(model.apply(.shellCommand(target: "db", arguments: ["docker", "exec"])) == [])
        #expect(model.apply(.shellCommand(target: "proxy", arguments: ["docker", "exec"])) == [.startShell(arguments: ["docker", "exec"])])
        _ = model.apply(.shellFailed(target: "db", EngineError.instanceNotRunning("db")))
        #expect(model.shell.status == .running)
        _ = model.apply(.shellFailed(target: "proxy", EngineError.instanceNotRunning("proxy")))
        guard case .failed = model.shell.status else {
            Issue.record("shell is \(model.shell.status)")
            return
        }
    }
}
