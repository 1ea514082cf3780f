// A writer for the store's kill -9 test: `StoreWriter <database path>` writes runs until it is
// killed. Each run is "w<n>", numbered on from the runs already in the database, and is written
// the way the game writes one: the run upserted, 50 events in one batch (one transaction), a
// report field. "saved <n>" goes to stdout, unbuffered, once all three have committed.
import FiredrillEngine
import FiredrillSQLite
import FiredrillStore
import Foundation

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: StoreWriter <database path>\n".utf8))
    exit(2)
}

do {
    let store = try SQLiteStore(url: URL(fileURLWithPath: CommandLine.arguments[1]))
    var number = try store.runs(player: nil).count
    while true {
        let id = "w\(number)"
        let now = Date()
        try store.upsertRun(StoredRun(id: id, player: "writer", level: "cors", category: "http", difficulty: 1,
                                      seed: UInt64(number), state: "live", createdAt: now, liveAt: now))
        let events = (0..<50).map { index in
            RunEvent(time: now.addingTimeInterval(Double(index) / 1000), kind: EventKind.command, detail: "proxy: command \(index) of \(id)")
        }
        try store.append(events, run: id)
        try store.saveField(run: id, level: "cors", document: .report, field: "title", value: "report of \(id)")
        FileHandle.standardOutput.write(Data("saved \(number)\n".utf8))
        number += 1
    }
} catch {
    FileHandle.standardError.write(Data("StoreWriter: \(error)\n".utf8))
    exit(1)
}
