import CConsoleSupport
@_exported import FiredrillStore
@_exported import FiredrillGame
import FiredrillEngine
import FiredrillRules
import Foundation

/// Seconds on the monotonic clock: deadlines never jump with the wall clock.
func monotonicNow() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// How the console ended.
public enum ConsoleExit: Equatable, Sendable {
    /// The trainee quit and answered whether to stop the run.
    case quit(stopRun: Bool)
    /// A signal (SIGTERM, SIGHUP, SIGINT…) ended it: the run stays up, to attach again.
    case signal(Int32)
    /// The terminal went away (stdin closed).
    case hangup
}

public struct ConsoleOptions: Sendable {
    public var theme: Theme.Name
    /// The shell to open first: "workspace" or an instance; nil opens none until asked.
    public var shell: String?
    public var reportStore: (any ReportStore)?
    /// The game: the postmortem, submissions, scores. Without it the console keeps the report only.
    public var game: Game?
    /// Watch the run without touching it: no shell, no edits, no checks (`firedrill watch`).
    public var readOnly: Bool

    public init(theme: Theme.Name = .standard, shell: String? = nil, reportStore: (any ReportStore)? = nil, game: Game? = nil,
                readOnly: Bool = false) {
        self.theme = theme
        self.shell = shell
        self.reportStore = reportStore ?? game?.store
        self.game = game
        self.readOnly = readOnly
    }
}

/// The console's loop: one thread polls the terminal, the shell's PTY, the stats streams and a
/// wake pipe, with monotonic deadlines for the clock and the checks; engine calls run on a
/// worker. State lives in `ConsoleModel`; `Renderer` draws it; `Screen` shows it.
public final class ConsoleApp {
    let engine: Engine
    var record: RunRecord
    public private(set) var model: ConsoleModel
    let screen = Screen()
    let options: ConsoleOptions
    var shell: TerminalSession?
    var streams: [String: StatsStream] = [:]
    var containers: [String: String] = [:]
    let host: HostReader
    var worker: EngineWorker!
    var wakeRead: Int32 = -1, wakeWrite: Int32 = -1
    var exit: ConsoleExit?
    /// The screen is out of date: drawn at the next turn of the loop, at most once per frame
    /// interval. Figures that come on their own (stats frames) do not set it: the clock's tick
    /// draws them once a second.
    var dirty = true
    var lastDraw = -Double.infinity
    /// The last frame, so the next redraws only the panes that changed.
    var memo: RenderMemo?
    static let frameInterval = 0.010
    var checkInFlight = false
    var instancesInFlight = false
    var pingInFlight = false
    /// The last key or click, and the last command typed in the shell (Enter): they set how
    /// often the objectives are checked (`CheckCadence`). Nothing yet at start.
    var lastKey = -Double.infinity
    var lastCommand = -Double.infinity
    var nextTick = 0.0, nextCheck = 0.0, nextInstances = 0.0, nextPing = 0.0, nextWatch = 0.0
    var watchInFlight = false
    var watchRounds = 0
    /// What a watcher shows in the Shell pane's place: the run's timeline.
    var timelineScreen: TextShellScreen?
    var shellSize = (rows: 0, columns: 0)

    public init(engine: Engine, record: RunRecord, options: ConsoleOptions) throws {
        self.engine = engine
        self.record = record
        self.options = options
        let level = try engine.level(of: record)
        let scenario = try engine.catalog.scenario(record.scenario)
        host = HostReader(diskPath: engine.store.root.path)
        let glyphs: Glyphs = Self.utf8Locale() ? .unicode : .ascii
        model = ConsoleModel(runID: record.id, runState: record.state, briefing: BriefingInfo(level: level, scenario: scenario, record: record),
                             objectives: level.objectives.map { ObjectiveRow(id: $0.id, title: $0.title) },
                             hintsRevealed: record.hintsRevealed, liveAt: record.liveAt, mitigatedAt: record.mitigatedAt, now: Date(),
                             theme: .named(options.theme, glyphs: glyphs))
        model.readOnly = options.readOnly
        loadDocuments()
    }

    /// The report and postmortem as saved, where each stands, and the score once reported.
    func loadDocuments() {
        if let store = options.reportStore {
            for (field, value) in (try? store.load(run: record.id)) ?? [:] { model.report.set(field, value) }
        }
        guard let game = options.game else { return }
        for (field, value) in game.fields(record.id, .postmortem) { model.postmortem.set(field, value) }
        model.submission = game.submissions(record.id).mapValues(Self.describe)
        if model.submission[.report] != nil, let card = try? game.score(record) {
            model.scoreLines = ScoreText.lines(card, grades: game.grades(record))
        }
    }

    static func describe(_ submission: Submission) -> String {
        switch submission.status {
        case .returned: return "sent back: \(submission.comment ?? "")"
        default: return submission.status.rawValue
        }
    }

    /// Sets up the process's memory for a long-lived console (`fd_tune_memory`): call first thing.
    public static func prepareProcess() {
        fd_tune_memory()
    }

    static func utf8Locale() -> Bool {
        let environment = ProcessInfo.processInfo.environment
        let value = environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LC_CTYPE"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LANG"] ?? ""
        let lower = value.lowercased()
        return lower.contains("utf-8") || lower.contains("utf8")
    }

    /// Runs until the trainee quits, a signal arrives or the terminal goes. The terminal is
    /// restored on every way out, errors included.
    public func run() throws -> ConsoleExit {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ScreenError.cannotStart("pipe: \(errno)") }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        worker = EngineWorker(engine: engine, game: options.game, wakeFD: wakeWrite)
        try screen.begin(wakeFD: wakeWrite)
        defer {
            shell?.close()
            shell = nil
            for stream in streams.values { stream.close() }
            screen.end()
            close(wakeRead)
            close(wakeWrite)
        }
        if options.readOnly {
            model.shell.status = .running
        } else if let target = options.shell {
            model.shell.target = target
            model.setFocus(.shell)
            openShell(target)
        }
        let now = monotonicNow()
        nextTick = now
        nextCheck = now
        nextInstances = now
        lastDraw = -Double.infinity
        loop()
        return exit ?? .quit(stopRun: false)
    }

    // MARK: - The loop

    func loop() {
        while exit == nil {
            let now = monotonicNow()
            timers(now)
            if dirty, now - lastDraw >= Self.frameInterval { draw() }
            let deadline = nextDeadline()
            let timeout = Int32(max(0, min(1000, (deadline - monotonicNow()) * 1000)).rounded(.up))
            var polls = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let polledShell = shell?.exitStatus == nil ? shell : nil
            if let polledShell { polls.append(pollfd(fd: polledShell.master, events: Int16(POLLIN), revents: 0)) }
            let streamList = streams.values.filter { $0.fd >= 0 }
            for stream in streamList { polls.append(pollfd(fd: stream.fd, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&polls, nfds_t(polls.count), timeout)
            if ready < 0 { continue } // EINTR: signals are handled through the wake pipe
            if polls[1].revents != 0 { wake() }
            if polls[0].revents & Int16(POLLIN) != 0 { input() }
            if polls[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0, polls[0].revents & Int16(POLLIN) == 0 { exit = .hangup }
            // Only what was polled, even if input or a result replaced the shell or a stream meanwhile.
            var index = 2
            if let polledShell {
                if polls[index].revents != 0, polledShell === shell { shellOutput(polledShell) }
                index += 1
            }
            for stream in streamList {
                if polls[index].revents != 0, stream.fd >= 0 { statsArrived(stream) }
                index += 1
            }
        }
    }

    /// The next moment a timer has something to do. A timer whose work is in flight (a check,
    /// the instances, a ping) or not wanted (a verify running, the run over) is not due: a past
    /// deadline there would make the poll return at once, again and again, for as long as the
    /// work takes.
    func nextDeadline() -> Double {
        var deadline = nextTick
        if dirty { deadline = min(deadline, lastDraw + Self.frameInterval) }
        if !checkInFlight, !model.verifying, record.state.isActive, !options.readOnly { deadline = min(deadline, nextCheck) }
        if options.readOnly, !watchInFlight { deadline = min(deadline, nextWatch) }
        if !instancesInFlight { deadline = min(deadline, nextInstances) }
        if case .unreachable = model.docker, !pingInFlight { deadline = min(deadline, nextPing) }
        return deadline
    }

    func draw() {
        dirty = false
        lastDraw = monotonicNow()
        let size = screen.size
        let frame = Renderer.render(model, width: size.width, height: size.height, shell: shell ?? timelineScreen, memo: &memo)
        // The shell's terminal follows its pane's size.
        if let rect = frame.layout.rect(of: .shell), let shell {
            let rows = rect.height - 2, columns = rect.width - 2
            if rows > 0, columns > 0, (rows, columns) != (shell.rows, shell.columns) {
                shell.resize(rows: rows, columns: columns)
                return draw()
            }
        }
        if let rect = frame.layout.rect(of: .shell) { shellSize = (rect.height - 2, rect.width - 2) }
        screen.present(frame.grid, cursor: frame.cursor)
    }

    func timers(_ now: Double) {
        if now >= nextTick {
            nextTick = now + 1
            model.now = Date()
            model.host.record(host.sample())
            dirty = true
        }
        if options.readOnly, now >= nextWatch, !watchInFlight {
            watchInFlight = true
            nextWatch = now + 2
            // Commands typed in the run's shells are fetched every third round (a `cat` per instance).
            worker.watch(record, commands: watchRounds % 3 == 0)
            watchRounds += 1
        }
        if now >= nextCheck, !checkInFlight, !model.verifying, record.state.isActive, !options.readOnly {
            checkInFlight = true
            worker.check(record, verify: false)
        }
        if now >= nextInstances, !instancesInFlight {
            instancesInFlight = true
            // The streams tell when an instance stops or is replaced (they end): the list is
            // only looked at again now and then.
            nextInstances = now + 30
            worker.instances(record)
        }
        if !model.docker.isReachable, now >= nextPing, !pingInFlight, case .unreachable = model.docker {
            pingInFlight = true
            nextPing = now + 2
            worker.ping()
        }
    }

    /// The next check, as often as the trainee's activity calls for (`CheckCadence`).
    func scheduleCheck() {
        let now = monotonicNow()
        nextCheck = now + CheckCadence.interval(now: now, lastKey: lastKey, lastCommand: lastCommand, mitigated: model.mitigatedAt != nil)
    }

    func wake() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while buffer.withUnsafeMutableBytes({ read(wakeRead, $0.baseAddress, $0.count) }) > 0 {}
        let signal = fd_take_quit_signal()
        if signal != 0 {
            exit = .signal(signal)
            return
        }
        for result in worker.take() { handle(result) }
    }

    // MARK: - Engine results

    func dockerDown(_ error: Error) -> Bool {
        if let error = error as? EngineError {
            switch error {
            case .dockerStopped, .dockerMissing: return true
            default: return false
            }
        }
        return false
    }

    func setDocker(_ status: DockerStatus) {
        guard model.docker != status else { return }
        let wasDown: Bool = { if case .unreachable = model.docker { return true } else { return false } }()
        model.docker = status
        if case .unreachable = status {
            nextPing = monotonicNow() + 2
            for stream in streams.values { stream.close() }
            model.say("Docker is not answering; the console carries on and reconnects when it is back.", bad: true, for: 6)
        } else if wasDown, status == .reachable {
            model.say("Docker is back.")
            nextInstances = monotonicNow()
            nextCheck = monotonicNow()
        }
        dirty = true
    }

    func handle(_ result: WorkerResult) {
        dirty = true
        switch result {
        case let .checked(report, updated, verify):
            setDocker(.reachable)
            for objective in report.objectives {
                guard let index = model.objectives.firstIndex(where: { $0.id == objective.id }) else { continue }
                let status: ObjectiveRow.Status = objective.passed ? .passed : (objective.deferred ? .deferred : .failed)
                // A cheap check cannot undo what a verify proved of a deferred objective.
                if !verify, objective.deferred, model.objectives[index].status == .passed { continue }
                model.objectives[index].status = status
                model.objectives[index].detail = objective.detail
            }
            model.lastCheck = Date()
            if let updated { adopt(updated) }
            if verify {
                model.verifying = false
                model.lastVerify = (report.solved, Date())
                model.say(report.solved ? "Verified: solved. Write the report, then quit." : "Verify: not solved yet (see the objectives).", bad: !report.solved, for: 8)
            } else {
                checkInFlight = false
                scheduleCheck()
            }
        case let .checkFailed(error, verify):
            if dockerDown(error) { setDocker(.unreachable(Self.firstLine("\(error)"))) }
            if verify {
                model.verifying = false
                model.say("Verify failed: \(Self.firstLine("\(error)"))", bad: true, for: 8)
            } else {
                checkInFlight = false
                scheduleCheck()
            }
        case let .instances(list):
            instancesInFlight = false
            setDocker(.reachable)
            syncInstances(list)
        case let .instancesFailed(error):
            instancesInFlight = false
            if dockerDown(error) { setDocker(.unreachable(Self.firstLine("\(error)"))) }
        case let .hintRevealed(count):
            model.hintsRevealed = count
            model.setFocus(model.focus)
        case let .shellCommand(target, arguments):
            guard model.shell.target == target else { return }
            startShell(arguments: arguments, directory: nil)
        case let .shellFailed(target, error):
            guard model.shell.target == target else { return }
            model.shell.status = .failed(Self.firstLine("\(error)"))
        case let .ping(up):
            pingInFlight = false
            if up { setDocker(.reachable) }
        case let .watched(snapshot):
            watchInFlight = false
            watched(snapshot)
        case let .filled(sheet, values, overwrite):
            filled(sheet, values: values, overwrite: overwrite)
        case let .submitted(sheet, card, grades):
            model.submission[sheet] = "submitted"
            if let card {
                model.scoreLines = ScoreText.lines(card, grades: grades)
                model.overlay = .score
            }
            model.say(sheet == .report ? "Report submitted: incident-report.md is in the workspace. Next: p for the postmortem."
                      : "Postmortem submitted for review: postmortem.md is in the workspace.", for: 10)
        case let .submitFailed(sheet, error):
            let lines: [String]
            if case let GameError.incomplete(_, problems) = error { lines = problems.map { "  - \($0)" } } else { lines = ["  - \(error)"] }
            model.overlay = .notice(title: "The \(sheet == .report ? "incident report" : "postmortem") is not ready", lines: lines)
        }
    }

    static func firstLine(_ text: String) -> String {
        text.split(separator: "\n").first.map(String.init) ?? text
    }

    /// Takes what the store says of the run (state, mitigated time).
    func adopt(_ updated: RunRecord) {
        if updated.mitigatedAt != nil, model.mitigatedAt == nil {
            model.mitigatedAt = updated.mitigatedAt
            model.say("Mitigated: every objective checked in place holds. Press v to verify it lasts.", for: 8)
            if options.game != nil { worker.fill(record, sheet: .report, overwrite: false) }
            if model.report.value("mitigated")?.isEmpty ?? true, let at = updated.mitigatedAt {
                model.report.set("mitigated", isoTimestamp(at))
                save(field: "mitigated")
            }
        }
        record = updated
        model.runState = updated.state
    }

    func syncInstances(_ list: [InstanceStatus]) {
        for status in list {
            if let index = model.instances.firstIndex(where: { $0.name == status.name }) {
                model.instances[index].state = status.state
                model.instances[index].running = status.running
            } else {
                var health = InstanceHealth(name: status.name, state: status.state, running: status.running)
                health.running = status.running
                model.instances.append(health)
            }
            containers[status.name] = status.container
            let stream = streams[status.name]
            if status.running, stream == nil || stream!.fd < 0 || stream!.container != status.container {
                let fresh = StatsStream(instance: status.name, container: status.container)
                do {
                    try fresh.open()
                    streams[status.name] = fresh
                } catch {
                    setDocker(.unreachable("cannot reach \(StatsStream.socketPath()): \(error)"))
                }
            }
        }
        let known = Set(list.map(\.name))
        for index in model.instances.indices where !known.contains(model.instances[index].name) {
            model.instances[index].running = false
            model.instances[index].state = "gone"
        }
    }

    func statsArrived(_ stream: StatsStream) {
        guard let frames = stream.read() else {
            // The stream ended: the instance stopped or Docker went away. Look again soon.
            if let index = model.instances.firstIndex(where: { $0.name == stream.instance }) {
                model.instances[index].running = false
                model.instances[index].state = "no stats"
            }
            nextInstances = min(nextInstances, monotonicNow() + 1)
            if !StatsStream.ping() { setDocker(.unreachable("the Docker daemon closed its socket")) }
            dirty = true
            return
        }
        guard let index = model.instances.firstIndex(where: { $0.name == stream.instance }) else { return }
        let now = monotonicNow()
        for frame in frames { model.instances[index].record(frame, at: now) }
    }

    // MARK: - Input

    func input() {
        for event in screen.read() {
            lastKey = monotonicNow()
            switch event {
            case .resize:
                screen.invalidate()
                memo = nil
            case let .click(x, y):
                click(x: x, y: y)
            case let .wheel(x, y, up):
                let size = screen.size
                let layout = Layout.compute(width: size.width, height: size.height, focus: model.focus, zoomed: model.zoomed, theme: model.theme, partner: model.partner)
                if let pane = layout.pane(at: x, y) {
                    if pane == .shell { model.shell.scrollBack = max(0, min(shell?.scrollbackCount ?? 0, model.shell.scrollBack + (up ? 3 : -3))) } else {
                        let saved = model.focus
                        model.focus = pane
                        for _ in 0..<3 { _ = model.apply(up ? .up : .down) }
                        model.focus = saved
                    }
                }
            case let .key(key):
                let tooSmall = Layout.compute(width: screen.size.width, height: screen.size.height, focus: model.focus, zoomed: false, theme: model.theme).mode == .tooSmall
                if tooSmall, model.overlay == nil, key == .char("q") {
                    exit = .quit(stopRun: true)
                    return
                }
                if !tooSmall, model.contexts == [.shellInput], model.shell.scrollBack == 0, KeyMap.action(for: key, in: [.shellInput]) == nil {
                    // Typing in the shell: nothing of the console changes; the echo redraws.
                    perform(model.handle(key))
                    continue
                }
                perform(model.handle(key))
            }
            dirty = true
            if exit != nil { return }
        }
    }

    /// A command was typed in the shell: it may have fixed something, so the objectives are
    /// checked within a second, and every second for a little while.
    func commandTyped() {
        lastCommand = monotonicNow()
        nextCheck = min(nextCheck, lastCommand + CheckCadence.burst)
    }

    func click(x: Int, y: Int) {
        guard model.overlay == nil else {
            model.overlay = nil
            return
        }
        let size = screen.size
        let layout = Layout.compute(width: size.width, height: size.height, focus: model.focus, zoomed: model.zoomed, theme: model.theme, partner: model.partner)
        if let tabs = layout.tabBar, tabs.contains(x: x, y: y) {
            // The tabs are " N Title " and a space, from column 1.
            var start = 1
            for pane in PaneID.allCases {
                let width = DisplayWidth.of(" \(pane.number) \(pane.title) ") + 1
                if x >= start, x < start + width {
                    model.setFocus(pane)
                    return
                }
                start += width
            }
            return
        }
        if let pane = layout.pane(at: x, y) { model.setFocus(pane) }
    }

    func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case let .quit(stopRun): exit = .quit(stopRun: stopRun)
            case .verify:
                model.verifying = true
                model.say("Verifying: disruptive checks restart instances; this takes a little while.", for: 6)
                worker.check(record, verify: true)
            case .checkNow:
                nextCheck = monotonicNow()
            case .revealHint:
                worker.revealHint(record)
            case let .sendToShell(key):
                if key == .enter { commandTyped() }
                if let shell, shell.exitStatus == nil {
                    shell.send(key)
                } else if key == .enter {
                    openShell(model.shell.target)
                }
            case let .openShell(target):
                openShell(target)
            case let .saveReport(field):
                save(field: field)
            case let .savePostmortem(field):
                savePostmortem(field: field)
            case let .submit(sheet):
                guard options.game != nil else { model.say("No game database: the report is saved, but cannot be submitted.", bad: true); break }
                // What the form shows is what is submitted, defaults never typed over (the severity) included.
                let previous = model.sheet
                model.sheet = sheet
                for field in model.form.fields where !field.value.isEmpty {
                    if sheet == .report { save(field: field.id) } else { savePostmortem(field: field.id) }
                }
                model.sheet = previous
                model.say(sheet == .report ? "Submitting the report: grading and scoring…" : "Submitting the postmortem…")
                worker.submit(record, sheet: sheet)
            case let .fillFromRun(sheet):
                guard options.game != nil else { break }
                model.say("Filling from the run: times, events and the commands typed…")
                worker.fill(record, sheet: sheet, overwrite: true)
            case .redraw:
                screen.invalidate()
                memo = nil
            }
        }
    }

    // MARK: - Shell

    func openShell(_ target: String) {
        shell?.close()
        shell = nil
        model.shell.target = target
        model.shell.scrollBack = 0
        model.shell.status = .notStarted
        dirty = true
        if target == "workspace" {
            let program = ProcessInfo.processInfo.environment["SHELL"].flatMap { $0.isEmpty ? nil : $0 } ?? "/bin/bash"
            let history = ShellHistory.environment(path: ShellHistory.workspacePath(engine.store.directory(of: record.id)).path)
            startShell(arguments: [program, "-l"], directory: record.workspace.path, environment: history.map { "\($0.key)=\($0.value)" })
        } else {
            worker.shellCommand(record, instance: target)
        }
    }

    func startShell(arguments: [String], directory: String?, environment: [String] = []) {
        let rows = max(1, shellSize.rows), columns = max(1, shellSize.columns)
        do {
            shell = try TerminalSession(arguments: arguments, environment: [
                "TERM=xterm-256color", "FIREDRILL_RUN=\(record.id)", "FIREDRILL_WORKSPACE=\(record.workspace.path)",
            ] + environment, directory: directory, rows: rows > 1 ? rows : 24, columns: columns > 1 ? columns : 80)
            model.shell.status = .running
        } catch {
            model.shell.status = .failed("\(error)")
        }
        dirty = true
    }

    func shellOutput(_ session: TerminalSession) {
        if !session.readAvailable() {
            model.shell.status = .exited(session.reap(block: false) ?? session.reap(block: true) ?? 0)
            dirty = true
            return
        }
        if session.takeDamage() { dirty = true }
    }

    // MARK: - Watching

    /// Shows a run as its files and the database have it: objectives from its last check, its
    /// state, hints, the documents as typed so far, the timeline.
    func watched(_ snapshot: WatchSnapshot) {
        record = snapshot.record
        model.runState = snapshot.record.state
        model.hintsRevealed = snapshot.record.hintsRevealed
        model.mitigatedAt = snapshot.record.mitigatedAt
        for (id, passed) in snapshot.record.objectiveStates ?? [:] {
            guard let index = model.objectives.firstIndex(where: { $0.id == id }) else { continue }
            model.objectives[index].status = passed ? .passed : .failed
        }
        for (field, value) in snapshot.report { model.report.set(field, value) }
        for (field, value) in snapshot.postmortem { model.postmortem.set(field, value) }
        model.submission = snapshot.submissions
        model.timeline = snapshot.timeline
        let rows = max(1, shellSize.rows), columns = max(1, shellSize.columns)
        let lines = snapshot.timeline.suffix(rows).map { String($0.prefix(columns)) }
        if let screen = timelineScreen, screen.rows == rows, screen.columns == columns {
            if screen.lines != Array(lines) { screen.lines = Array(lines) }
        } else {
            timelineScreen = TextShellScreen(lines: Array(lines), rows: rows, columns: columns)
            timelineScreen?.cursor = (0, 0, false)
        }
        dirty = true
    }

    // MARK: - Report

    func savePostmortem(field: String) {
        guard let game = options.game, let value = model.postmortem.value(field) else { return }
        do {
            try game.store.saveField(run: record.id, level: record.level, document: .postmortem, field: field, value: value)
        } catch {
            model.say("The postmortem could not be saved: \(error)", bad: true, for: 8)
        }
    }

    /// What the run knows, into the shown document: empty fields only, unless asked (`f`), when
    /// the timeline is rewritten too.
    func filled(_ sheet: Sheet, values: [String: String], overwrite: Bool) {
        let previous = model.sheet
        model.sheet = sheet
        defer { model.sheet = previous }
        for (field, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let current = model.form.value(field) else { continue }
            let empty = current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            guard empty || (overwrite && field == "timeline"), current != value else { continue }
            model.form.set(field, value)
            if sheet == .report { save(field: field) } else { savePostmortem(field: field) }
        }
        if overwrite { model.say("Filled from the run.") }
    }

    func save(field: String) {
        guard let store = options.reportStore, let value = model.report.value(field) else { return }
        do {
            try store.save(run: record.id, level: record.level, field: field, value: value)
        } catch {
            model.say("The report could not be saved: \(error)", bad: true, for: 8)
        }
    }
}
