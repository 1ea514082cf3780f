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

/// A non-blocking, close-on-exec pipe: signal handlers and workers write a byte to it to wake
/// the poll loop.
func wakePipe() throws -> (read: Int32, write: Int32) {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw ScreenError.cannotStart("pipe: \(errno)") }
    for fd in fds {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }
    return (fds[0], fds[1])
}

/// Empties a wake pipe; returns the quit signal (SIGTERM, SIGHUP…) that woke it, if one did.
func awoken(_ fd: Int32) -> Int32? {
    var buffer = [UInt8](repeating: 0, count: 256)
    while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
    let signal = fd_take_quit_signal()
    return signal == 0 ? nil : signal
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
    /// What waits for the class database ("class offline, 3 waiting"), nil when all is sent;
    /// asked every second for the status bar.
    public var classStatus: (@Sendable () -> String?)?
    /// For a watcher: tells when the run changed elsewhere, so it is read again at once.
    public var changes: ChangeSignal?
    /// Boot the player's next level ahead once the report is submitted (a warm run).
    public var warmNext: Bool

    public init(theme: Theme.Name = .standard, shell: String? = nil, reportStore: (any ReportStore)? = nil, game: Game? = nil,
                readOnly: Bool = false, classStatus: (@Sendable () -> String?)? = nil, warmNext: Bool = false) {
        self.theme = theme
        self.shell = shell
        self.reportStore = reportStore ?? game?.store
        self.game = game
        self.readOnly = readOnly
        self.classStatus = classStatus
        self.warmNext = warmNext
    }
}

/// A source of "what is shown changed" (the class database's notifications): a socket to poll,
/// -1 while there is none, and `changed`, called when it is readable and every second, true when
/// what arrived concerns what is shown (or may have: a reconnection).
public struct ChangeSignal: Sendable {
    public var socket: @Sendable () -> Int32
    public var changed: @Sendable () -> Bool

    public init(socket: @escaping @Sendable () -> Int32, changed: @escaping @Sendable () -> Bool) {
        self.socket = socket
        self.changed = changed
    }
}

/// The console's loop: one thread polls the terminal, the shell's PTY, the stats streams and a
/// wake pipe, with monotonic deadlines for the clock and the checks; engine calls run on a
/// worker. State lives in `ConsoleModel` (keys and the engine's answers change it); `Renderer`
/// draws it; `Screen` shows it. The loop carries out the model's effects.
public final class ConsoleApp {
    let engine: Engine
    var record: RunRecord
    public private(set) var model: ConsoleModel
    let screen = Screen()
    let options: ConsoleOptions
    var shell: ShellController!
    let monitor: InstanceMonitor
    let host: HostReader
    var worker: EngineWorker!
    var wakeRead: Int32 = -1, wakeWrite: Int32 = -1
    var exit: ConsoleExit?
    /// The screen is out of date: drawn at the next turn of the loop, at most once per frame
    /// interval. Figures that come on their own (stats frames) do not set it: the clock's tick
    /// draws them once a second.
    var dirty = true
    var lastDraw = -Double.infinity
    /// The last frame, so the next redraws only the panes that changed; its layout places clicks.
    var memo: RenderMemo?
    var layout: Layout?
    /// What the layout was computed from besides the size: focus, zoom, partner.
    var layoutFor: (focus: PaneID, zoomed: Bool, partner: PaneID)?
    static let frameInterval = 0.010
    /// When the objectives are checked next: keys, commands typed in the shell and their end set it.
    var checks = CheckSchedule(now: 0)
    /// When the commands typed in the shells were last imported with a check.
    var lastImport = -Double.infinity
    var nextTick = 0.0, nextWatch = 0.0
    var watchRounds = 0
    /// What a watcher shows in the Shell pane's place: the run's timeline.
    var timelineScreen: TextShellScreen?

    public init(engine: Engine, record: RunRecord, options: ConsoleOptions) throws {
        self.engine = engine
        self.record = record
        self.options = options
        let level = try engine.level(of: record)
        let scenario = try engine.catalog.scenario(record.scenario)
        host = HostReader(diskPath: engine.store.root.path)
        monitor = InstanceMonitor(runtime: engine.runtime)
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
        if !options.readOnly, let ahead = game.warmRun() { model.next = .ready(level: ahead.level, heldMemory: ahead.heldMemory) }
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
        (wakeRead, wakeWrite) = try wakePipe()
        let worker = EngineWorker(engine: engine, game: options.game, wakeFD: wakeWrite)
        self.worker = worker
        shell = ShellController(record: record, runDirectory: engine.store.directory(of: record.id)) { [record] target in
            worker.shellCommand(record, instance: target)
        }
        try screen.begin(wakeFD: wakeWrite)
        defer {
            shell.close()
            monitor.close()
            screen.end()
            close(wakeRead)
            close(wakeWrite)
        }
        if options.readOnly {
            model.shell.status = .running
        } else if let target = options.shell {
            model.shell.target = target
            model.setFocus(.shell)
            shell.open(target, model: &model)
        }
        let now = monotonicNow()
        nextTick = now
        checks = CheckSchedule(now: now)
        monitor.nextInstances = now
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
            let polledShell = shell.running
            if let polledShell { polls.append(pollfd(fd: polledShell.master, events: Int16(POLLIN), revents: 0)) }
            let streamList = monitor.open
            for stream in streamList { polls.append(pollfd(fd: stream.fd, events: Int16(POLLIN), revents: 0)) }
            let changes = options.changes.map { $0.socket() } ?? -1
            if changes >= 0 { polls.append(pollfd(fd: changes, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&polls, nfds_t(polls.count), timeout)
            if ready < 0 { continue } // EINTR: signals are handled through the wake pipe
            if polls[1].revents != 0 { wake() }
            if polls[0].revents & Int16(POLLIN) != 0 { input() }
            if polls[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0, polls[0].revents & Int16(POLLIN) == 0 { exit = .hangup }
            // Only what was polled, even if input or a result replaced the shell or a stream meanwhile.
            var index = 2
            if let polledShell {
                if polls[index].revents != 0 {
                    checks.shellOutput(at: monotonicNow())
                    if shell.output(polledShell, model: &model) { dirty = true }
                }
                index += 1
            }
            for stream in streamList {
                if polls[index].revents != 0, stream.fd >= 0 {
                    perform(monitor.arrived(stream, model: &model, now: monotonicNow()))
                    if stream.fd < 0 { dirty = true }
                }
                index += 1
            }
            if changes >= 0, polls[index].revents != 0, options.changes?.changed() == true { nextWatch = monotonicNow() }
        }
    }

    /// The next moment a timer has something to do. A timer whose work is in flight (a check,
    /// the instances, a ping) or not wanted (a verify running, the run over) is not due: a past
    /// deadline there would make the poll return at once, again and again, for as long as the
    /// work takes.
    func nextDeadline() -> Double {
        var deadline = min(nextTick, monitor.deadline(docker: model.docker, pending: worker.pending))
        if dirty { deadline = min(deadline, lastDraw + Self.frameInterval) }
        if checking { deadline = min(deadline, checks.deadline) }
        if options.readOnly, !worker.pending.contains(.watch) { deadline = min(deadline, nextWatch) }
        return deadline
    }

    func draw() {
        dirty = false
        lastDraw = monotonicNow()
        let size = screen.size
        let frame = Renderer.render(model, width: size.width, height: size.height, shell: shell.session ?? timelineScreen, memo: &memo)
        // The shell's terminal follows its pane's size.
        if shell.fit(frame.layout.rect(of: .shell)) { return draw() }
        layout = frame.layout
        layoutFor = (model.focus, model.zoomed, model.partner)
        screen.present(frame.grid, cursor: frame.cursor)
    }

    func timers(_ now: Double) {
        if now >= nextTick {
            nextTick = now + 1
            model.now = Date()
            model.classStatus = options.classStatus?()
            model.host.record(host.sample())
            dirty = true
            if options.changes?.changed() == true { nextWatch = now }
        }
        if options.readOnly, now >= nextWatch, !worker.pending.contains(.watch) {
            // Told of changes, the watcher re-reads rarely: a notification brings the next read forward.
            nextWatch = now + (options.changes == nil ? 2 : 10)
            // Commands typed in the run's shells are fetched every third round (a `cat` per instance).
            worker.watch(record, commands: watchRounds % 3 == 0)
            watchRounds += 1
        }
        if checking, checks.due(at: now) {
            // Commands typed lately reach the game's database with the check (a shell writes
            // its history when a command ends, so for a while after Enter).
            let eager = checks.started(at: now)
            // Imported at most every 2 s: a `docker exec` per instance each time.
            let commands = now - checks.lastCommand < 30 && now - lastImport >= 2
            if commands { lastImport = now }
            worker.check(record, verify: false, commands: commands, eager: eager)
        }
        monitor.timers(now, docker: model.docker, record: record, worker: worker)
    }

    /// Whether routine checks run: not while a verify does, on a run over, or for a watcher.
    var checking: Bool { !model.verifying && record.state.isActive && !options.readOnly }

    func wake() {
        if let signal = awoken(wakeRead) {
            exit = .signal(signal)
            return
        }
        for result in worker.take() {
            dirty = true
            perform(model.apply(result))
        }
    }

    // MARK: - Input

    /// The layout clicks and keys are placed by: the last frame's, unless the screen was resized
    /// or the focus moved since (several events read at once).
    func currentLayout() -> Layout {
        let size = screen.size
        if let layout, let layoutFor, layout.size == size, layoutFor == (model.focus, model.zoomed, model.partner) { return layout }
        let fresh = Layout.compute(width: size.width, height: size.height, focus: model.focus, zoomed: model.zoomed, theme: model.theme, partner: model.partner)
        layout = fresh
        layoutFor = (model.focus, model.zoomed, model.partner)
        return fresh
    }

    func input() {
        for event in screen.read() {
            checks.key(at: monotonicNow())
            switch event {
            case .resize:
                screen.invalidate()
                memo = nil
            case let .click(x, y):
                click(x: x, y: y)
            case let .wheel(x, y, up):
                if let pane = currentLayout().pane(at: x, y) {
                    if pane == .shell { model.shell.scrollBack = max(0, min(shell.session?.scrollbackCount ?? 0, model.shell.scrollBack + (up ? 3 : -3))) } else {
                        let saved = model.focus
                        model.focus = pane
                        for _ in 0..<3 { _ = model.apply(up ? .up : .down) }
                        model.focus = saved
                    }
                }
            case let .key(key):
                let tooSmall = currentLayout().mode == .tooSmall
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

    func click(x: Int, y: Int) {
        guard model.overlay == nil else {
            model.overlay = nil
            return
        }
        let layout = currentLayout()
        if let bar = layout.tabBar, bar.contains(x: x, y: y) {
            if let tab = Renderer.tabs(in: bar).first(where: { $0.columns.contains(x) }) { model.setFocus(tab.pane) }
            return
        }
        if let pane = layout.pane(at: x, y) { model.setFocus(pane) }
    }

    // MARK: - Effects

    func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case let .quit(stopRun): exit = .quit(stopRun: stopRun)
            case .verify:
                worker.check(record, verify: true)
            case .checkNow:
                checks.checkNow(at: monotonicNow())
            case .scheduleCheck:
                checks.answered(at: monotonicNow(), mitigated: model.mitigatedAt != nil)
            case .revealHint:
                worker.revealHint(record)
            case let .sendToShell(key):
                // A command typed may fix something: checked as soon as it ends.
                if key == .enter { checks.commandTyped(at: monotonicNow()) } else { checks.typedInShell() }
                shell.send(key, model: &model)
            case let .openShell(target):
                shell.open(target, model: &model)
            case let .startShell(arguments):
                shell.start(arguments: arguments, directory: nil, model: &model)
            case let .saveReport(field):
                save(.report, field: field)
            case let .savePostmortem(field):
                save(.postmortem, field: field)
            case let .submit(sheet):
                guard options.game != nil else { model.say("No game database: the report is saved, but cannot be submitted.", bad: true); break }
                // What the form shows is what is submitted, defaults never typed over (the severity) included.
                for field in (sheet == .report ? model.report : model.postmortem).fields where !field.value.isEmpty { save(sheet, field: field.id) }
                model.say(sheet == .report ? "Submitting the report: grading and scoring…" : "Submitting the postmortem…")
                worker.submit(record, sheet: sheet)
            case let .fillFromRun(sheet):
                guard options.game != nil else { break }
                model.say("Filling from the run: times, events and the commands typed…")
                worker.fill(record, sheet: sheet, overwrite: true)
            case let .fillEmpty(sheet):
                if options.game != nil { worker.fill(record, sheet: sheet, overwrite: false) }
            case .redraw:
                screen.invalidate()
                memo = nil
            case let .runChanged(updated):
                record = updated
            case let .followStats(list):
                perform(monitor.follow(list, model: &model))
            case .dockerLost:
                monitor.dockerLost(now: monotonicNow())
            case .dockerBack:
                monitor.nextInstances = monotonicNow()
                checks.checkNow(at: monotonicNow())
            case .showTimeline:
                showTimeline()
            case .prepareNext:
                guard options.warmNext, !options.readOnly, options.game != nil, model.next == nil else { break }
                model.next = .preparing
                worker.prepareNext(after: record)
            }
        }
    }

    /// The run's timeline where a watcher's shell would be, as much as the pane holds.
    func showTimeline() {
        let rows = max(1, shell.size.rows), columns = max(1, shell.size.columns)
        let lines = model.timeline.suffix(rows).map { String($0.prefix(columns)) }
        if let screen = timelineScreen, screen.rows == rows, screen.columns == columns {
            if screen.lines != Array(lines) { screen.lines = Array(lines) }
        } else {
            timelineScreen = TextShellScreen(lines: Array(lines), rows: rows, columns: columns)
            timelineScreen?.cursor = (0, 0, false)
        }
    }

    // MARK: - Documents

    /// Saves a field of a document as the model has it: the report in the report store, the
    /// postmortem in the game's. A failure is said; the typing goes on.
    func save(_ sheet: Sheet, field: String) {
        guard let value = (sheet == .report ? model.report : model.postmortem).value(field) else { return }
        do {
            if sheet == .report, let store = options.reportStore {
                try store.save(run: record.id, level: record.level, field: field, value: value)
            } else if sheet == .postmortem, let game = options.game {
                try game.store.saveField(run: record.id, level: record.level, document: .postmortem, field: field, value: value)
            }
        } catch {
            model.say("The \(sheet == .report ? "report" : "postmortem") could not be saved: \(error)", bad: true, for: 8)
        }
    }
}
