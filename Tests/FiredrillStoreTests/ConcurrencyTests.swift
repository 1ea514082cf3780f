import FiredrillEngine
import FiredrillRules
import FiredrillSQLite
import FiredrillStore
import FiredrillTestSupport
import Foundation
import Testing

/// Two stores on one file are two connections, as the console and the command line are.
@Suite struct SharedFile {
    @Test func twoStoresSeeEachOthersWrites() throws {
        let console = try temporaryStore()
        let cli = try SQLiteStore(url: console.url)

        try cli.upsertRun(sampleRun())
        #expect(try console.run("r1") == sampleRun())
        try console.save(run: "r1", level: "payload-too-large", field: "title", value: "Uploads refused")
        #expect(try cli.load(run: "r1") == ["title": "Uploads refused"])
        try cli.append(RunEvent(time: at(1), kind: EventKind.live, detail: ""), run: "r1")
        #expect(try console.events(run: "r1").count == 1)
        try console.submit(run: "r1", document: .report, at: at(2))
        #expect(try cli.run("r1")?.reportedAt == at(2))
        #expect(try cli.submission(run: "r1", document: .report)?.status == .submitted)
        try cli.saveScore(run: "r1", card: ScoreCard(lines: [], total: 90, passed: true), at: at(3))
        #expect(try console.score(run: "r1")?.total == 90)
    }

    @Test func twoStoresWritingAtOnceLoseNothing() throws {
        let first = try temporaryStore()
        let stores = [first, try SQLiteStore(url: first.url)]
        try first.upsertRun(sampleRun())
        let failures = Collected<String>()
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            do {
                for batch in 0..<50 {
                    let events = (0..<5).map { RunEvent(time: at(Double(batch)), kind: EventKind.command, detail: "writer \(writer) batch \(batch) #\($0)") }
                    try stores[writer].append(events, run: "r1")
                    try stores[writer].save(run: "r1", level: "cors", field: "writer \(writer)", value: "\(batch)")
                }
            } catch {
                failures.add("writer \(writer): \(error)")
            }
        }
        #expect(failures.all == [])
        #expect(try first.events(run: "r1").count == 500)
        #expect(try first.load(run: "r1") == ["writer 0": "49", "writer 1": "49"])
    }

    @Test func storesOpeningANewFileAtOnceAllMigrateIt() throws {
        for _ in 0..<5 {
            let url = temporaryDatabase()
            let failures = Collected<String>()
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do {
                    let store = try SQLiteStore(url: url)
                    try store.ensurePlayer("ada")
                } catch {
                    failures.add("\(error)")
                }
            }
            #expect(failures.all == [])
            #expect(try SQLiteStore(url: url).players() == ["ada"])
        }
    }
}
