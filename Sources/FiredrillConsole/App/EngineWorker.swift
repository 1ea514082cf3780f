import FiredrillEngine
import FiredrillRules
import FiredrillGame
import FiredrillStore
import Foundation

/// Runs the engine's blocking calls (checks spawn processes, verify restarts instances) off the
/// loop, one at a time in order, and wakes the loop through a pipe when each is done.
final class EngineWorker: @unchecked Sendable {
    /// Checks and verifies (seconds, processes, restarts) on one queue; quick calls (instances,
    /// shell commands, hints, ping) on another, so a slow check never holds up a shell.
    private let checks = DispatchQueue(label: "firedrill.console.checks")
    private let queue = DispatchQueue(label: "firedrill.console.engine")
    /// Booting the next level ahead takes seconds: on its own queue, so nothing waits for it.
    private let warming = DispatchQueue(label: "firedrill.console.warm")
    private let lock = NSLock()
    private var results: [WorkerResult] = []
    /// An import of the shells' commands is queued (under `lock`).
    private var collecting = false
    private let wakeFD: Int32
    let engine: Engine
    let game: Game?
    /// The routine calls asked for and not answered yet: a timer does not ask again meanwhile.
    /// Touched by the loop's thread only (asked, then cleared as their answers are taken).
    enum Job { case check, instances, ping, watch }
    private(set) var pending: Set<Job> = []

    init(engine: Engine, game: Game?, wakeFD: Int32) {
        self.engine = engine
        self.game = game
        self.wakeFD = wakeFD
    }

    private func post(_ result: WorkerResult) {
        lock.withLock { results.append(result) }
        var byte: UInt8 = 0x77
        _ = write(wakeFD, &byte, 1)
    }

    func take() -> [WorkerResult] {
        let taken = lock.withLock {
            defer { results.removeAll() }
            return results
        }
        for result in taken {
            switch result {
            case .checked(_, _, verify: false), .checkFailed(_, verify: false): pending.remove(.check)
            case .instances, .instancesFailed: pending.remove(.instances)
            case .ping: pending.remove(.ping)
            case .watched, .watchFailed: pending.remove(.watch)
            default: break
            }
        }
        return taken
    }

    /// Checks the objectives; then imports the commands typed in the run's shells when
    /// `commands` is set and the game keeps them, on the other queue: a `docker exec` per
    /// instance does not hold up the answer, nor the next check. `eager`: a command just ended
    /// (`Engine.check`).
    func check(_ record: RunRecord, verify: Bool, commands: Bool = false, eager: Bool = false) {
        if !verify { pending.insert(.check) }
        let collect = commands && game != nil
        checks.async { [engine] in
            do {
                let report = try engine.check(record, verify: verify, eager: eager)
                self.post(.checked(report, try? engine.store.load(record.id), verify: verify))
            } catch {
                self.post(.checkFailed(error, verify: verify))
            }
            // One import waiting is enough: it reads every history whole.
            if collect, self.claimImport() {
                self.queue.async {
                    self.lock.withLock { self.collecting = false }
                    engine.collectCommands(record)
                }
            }
        }
    }

    /// Whether an import of the commands may be queued (none is waiting); it then is.
    private func claimImport() -> Bool {
        lock.withLock {
            defer { collecting = true }
            return !collecting
        }
    }

    func instances(_ record: RunRecord) {
        pending.insert(.instances)
        queue.async { [engine] in
            do { self.post(.instances(try engine.instances(record))) } catch { self.post(.instancesFailed(error)) }
        }
    }

    func revealHint(_ record: RunRecord) {
        queue.async { [engine] in
            guard let count = try? engine.revealHint(record) else { return }
            self.post(.hintRevealed(count))
        }
    }

    func shellCommand(_ record: RunRecord, instance: String) {
        queue.async { [engine] in
            do {
                var arguments = try engine.shellCommand(record, instance: instance, command: [], tty: true)
                // The shell runs inside our emulator, an xterm: not in the outer terminal.
                if let index = arguments.firstIndex(where: { $0.hasPrefix("TERM=") }) { arguments[index] = "TERM=xterm-256color" }
                self.post(.shellCommand(target: instance, arguments: arguments))
            } catch {
                self.post(.shellFailed(target: instance, error))
            }
        }
    }

    /// What the run knows for a document: times and the timeline (commands typed included).
    func fill(_ record: RunRecord, sheet: Sheet, overwrite: Bool) {
        guard let game else { return }
        queue.async {
            guard let current = try? game.record(record.id) else { return }
            var values = game.reportDefaults(current)
            if sheet == .postmortem { values = values.filter { $0.key == "timeline" } }
            self.post(.filled(sheet, values, overwrite: overwrite))
        }
    }

    func submit(_ record: RunRecord, sheet: Sheet) {
        guard let game else { return }
        queue.async {
            do {
                let current = try game.record(record.id)
                if sheet == .report {
                    let card = try game.submitReport(current)
                    self.post(.submitted(sheet, card, game.grades(current)))
                } else {
                    try game.submitPostmortem(current)
                    self.post(.submitted(sheet, nil, []))
                }
            } catch {
                self.post(.submitFailed(sheet, error))
            }
        }
    }

    /// Reads the run as it stands, for a watcher. The commands typed in its shells are imported
    /// when `commands` is set (one `cat` per instance).
    func watch(_ record: RunRecord, commands: Bool) {
        guard let game else { return }
        pending.insert(.watch)
        queue.async {
            let current: RunRecord
            do { current = try game.record(record.id) } catch { return self.post(.watchFailed(error)) }
            if commands, current.state.isActive { game.engine.collectCommands(current) }
            let entries = Timeline.entries(events: game.events(current))
            let timeline = Timeline.text(entries, start: current.liveAt, timeZone: game.timeZone)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let submissions = game.submissions(record.id).mapValues(ConsoleApp.describe)
            self.post(.watched(WatchSnapshot(record: current, report: game.fields(record.id, .report),
                                             postmortem: game.fields(record.id, .postmortem), timeline: timeline, submissions: submissions)))
        }
    }

    /// Boots the player's next level ahead (not this one's again) and leaves it paused.
    func prepareNext(after record: RunRecord) {
        guard let game else { return }
        warming.async {
            do {
                let warm = try game.prepareWarm(excluding: record.level)
                self.post(.warmed(level: warm.level, heldMemory: warm.heldMemory))
            } catch {
                self.post(.warmFailed(error))
            }
        }
    }

    func ping() {
        pending.insert(.ping)
        queue.async { [engine] in self.post(.ping(engine.runtime.ping())) }
    }
}
