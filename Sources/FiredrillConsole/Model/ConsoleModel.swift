import FiredrillEngine
import FiredrillRules
import FiredrillGame
import FiredrillStore
import Foundation

/// What the console asks the world to do after a key or an engine's answer: the model changes
/// itself, the app carries these out (engine calls, the shell, the store, the timers).
public enum Effect: Equatable, Sendable {
    case quit(stopRun: Bool)
    case verify
    case checkNow
    case revealHint
    case sendToShell(Key)
    case openShell(target: String)
    case saveReport(field: String)
    case savePostmortem(field: String)
    /// Submit the shown document: the report is graded and scored, the postmortem goes to review.
    case submit(Sheet)
    /// Fill the shown document's fields the run knows: times, the timeline.
    case fillFromRun(Sheet)
    /// Fill the document's empty fields the run knows, without a word (once mitigated).
    case fillEmpty(Sheet)
    case redraw
    /// A routine check came back: the next one as often as the trainee's activity calls for.
    case scheduleCheck
    /// The run as the store has it now.
    case runChanged(RunRecord)
    /// Follow the figures of the instances listed (a stats stream each while it runs).
    case followStats([InstanceStatus])
    /// Docker stopped answering (streams to close, ask again now and then) or came back (look
    /// at the instances and check at once).
    case dockerLost
    case dockerBack
    /// Start the shell's program (an instance's shell, as the runtime opens it).
    case startShell(arguments: [String])
    /// Show the run's timeline where the shell would be (a watcher).
    case showTimeline
    /// Boot the next level ahead, paused until the player asks for it.
    case prepareNext
}

/// The player's next level, booted ahead or not: what the status bar says of it.
public enum NextLevel: Equatable, Sendable {
    case preparing
    case ready(level: String, heldMemory: Int64?)
    /// It will boot when asked: warming was refused (memory, a level started cold) or failed.
    case cold(reason: String)

    /// "next: cpu-hog ready (412 MiB held)"; nil when there is nothing to say.
    public var status: String? {
        switch self {
        case .preparing: return "next: booting ahead…"
        case let .ready(level, memory): return "next: \(level) ready" + (memory.map { " (\($0 >> 20) MiB held)" } ?? "")
        case .cold: return nil
        }
    }
}

/// The documents of the Report pane: the store's documents.
public typealias Sheet = Document

extension Document {
    public var title: String { self == .report ? "Incident report" : "Postmortem" }
}

/// A dialog over the panes.
public enum Overlay: Equatable, Sendable {
    case help
    case confirmQuit
    /// Choose the shell's target: the run's workspace or an instance.
    case shellTarget(selection: Int)
    /// The score's breakdown and the report's grades.
    case score
    /// Something to read before going on (what a submission still lacks).
    case notice(title: String, lines: [String])
}

/// The shell pane's state, apart from the emulator's screen.
public struct ShellState: Equatable, Sendable {
    public enum Status: Equatable, Sendable {
        case notStarted
        case running
        case exited(Int32)
        case failed(String)
    }

    /// "workspace" or an instance name.
    public var target = "workspace"
    public var status = Status.notStarted
    /// Lines scrolled back from the bottom (0: following the output).
    public var scrollBack = 0
}

/// Everything the console shows, apart from the emulator's cells: state, separate from drawing.
/// Changed by keys (`handle`), by the engine's answers and by the clocks, drawn by `Renderer`.
public struct ConsoleModel: Sendable {
    public var runID: String
    public var runState: RunState
    public var briefing: BriefingInfo
    public var objectives: [ObjectiveRow]
    public var hintsRevealed: Int
    public var liveAt: Date?
    public var mitigatedAt: Date?
    public var now: Date
    public var docker: DockerStatus = .unknown
    /// What waits for the class database, as the status bar says it; nil when all is sent.
    public var classStatus: String?
    /// The next level, once booting it ahead was asked (after the report is submitted).
    public var next: NextLevel?
    public var lastCheck: Date?
    public var checking = false
    public var verifying = false
    /// The last verify: solved or not, and when.
    public var lastVerify: (solved: Bool, at: Date)?
    public var host = HostHealth()
    public var instances: [InstanceHealth] = []
    public var shell = ShellState()
    public var report: ReportForm
    public var postmortem = ReportForm.postmortem()
    /// The document the Report pane shows.
    public var sheet = Sheet.report
    /// Where each document stands with the game: "submitted", "approved", "sent back: …".
    public var submission: [Sheet: String] = [:]
    /// The score's lines and the graded questions, once the report is submitted.
    public var scoreLines: [String] = []
    /// A console that only watches a run (an instructor's projector): no shell, no edits, no checks.
    public var readOnly = false
    /// What happened in the run, newest last (shown in place of the shell when watching).
    public var timeline: [String] = []
    public var focus: PaneID = .briefing
    /// The pane shown beside the briefing in the two-pane layout.
    public var partner: PaneID = .shell
    public var zoomed = false
    public var overlay: Overlay?
    public var briefingScroll = 0
    public var healthSelection = 0
    public var reportScroll = 0
    /// Shell pane focused and typing goes to the shell.
    public var shellInput = false
    public var message: (text: String, bad: Bool, until: Date)?
    public var theme: Theme

    public init(runID: String, runState: RunState, briefing: BriefingInfo, objectives: [ObjectiveRow], hintsRevealed: Int = 0,
                liveAt: Date?, mitigatedAt: Date? = nil, now: Date, theme: Theme = .standard()) {
        self.runID = runID
        self.runState = runState
        self.briefing = briefing
        self.objectives = objectives
        self.hintsRevealed = hintsRevealed
        self.liveAt = liveAt
        self.mitigatedAt = mitigatedAt
        self.now = now
        self.theme = theme
        report = .incident(questions: briefing.questions, detected: liveAt.map(isoTimestamp) ?? "",
                           mitigated: mitigatedAt.map(isoTimestamp) ?? "")
        instances = briefing.instances.map { InstanceHealth(name: $0.name) }
    }

    /// Where the level stands: booting, live, mitigated, then reported and closed.
    public var stage: String {
        Game.stage(runState, reported: submission[.report] != nil, closed: submission[.postmortem] != nil)
    }

    /// The form the Report pane shows.
    public var form: ReportForm {
        get { sheet == .report ? report : postmortem }
        set { if sheet == .report { report = newValue } else { postmortem = newValue } }
    }

    func saveEffect(_ field: String) -> Effect { sheet == .report ? .saveReport(field: field) : .savePostmortem(field: field) }

    /// Seconds since the fault went live.
    public var elapsed: Double { liveAt.map { max(0, (mitigatedAt ?? now).timeIntervalSince($0)) } ?? 0 }

    /// The shell targets, in the picker's order.
    public var shellTargets: [String] { ["workspace"] + briefing.instances.map(\.name) }

    public mutating func say(_ text: String, bad: Bool = false, for seconds: Double = 4) {
        message = (text, bad, now.addingTimeInterval(seconds))
    }

    /// The key contexts in force, most specific first.
    public var contexts: [KeyContext] {
        overlay != nil ? [.overlay] : Panes.pane(focus).keyContexts(self)
    }

    // MARK: - Keys

    /// Applies a key: changes the model, returns what the app must do.
    public mutating func handle(_ key: Key) -> [Effect] {
        let contexts = self.contexts
        if contexts == [.shellInput] {
            if let action = KeyMap.action(for: key, in: [.shellInput]) { return apply(action) }
            shell.scrollBack = 0
            return [.sendToShell(key)]
        }
        if contexts == [.reportEditing] {
            if let action = KeyMap.action(for: key, in: [.reportEditing]) { return apply(action) }
            return editReport(key)
        }
        if contexts[0] == .overlay {
            return handleOverlay(key)
        }
        guard let action = KeyMap.action(for: key, in: contexts) else { return [] }
        return apply(action)
    }

    private mutating func handleOverlay(_ key: Key) -> [Effect] {
        switch overlay {
        case .help:
            overlay = nil
            return []
        case .confirmQuit:
            switch key {
            case .enter, .char("y"), .char("Y"): return [.quit(stopRun: true)]
            case .char("n"), .char("N"): return [.quit(stopRun: false)]
            default:
                overlay = nil
                return []
            }
        case let .shellTarget(selection):
            let count = shellTargets.count
            switch key {
            case .up, .char("k"): overlay = .shellTarget(selection: (selection + count - 1) % count)
            case .down, .char("j"): overlay = .shellTarget(selection: (selection + 1) % count)
            case .enter:
                overlay = nil
                focus = .shell
                shellInput = true
                return [.openShell(target: shellTargets[selection])]
            case let .char(c) where c.isNumber:
                let index = Int(String(c))! - 1
                if index >= 0, index < count {
                    overlay = nil
                    focus = .shell
                    shellInput = true
                    return [.openShell(target: shellTargets[index])]
                }
            default: overlay = nil
            }
            return []
        case .score, .notice:
            overlay = nil
            return []
        case nil:
            return []
        }
    }

    /// The incident report is submitted: its fields are frozen (the store refuses them too).
    public var reportFrozen: Bool { submission[.report] != nil }

    /// What changes the incident report's fields, refused once it is submitted.
    static let editsTheReport: [Action] = [.editField, .fillFromRun, .left, .right, .nextField, .previousField, .submit]

    /// What a watcher may not do: it changes the run or the trainee's documents.
    static let changesTheRun: [Action] = [.verify, .checkNow, .revealHint, .enterShell, .pickShellTarget, .editField,
                                          .submit, .fillFromRun, .left, .right]

    public mutating func apply(_ action: Action) -> [Effect] {
        if readOnly {
            if action == .quit { return [.quit(stopRun: false)] }
            if Self.changesTheRun.contains(action) {
                say("Watching \(runID): read-only. The trainee plays from their own console.")
                return []
            }
        }
        if sheet == .report, reportFrozen, Self.editsTheReport.contains(action) {
            form.editing = false
            say(action == .submit
                ? "The incident report is submitted and graded. 'firedrill report submit' records a new attempt; the first one counts."
                : "The incident report is submitted: its fields are read-only.")
            return []
        }
        switch action {
        case .quit: overlay = .confirmQuit
        case .help: overlay = .help
        case .closeOverlay, .cancel: overlay = nil
        case .confirm, .sortByStage, .sortByTime, .sortByName, .openRun, .reviewRun, .approve, .sendBack: return []
        case .redraw: return [.redraw]
        case .nextPane: setFocus(Panes.all[focus.number % Panes.all.count].id)
        case .previousPane: setFocus(Panes.all[(focus.number + Panes.all.count - 2) % Panes.all.count].id)
        case let .focus(pane): setFocus(pane)
        case .zoom: zoomed.toggle()
        case .verify:
            guard !verifying else { return [] }
            verifying = true
            say("Verifying: disruptive checks restart instances; this takes a little while.", for: 6)
            return [.verify]
        case .checkNow: return [.checkNow]
        case .revealHint:
            guard hintsRevealed < briefing.hints.count else {
                say(briefing.hints.isEmpty ? "This level has no hints." : "Every hint is shown.")
                return []
            }
            return [.revealHint]
        case .up, .down, .pageUp, .pageDown, .top, .bottom: scroll(action)
        case .left: form.choose(-1); return form.current.kind == .line || form.current.kind == .text ? [] : [saveEffect(form.current.id)]
        case .right: form.choose(1); return form.current.kind == .line || form.current.kind == .text ? [] : [saveEffect(form.current.id)]
        case .switchSheet:
            form.editing = false
            if sheet == .report, mitigatedAt == nil, postmortem.filled == 0 {
                say("The postmortem opens once the incident is mitigated: first get every objective green.")
                return []
            }
            sheet = sheet == .report ? .postmortem : .report
            reportScroll = 0
        case .submit:
            form.editing = false
            return [.submit(sheet)]
        case .fillFromRun: return [.fillFromRun(sheet)]
        case .showScore:
            guard !scoreLines.isEmpty else {
                say("No score yet: it comes when the incident report is submitted (S in the Report pane).")
                return []
            }
            overlay = .score
        case .enterShell:
            shellInput = true
            shell.scrollBack = 0
            if shell.status != .running { return [.openShell(target: shell.target)] }
        case .leaveShell: shellInput = false
        case .pickShellTarget: overlay = .shellTarget(selection: shellTargets.firstIndex(of: shell.target) ?? 0)
        case .editField:
            let wasChoice = { if case .choice = form.current.kind { return true } else { return false } }()
            form.startEditing()
            if wasChoice { return [saveEffect(form.current.id)] }
        case .stopEditing: form.editing = false
        case .nextField:
            form.editing = false
            form.select(1)
            form.startEditingIfText()
        case .previousField:
            form.editing = false
            form.select(-1)
            form.startEditingIfText()
        }
        return []
    }

    /// Focus a pane; the shell takes the keys as soon as it is focused.
    public mutating func setFocus(_ pane: PaneID) {
        focus = pane
        if pane != .briefing { partner = pane }
        shellInput = pane == .shell && !readOnly
        if pane != .report { form.editing = false }
    }

    private mutating func scroll(_ action: Action) {
        let page = 10
        let delta: Int
        switch action {
        case .up: delta = -1
        case .down: delta = 1
        case .pageUp: delta = -page
        case .pageDown: delta = page
        case .top: delta = -100_000
        default: delta = 100_000
        }
        Panes.pane(focus).scroll(&self, by: delta)
    }

    private mutating func editReport(_ key: Key) -> [Effect] {
        let changed: Bool
        switch key {
        case let .char(c): changed = form.insert(String(c))
        case .enter: changed = form.newline()
        case .backspace, .ctrl("h"): changed = form.backspace()
        case .delete: changed = form.deleteForward()
        case .left: form.moveCursor(-1); changed = false
        case .right: form.moveCursor(1); changed = false
        case .up: form.moveLine(-1); changed = false
        case .down: form.moveLine(1); changed = false
        case .home, .ctrl("a"): form.moveToLineStart(); changed = false
        case .end, .ctrl("e"): form.moveToLineEnd(); changed = false
        default: changed = false
        }
        return changed ? [saveEffect(form.current.id)] : []
    }
}

extension ReportForm {
    mutating func startEditingIfText() {
        if case .choice = current.kind { return }
        startEditing()
    }
}
