import FiredrillEngine
import Foundation

/// What the class dashboard reads of one player: their latest run and what shows how far it got.
public struct TraineeDigest: Sendable, Equatable {
    public var player: String
    /// The latest run; nil for a player who has not played.
    public var run: StoredRun?
    /// The run's check and verify events, in time order: the objectives' states.
    public var objectiveEvents: [RunEvent]
    /// The last command typed in one of the run's shells.
    public var lastCommand: RunEvent?
    public var submissions: [Document: Submission]
    /// How many fields of each document are filled; absent when none.
    public var filled: [Document: Int]

    public init(player: String, run: StoredRun? = nil, objectiveEvents: [RunEvent] = [], lastCommand: RunEvent? = nil,
                submissions: [Document: Submission] = [:], filled: [Document: Int] = [:]) {
        self.player = player
        self.run = run
        self.objectiveEvents = objectiveEvents
        self.lastCommand = lastCommand
        self.submissions = submissions
        self.filled = filled
    }
}

/// A store that reads every player's digest in a fixed number of queries, whatever the class's
/// size (the dashboard reads them twice a second).
public protocol TraineeDigestReading {
    func readTraineeDigests() throws -> [TraineeDigest]
}

extension GameStore {
    /// Every player's digest, by name: in a few queries when the store reads them so, else read by read.
    public func traineeDigests() throws -> [TraineeDigest] {
        if let reader = self as? any TraineeDigestReading { return try reader.readTraineeDigests() }
        return try traineeDigestsReadByRead()
    }

    /// Every player's digest from the protocol's reads: five per player.
    public func traineeDigestsReadByRead() throws -> [TraineeDigest] {
        var latest: [String: StoredRun] = [:]
        for run in try runs(player: nil) { latest[run.player] = run }
        return try players().map { player in
            guard let run = latest[player] else { return TraineeDigest(player: player) }
            let events = try events(run: run.id)
            var digest = TraineeDigest(player: player, run: run,
                                       objectiveEvents: events.filter { $0.kind == EventKind.check || $0.kind == EventKind.verify },
                                       lastCommand: events.last { $0.kind == EventKind.command })
            for document in Document.allCases {
                digest.submissions[document] = try submission(run: run.id, document: document)
                let filled = try fields(run: run.id, document: document).values.filter { !$0.isEmpty }.count
                if filled > 0 { digest.filled[document] = filled }
            }
            return digest
        }
    }
}
