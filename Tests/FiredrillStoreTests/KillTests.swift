import FiredrillEngine
import FiredrillSQLite
import FiredrillStore
import Foundation
import Testing

/// A writer process (Tests/StoreWriter) is killed with SIGKILL while it writes, three times on
/// the same file: every run it reported saved is whole, and no run holds part of a batch.
@Suite struct KilledWriter {
    /// Launches the writer, reads its stdout until it has reported `saves` runs, kills it.
    /// Returns the numbers of the runs it reported saved.
    func writeAndKill(database: URL, after saves: Int) throws -> [Int] {
        let process = Process()
        process.executableURL = storeWriterBinary
        process.arguments = [database.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()

        // The deadline is only a safety net for a writer that hangs: the pipe is what the test waits on.
        let killer = Killer(process.processIdentifier, deadline: 60)

        var saved: [Int] = []
        let lines = LineReader(output.fileHandleForReading)
        while saved.count < saves, let line = lines.next() {
            if line.hasPrefix("saved "), let number = Int(line.dropFirst(6)) { saved.append(number) }
        }
        killer.stop()
        process.waitUntilExit()

        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(saved.count == saves, "the writer stopped early: \(stderr)")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL,
                "the writer was not the one killed: \(stderr)")
        return saved
    }

    @Test func everySavedRunIsWholeAfterEachKill() throws {
        let database = temporaryDatabase()
        var confirmed: [Int] = []
        var runCount = 0
        for saves in [10, 40, 100] {
            let saved = try writeAndKill(database: database, after: saves)
            #expect(saved.first == runCount, "the writer numbers on from the runs stored")
            confirmed += saved

            let store = try SQLiteStore(url: database)
            #expect(try store.integrityCheck())
            let runs = try store.runs(player: "writer")
            runCount = runs.count
            let stored = Set(runs.map(\.id))
            for number in confirmed {
                let id = "w\(number)"
                #expect(stored.contains(id), "run \(id) was reported saved")
                #expect(try store.events(run: id).count == 50, "run \(id) was reported saved")
                #expect(try store.load(run: id) == ["title": "report of \(id)"])
            }
            for run in runs {
                let events = try store.events(run: run.id)
                #expect(events.count == 0 || events.count == 50, "run \(run.id) holds \(events.count) events")
                if events.isEmpty {
                    #expect(try store.load(run: run.id) == [:], "run \(run.id): the field is saved after the events")
                } else {
                    let own = Set((0..<50).map { "proxy: command \($0) of \(run.id)" })
                    #expect(Set(events.map(\.detail)) == own, "run \(run.id) holds events that are not its batch")
                }
            }
        }
        #expect(confirmed.count == 150)
        #expect(zip(confirmed, confirmed.dropFirst()).allSatisfy { $0 < $1 })
    }
}
