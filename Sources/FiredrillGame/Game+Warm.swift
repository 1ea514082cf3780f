import FiredrillEngine
import Foundation

/// Warm runs: the next level booted ahead and paused, so that asking for it shows its briefing at
/// once. At most one per player; never counted as played until given.
extension Game {
    /// How long a warm run may wait. Past it, its programs' own timeouts could undo the fault
    /// when they thaw (MariaDB ends a session idle for 8 hours), so it is discarded instead.
    public static let warmLifetime: Double = 4 * 3600

    /// This player's warm run, if one waits; older ones than `warmLifetime`, and any beyond the
    /// first, are removed.
    public func warmRun() -> RunRecord? {
        let mine = engine.warmRuns().filter { $0.preparedFor == player }
        var kept: RunRecord?
        for record in mine.reversed() {
            let age = record.warmAt.map { engine.clock.now.timeIntervalSince($0) } ?? .infinity
            if kept == nil, age < Self.warmLifetime { kept = record } else { try? engine.stop(record) }
        }
        return kept
    }

    /// Starts a run of the level for this player: the warm run when one waits for that level
    /// (and seed, when one is asked), else booted now. A warm run that cannot be given is removed
    /// and the level boots cold.
    public func begin(level: String, seed: UInt64?, useWarm: Bool, progress: (String) -> Void = { _ in }) throws -> (record: RunRecord, warm: Bool) {
        if useWarm, let warm = warmRun(), warm.level == level, seed == nil || warm.seed == seed {
            progress("giving the run booted ahead")
            if let given = try? engine.give(warm) { return (given, true) }
            progress("it could not be given: booting now")
        }
        return (try engine.start(levelID: level, seed: seed, progress: progress), false)
    }

    /// Boots the level this player gets next and leaves it paused: `level` (and `seed`) when
    /// named, the class's assignment in a class, else the game's pick, leaving out `excluding`
    /// (the level being played). A warm run that already waits and fits is kept; one that does
    /// not is replaced.
    @discardableResult
    public func prepareWarm(level: String? = nil, seed: UInt64? = nil, excluding: String? = nil,
                            progress: (String) -> Void = { _ in }) throws -> RunRecord {
        var chosen = (level: level, seed: seed)
        if let assignment = try assigned(level: level, seed: seed) {
            // In a class the next level is the one assigned: none other to boot while it is played.
            if let excluding, assignment.level == excluding { throw GameError.nothingAhead(assignment.level) }
            chosen = (assignment.level, assignment.seed)
        }
        if let existing = warmRun() {
            let fits = chosen.level.map { $0 == existing.level } ?? (existing.level != excluding)
            if fits, chosen.seed == nil || chosen.seed == existing.seed { return existing }
            try engine.stop(existing)
        }
        if chosen.level == nil {
            guard let pick = pick(seed: nil, excluding: excluding) else { throw EngineError.unknownLevel("(random)", known: []) }
            chosen = (pick.level, pick.seed)
        }
        guard let id = chosen.level else { throw EngineError.unknownLevel("(random)", known: []) }
        try engine.ensureMemoryToWarm(levelID: id)
        var record = try engine.start(levelID: id, seed: chosen.seed, warm: true, progress: progress)
        record.preparedFor = player
        try engine.store.save(record)
        return record
    }
}
