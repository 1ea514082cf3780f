import Foundation

/// Where the engine reports what happens to runs, besides its own run files: the game's
/// database keeps players' runs, events and scores through this. Calls must not throw into the
/// engine: a journal that cannot write says so itself and the run goes on.
public protocol RunJournal: Sendable {
    /// The run's record changed (created, state, timestamps, hints).
    func recorded(_ record: RunRecord, level: Level)
    /// Something happened in the run.
    func recorded(_ events: [RunEvent], run: String)
    /// A run booted ahead (warm) and given now: the journal learns of it now, with what happened
    /// to it so far; until then it was no one's.
    func adopted(_ record: RunRecord, level: Level, events: [RunEvent])
}
