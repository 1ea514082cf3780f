import Foundation

/// What the dashboard asks of the class: the CLI gives it the store's reads and the way to
/// watch a run, so the loop knows nothing of databases or processes.
public struct BoardSource {
    /// Every trainee's row, read from the class database.
    public var rows: @Sendable () throws -> [TraineeRow]
    /// A run's postmortem as submitted, for review.
    public var postmortem: @Sendable (_ run: String, _ player: String) throws -> BoardReview
    /// The instructor's verdict on a run's postmortem.
    public var review: @Sendable (_ run: String, _ approve: Bool, _ comment: String) throws -> Void
    /// Shows a run read-only on this terminal until the instructor leaves it (the board's
    /// screen is ended meanwhile): `firedrill watch RUN`.
    public var watch: (_ run: String, _ player: String) throws -> Void
    /// What says the class database changed (LISTEN/NOTIFY); nil: the rows are read on a timer.
    public var changes: ChangeSignal?

    public init(rows: @escaping @Sendable () throws -> [TraineeRow],
                postmortem: @escaping @Sendable (String, String) throws -> BoardReview,
                review: @escaping @Sendable (String, Bool, String) throws -> Void,
                watch: @escaping (String, String) throws -> Void, changes: ChangeSignal? = nil) {
        self.rows = rows
        self.postmortem = postmortem
        self.review = review
        self.watch = watch
        self.changes = changes
    }
}

/// The dashboard's loop: polls the terminal, a wake pipe and the change feed's socket; the rows
/// are read on a worker queue (a database that stops answering never freezes the keys) when
/// the feed says the class changed, or every `interval` without a feed (or while it is down),
/// and at least every `safety` seconds; the clock moves the times once a second.
public final class BoardApp {
    public private(set) var model: BoardModel
    let source: BoardSource
    let screen = Screen()
    let interval: Double
    static let safety = 10.0
    let reader = RowReader()
    var reading = false
    var nextRead = 0.0, nextTick = 0.0
    var wakeRead: Int32 = -1, wakeWrite: Int32 = -1
    var exit: ConsoleExit?
    var dirty = true

    public init(model: BoardModel, source: BoardSource, interval: Double = 0.5) {
        self.model = model
        self.source = source
        self.interval = interval
    }

    /// Runs until the instructor quits, a signal arrives or the terminal goes; the terminal is
    /// restored on every way out.
    public func run() throws -> ConsoleExit {
        (wakeRead, wakeWrite) = try wakePipe()
        try screen.begin(wakeFD: wakeWrite)
        defer {
            screen.end()
            close(wakeRead)
            close(wakeWrite)
        }
        while exit == nil {
            let now = monotonicNow()
            if now >= nextTick {
                nextTick = now + 1
                model.tick(Date())
                // The feed is drained at least once a second: that is when it notices a lost connection.
                if let changes = source.changes, changes.changed() { refresh() }
                dirty = true
            }
            if now >= nextRead, !reading {
                reading = true
                // Until it ends; a refresh asked meanwhile sets it to 0, and the rows are read again.
                nextRead = .infinity
                reader.read(source.rows, wake: wakeWrite)
            }
            if dirty { draw() }
            let deadline = reading ? nextTick : min(nextTick, nextRead)
            let timeout = Int32(max(0, min(1000, (deadline - monotonicNow()) * 1000)).rounded(.up))
            var polls = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let feed = source.changes?.socket() ?? -1
            if feed >= 0 { polls.append(pollfd(fd: feed, events: Int16(POLLIN), revents: 0)) }
            guard poll(&polls, nfds_t(polls.count), timeout) >= 0 else { continue }
            if polls[1].revents != 0 { wake() }
            if feed >= 0, polls[2].revents != 0, source.changes?.changed() == true { refresh() }
            if polls[0].revents & Int16(POLLIN) != 0 { input() }
            if polls[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0, polls[0].revents & Int16(POLLIN) == 0 { exit = .hangup }
        }
        return exit ?? .quit(stopRun: false)
    }

    /// Reads the rows now (or as soon as the read in flight ends): at start, on the timer, and
    /// when the class database says it changed.
    public func refresh() { nextRead = 0 }

    func wake() {
        if let signal = awoken(wakeRead) {
            exit = .signal(signal)
            return
        }
        guard let result = reader.take() else { return }
        reading = false
        let live = (source.changes?.socket() ?? -1) >= 0
        if nextRead > 0 { nextRead = monotonicNow() + (live ? Self.safety : interval) }
        switch result {
        case let .success(rows):
            model.update(rows, at: Date())
            dirty = true
        case let .failure(error):
            model.problem = "class database: \(error)"
            dirty = true
        }
    }

    func draw() {
        dirty = false
        let size = screen.size
        screen.present(BoardView.render(model, width: size.width, height: size.height), cursor: nil)
    }

    func input() {
        for event in screen.read() {
            dirty = true
            guard case let .key(key) = event else {
                if event == .resize { screen.invalidate() }
                continue
            }
            for effect in model.handle(key) { perform(effect) }
            if exit != nil { return }
        }
    }

    func perform(_ effect: BoardEffect) {
        switch effect {
        case .quit: exit = .quit(stopRun: false)
        case .redraw: screen.invalidate()
        case let .openRun(run, player):
            screen.end()
            defer {
                try? screen.begin(wakeFD: wakeWrite)
                screen.invalidate()
                refresh()
            }
            do { try source.watch(run, player) } catch { model.message = "\(error)" }
        case let .loadReview(run, player):
            do { model.overlay = .review(try source.postmortem(run, player)) } catch { model.message = "\(error)" }
        case let .review(run, approve, comment):
            do {
                try source.review(run, approve, comment)
                model.message = approve ? "Approved the postmortem of \(run)." : "Sent the postmortem of \(run) back with your comment."
            } catch {
                model.message = "\(error)"
            }
            refresh()
        }
    }
}

/// Reads the rows on a queue of its own and wakes the loop with the result.
final class RowReader: @unchecked Sendable {
    private let queue = DispatchQueue(label: "firedrill.board")
    private let lock = NSLock()
    private var arrived: Result<[TraineeRow], Error>?

    func read(_ rows: @escaping @Sendable () throws -> [TraineeRow], wake: Int32) {
        queue.async { [self] in
            let result = Result { try rows() }
            lock.withLock { arrived = result }
            var byte: UInt8 = 1
            _ = write(wake, &byte, 1)
        }
    }

    /// The read that finished, once.
    func take() -> Result<[TraineeRow], Error>? {
        lock.withLock {
            defer { arrived = nil }
            return arrived
        }
    }
}
