import FiredrillEngine
import FiredrillRules
import FiredrillGame
import FiredrillStore
import Foundation

/// What the engine answered, handed by the worker to the loop, and by the loop to the model.
enum WorkerResult: @unchecked Sendable {
    case checked(CheckReport, RunRecord?, verify: Bool)
    case checkFailed(Error, verify: Bool)
    case instances([InstanceStatus])
    case instancesFailed(Error)
    case hintRevealed(Int)
    case shellCommand(target: String, arguments: [String])
    case shellFailed(target: String, Error)
    case ping(Bool)
    case filled(Sheet, [String: String], overwrite: Bool)
    case submitted(Sheet, ScoreCard?, [QuestionGrade])
    case submitFailed(Sheet, Error)
    case watched(WatchSnapshot)
    /// The run could not be read (the class database away): the next round tries again.
    case watchFailed(Error)
    /// The next level is booted ahead and waits, paused, holding this much memory.
    case warmed(level: String, heldMemory: Int64?)
    case warmFailed(Error)
}

/// What a watcher sees of a run, read from its files and the game's database.
struct WatchSnapshot {
    var record: RunRecord
    var report: [String: String]
    var postmortem: [String: String]
    var timeline: [String]
    var submissions: [Sheet: String]
}

extension ConsoleModel {
    /// Takes what the engine answered (at `date`, the wall clock): the model changes itself and
    /// returns what the app must do about it (saves, fills, streams, when to check next).
    mutating func apply(_ result: WorkerResult, at date: Date = Date()) -> [Effect] {
        switch result {
        case let .checked(report, updated, verify):
            var effects = setDocker(.reachable)
            for objective in report.objectives {
                guard let index = objectives.firstIndex(where: { $0.id == objective.id }) else { continue }
                let status: ObjectiveRow.Status = objective.passed ? .passed : (objective.deferred ? .deferred : .failed)
                // A cheap check cannot undo what a verify proved of a deferred objective.
                if !verify, objective.deferred, objectives[index].status == .passed { continue }
                objectives[index].status = status
                objectives[index].detail = objective.detail
            }
            lastCheck = date
            if let updated { effects += adopt(updated) }
            if verify {
                verifying = false
                lastVerify = (report.solved, date)
                // A result that is no objective of the level (the sandbox rules) is said here, or nowhere.
                let unlisted = report.objectives.first { result in !result.passed && !objectives.contains { $0.id == result.id } }
                say(report.solved ? "Verified: solved. Write the report, then quit."
                    : unlisted.map { "Verify: not solved: \($0.title): \($0.detail)" } ?? "Verify: not solved yet (see the objectives).", bad: !report.solved, for: 8)
            } else {
                effects.append(.scheduleCheck)
            }
            return effects
        case let .checkFailed(error, verify):
            var effects = dockerDown(error)
            if verify {
                verifying = false
                say("Verify failed: \(Self.firstLine("\(error)"))", bad: true, for: 8)
            } else {
                effects.append(.scheduleCheck)
            }
            return effects
        case let .instances(list):
            let effects = setDocker(.reachable)
            syncInstances(list)
            return effects + [.followStats(list)]
        case let .instancesFailed(error):
            return dockerDown(error)
        case let .hintRevealed(count):
            hintsRevealed = count
            setFocus(focus)
        case let .shellCommand(target, arguments):
            guard shell.target == target else { return [] }
            return [.startShell(arguments: arguments)]
        case let .shellFailed(target, error):
            guard shell.target == target else { return [] }
            shell.status = .failed(Self.firstLine("\(error)"))
        case let .ping(up):
            if up { return setDocker(.reachable) }
        case let .watched(snapshot):
            watched(snapshot)
            return [.runChanged(snapshot.record), .showTimeline]
        case let .watchFailed(error):
            say("The run could not be read: \(Self.firstLine("\(error)"))", bad: true, for: 3)
        case let .filled(sheet, values, overwrite):
            return filled(sheet, values: values, overwrite: overwrite)
        case let .submitted(sheet, card, grades):
            submission[sheet] = "submitted"
            if let card {
                scoreLines = ScoreText.lines(card, grades: grades)
                overlay = .score
            }
            // No card for a report: a class grades it, in the instructor's process.
            let graded = card != nil ? "" : " The class grades it."
            say(sheet == .report ? "Report submitted:\(graded) incident-report.md is in the workspace. Next: p for the postmortem."
                : "Postmortem submitted for review: postmortem.md is in the workspace.", for: 10)
            if sheet == .report { return [.prepareNext] }
        case let .warmed(level, heldMemory):
            next = .ready(level: level, heldMemory: heldMemory)
        case let .warmFailed(error):
            next = .cold(reason: Self.firstLine("\(error)"))
        case let .submitFailed(sheet, error):
            let lines: [String]
            if case let GameError.incomplete(_, problems) = error { lines = problems.map { "  - \($0)" } } else { lines = ["  - \(error)"] }
            overlay = .notice(title: "The \(sheet == .report ? "incident report" : "postmortem") is not ready", lines: lines)
        }
        return []
    }

    static func firstLine(_ text: String) -> String {
        text.split(separator: "\n").first.map(String.init) ?? text
    }

    /// Docker answers or not: said once when it changes.
    mutating func setDocker(_ status: DockerStatus) -> [Effect] {
        guard docker != status else { return [] }
        let wasDown: Bool = { if case .unreachable = docker { return true } else { return false } }()
        docker = status
        if case .unreachable = status {
            say("Docker is not answering; the console carries on and reconnects when it is back.", bad: true, for: 6)
            return [.dockerLost]
        }
        if wasDown, status == .reachable {
            say("Docker is back.")
            return [.dockerBack]
        }
        return []
    }

    /// An engine call failed because Docker is missing or stopped: Docker is unreachable.
    private mutating func dockerDown(_ error: Error) -> [Effect] {
        guard let engineError = error as? EngineError else { return [] }
        switch engineError {
        case .dockerStopped, .dockerMissing: return setDocker(.unreachable(Self.firstLine("\(error)")))
        default: return []
        }
    }

    /// Takes what the store says of the run (state, mitigated time).
    private mutating func adopt(_ updated: RunRecord) -> [Effect] {
        var effects: [Effect] = []
        if updated.mitigatedAt != nil, mitigatedAt == nil {
            mitigatedAt = updated.mitigatedAt
            say("Mitigated: every objective checked in place holds. Press v to verify it lasts.", for: 8)
            effects.append(.fillEmpty(.report))
            if report.value("mitigated")?.isEmpty ?? true, let at = updated.mitigatedAt {
                report.set("mitigated", isoTimestamp(at))
                effects.append(.saveReport(field: "mitigated"))
            }
        }
        runState = updated.state
        return effects + [.runChanged(updated)]
    }

    /// The instances as the runtime lists them; one it no longer lists is gone.
    private mutating func syncInstances(_ list: [InstanceStatus]) {
        for status in list {
            if let index = instances.firstIndex(where: { $0.name == status.name }) {
                instances[index].state = status.state
                instances[index].running = status.running
            } else {
                instances.append(InstanceHealth(name: status.name, state: status.state, running: status.running))
            }
        }
        let known = Set(list.map(\.name))
        for index in instances.indices where !known.contains(instances[index].name) {
            instances[index].running = false
            instances[index].state = "gone"
        }
    }

    /// Shows a run as its files and the database have it: objectives from its last check, its
    /// state, hints, the documents as typed so far, the timeline.
    private mutating func watched(_ snapshot: WatchSnapshot) {
        runState = snapshot.record.state
        hintsRevealed = snapshot.record.hintsRevealed
        mitigatedAt = snapshot.record.mitigatedAt
        for (id, passed) in snapshot.record.objectiveStates ?? [:] {
            guard let index = objectives.firstIndex(where: { $0.id == id }) else { continue }
            objectives[index].status = passed ? .passed : .failed
        }
        for (field, value) in snapshot.report { report.set(field, value) }
        for (field, value) in snapshot.postmortem { postmortem.set(field, value) }
        submission = snapshot.submissions
        timeline = snapshot.timeline
    }

    /// What the run knows, into a document: empty fields only, unless asked (`f`), when the
    /// timeline is rewritten too.
    private mutating func filled(_ sheet: Sheet, values: [String: String], overwrite: Bool) -> [Effect] {
        if sheet == .report, reportFrozen { return [] }
        let previous = self.sheet
        self.sheet = sheet
        defer { self.sheet = previous }
        var effects: [Effect] = []
        for (field, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let current = form.value(field) else { continue }
            let empty = current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            guard empty || (overwrite && field == "timeline"), current != value else { continue }
            form.set(field, value)
            effects.append(saveEffect(field))
        }
        if overwrite { say("Filled from the run.") }
        return effects
    }
}
