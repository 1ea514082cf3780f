import FiredrillEngine
import FiredrillStore
import Foundation

/// The class dashboard's reads in five queries for the whole class (not five per trainee).
extension PostgresStore: TraineeDigestReading {
    public func readTraineeDigests() throws -> [TraineeDigest] {
        let latest = "SELECT DISTINCT ON (player) id FROM run ORDER BY player, created_at DESC, position DESC"
        return try read { db in
            let players = try db.execute("SELECT name FROM player ORDER BY name COLLATE \"C\"").all.compactMap { $0["name"] }
            var runs: [String: StoredRun] = [:]
            for row in try db.execute("SELECT * FROM run WHERE id IN (\(latest))").all {
                let run = try Self.storedRun(row)
                runs[run.id] = run
            }
            var objectiveEvents: [String: [RunEvent]] = [:], lastCommand: [String: RunEvent] = [:]
            for row in try db.execute("""
                (SELECT run, time, kind, detail, payload, id FROM event WHERE run IN (\(latest)) AND kind IN ('check', 'verify'))
                UNION ALL
                (SELECT DISTINCT ON (run) run, time, kind, detail, payload, id FROM event
                 WHERE run IN (\(latest)) AND kind = 'command' ORDER BY run, time DESC, id DESC)
                ORDER BY run, time, id
                """).all {
                guard let run = row["run"], let time = Self.date(row, "time"), let kind = row["kind"], let detail = row["detail"] else {
                    throw StoreError.unreadable("an event of run \(row["run"] ?? "?")")
                }
                let event = RunEvent(time: time, kind: kind, detail: detail, payload: try StoredJSON.payload(row["payload"], run: run))
                if kind == EventKind.command { lastCommand[run] = event } else { objectiveEvents[run, default: []].append(event) }
            }
            var submissions: [String: [Document: Submission]] = [:]
            for row in try db.execute("SELECT * FROM submission WHERE run IN (\(latest))").all {
                let submission = try Self.submission(row)
                submissions[submission.run, default: [:]][submission.document] = submission
            }
            var filled: [String: [Document: Int]] = [:]
            for row in try db.execute("""
                SELECT run, document, count(*) AS filled FROM document_field
                WHERE run IN (\(latest)) AND value <> '' GROUP BY run, document
                """).all {
                if let run = row["run"], let document = row["document"].flatMap(Document.init(rawValue:)) {
                    filled[run, default: [:]][document] = Int(row.int("filled") ?? 0)
                }
            }
            let byPlayer = Dictionary(runs.values.map { ($0.player, $0) }) { first, _ in first }
            return players.map { player in
                guard let run = byPlayer[player] else { return TraineeDigest(player: player) }
                return TraineeDigest(player: player, run: run, objectiveEvents: objectiveEvents[run.id] ?? [],
                                     lastCommand: lastCommand[run.id], submissions: submissions[run.id] ?? [:],
                                     filled: filled[run.id] ?? [:])
            }
        }
    }
}
