import FiredrillEngine
import FiredrillStore
import Foundation

/// The engine's journal written to the game's database: each run under the player who started
/// it, every event of it. A write that fails is counted, not thrown: the run goes on, and the
/// run files still hold its state.
public final class StoreJournal: RunJournal, @unchecked Sendable {
    let store: any GameStore
    let player: String
    private let lock = NSLock()
    private var _failures: [String] = []

    public init(store: any GameStore, player: String) {
        self.store = store
        self.player = player
    }

    /// What could not be written, newest last.
    public var failures: [String] { lock.withLock { _failures } }

    /// Runs are recorded from their boot on: a run booted without the game (an author's
    /// `prove`) stays out of everyone's progress even when a command of the game touches it.
    public func recorded(_ record: RunRecord, level: Level) {
        guard record.state == .booting || known(record.id) else { return }
        upsert(record, level: level)
    }

    /// A warm run becomes the player's when given, with its boot's events.
    public func adopted(_ record: RunRecord, level: Level, events: [RunEvent]) {
        upsert(record, level: level)
        guard known(record.id) else { return }
        attempt { try store.append(events, run: record.id) }
    }

    private func upsert(_ record: RunRecord, level: Level) {
        attempt {
            try store.upsertRun(StoredRun(id: record.id, player: player, level: level.id, category: level.category,
                                          difficulty: level.difficulty, seed: record.seed, state: record.state.rawValue,
                                          createdAt: record.createdAt, liveAt: record.liveAt, mitigatedAt: record.mitigatedAt,
                                          stoppedAt: record.stoppedAt, hintsRevealed: record.hintsRevealed))
            // In a class, the expected answers once the fault is live, for the instructor's grading.
            if let store = store as? any ClassStore, let sealed = record.sealedAnswers, !lock.withLock({ expectedKept.contains(record.id) }) {
                try store.saveExpectedAnswers(run: record.id, ExpectedAnswers(sealed: sealed, captured: record.capturedAnswers))
                lock.withLock { _ = expectedKept.insert(record.id) }
            }
        }
    }

    public func recorded(_ events: [RunEvent], run: String) {
        guard known(run) else { return }
        attempt { try store.append(events, run: run) }
    }

    private var knownRuns: Set<String> = []
    private var expectedKept: Set<String> = []

    private func known(_ run: String) -> Bool {
        if lock.withLock({ knownRuns.contains(run) }) { return true }
        guard (try? store.run(run)) != nil else { return false }
        lock.withLock { _ = knownRuns.insert(run) }
        return true
    }

    private func attempt(_ write: () throws -> Void) {
        do { try write() } catch { lock.withLock { _failures.append("\(error)") } }
    }
}
