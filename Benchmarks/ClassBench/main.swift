// The class database under a room's load. TRAINEES trainees, each on a login and a connection of
// their own (row-level security, the unique event key and the notification trigger all apply),
// append events at RATE writes a second each for SECONDS s, on a schedule (a slow write does
// not slow the next one's start). An instructor's dashboard listens (ClassFeed) and, as
// `class watch` does, reads each run that a notification names once per wake-up; an event's
// dashboard delay is from the start of its write to the read that first shows it. At the end
// the instructor counts every run's events: a write that returned and is not there is lost, one
// there twice is doubled. The peer, measured after it in the same run: pgbench sending the same
// number of plain INSERTs at the same rate over as many connections (no policies, no trigger).
//
// Usage: ClassBench [TRAINEES [RATE [SECONDS]]] (default 30 5 60). Prints a Markdown table.
import FiredrillEngine
import FiredrillPostgres
import FiredrillStore
import FiredrillTestSupport
import Foundation

let arguments = CommandLine.arguments.dropFirst().compactMap(Double.init)
let trainees = Int(arguments.first ?? 30)
let rate = arguments.count > 1 ? arguments[1] : 5
let seconds = arguments.count > 2 ? arguments[2] : 60

final class Figures: @unchecked Sendable {
    private let lock = NSLock()
    var latencies: [Double] = []
    var delays: [Double] = []
    var started: [String: Date] = [:]
    var written: [String: Int] = [:]
    var failures: [String] = []
    func with<T>(_ body: (Figures) -> T) -> T { lock.withLock { body(self) } }
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func ms(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }

let cluster = try PostgresCluster.shared()
let database = try cluster.createDatabase()
let instructorURL = cluster.url(database: database)
// The test cluster runs without fsync; a class's server would not.
cluster.stop()
try cluster.start(durable: true)
let fsync = try cluster.psql("SHOW fsync")
let roles = try ClassRoles(url: instructorURL)
try roles.initialize()
let instructor = try PostgresStore(url: instructorURL)
var logins: [(name: String, store: PostgresStore)] = []
for index in 0..<trainees {
    let name = "trainee\(index)"
    let url = cluster.url(database: database, user: name, password: try roles.addTrainee(name))
    try instructor.assign(level: "payload-too-large", seed: 1, to: [name], at: Date())
    let store = try PostgresStore(url: url)
    try store.upsertRun(StoredRun(id: "run-\(index)", player: name, level: "payload-too-large", category: "http", difficulty: 1,
                                  seed: 1, state: "live", createdAt: Date(), liveAt: Date()))
    logins.append((name, store))
}

let figures = Figures()
let done = DispatchSemaphore(value: 0)
let stop = Date().addingTimeInterval(seconds + 1)

// The dashboard: woken by notifications, it reads each run named once per wake-up.
let dashboard = Thread {
    guard let feed = try? ClassFeed(url: instructorURL), let reader = try? PostgresStore(url: instructorURL) else { return }
    var seen: [String: Set<String>] = [:]
    while Date() < stop.addingTimeInterval(2) {
        let runs = Set(feed.wait(timeout: 0.2).compactMap(\.run))
        for run in runs {
            guard let events = try? reader.events(run: run) else { continue }
            let now = Date()
            for event in events where seen[run, default: []].insert(event.detail).inserted {
                figures.with { figures in
                    if let start = figures.started["\(run) \(event.detail)"] { figures.delays.append(now.timeIntervalSince(start)) }
                }
            }
        }
    }
    done.signal()
}
dashboard.start()
Thread.sleep(forTimeInterval: 0.5)

// The trainees, each on a schedule of its own, offset so that the room does not write in step.
let group = DispatchGroup()
let begin = Date().addingTimeInterval(0.2)
for (index, login) in logins.enumerated() {
    group.enter()
    Thread {
        defer { group.leave() }
        let run = "run-\(index)"
        var number = 0
        while true {
            let due = begin.addingTimeInterval((Double(number) + Double(index) / Double(trainees)) / rate)
            guard due.timeIntervalSince(begin) < seconds else { break }
            if due > Date() { Thread.sleep(until: due) }
            let detail = "proxy: curl -si localhost/upload #\(number)"
            let start = Date()
            figures.with { $0.started["\(run) \(detail)"] = start }
            do {
                try login.store.append(RunEvent(time: start, kind: EventKind.command, detail: detail), run: run)
                let latency = Date().timeIntervalSince(start)
                figures.with { $0.latencies.append(latency); $0.written[run, default: 0] += 1 }
            } catch {
                figures.with { $0.failures.append("\(error)") }
            }
            number += 1
        }
    }.start()
}
group.wait()
done.wait()

// Lost and doubled, counted by the instructor.
var lost = 0, doubled = 0
for index in 0..<trainees {
    let run = "run-\(index)"
    let events = try instructor.events(run: run)
    let distinct = Set(events.map(\.detail)).count
    doubled += events.count - distinct
    lost += max(0, figures.written[run, default: 0] - distinct)
}

// The peer: pgbench, the same inserts at the same rate, plain.
let version = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).max() ?? 15
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("classbench-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
try cluster.psql("CREATE TABLE plain_event (id BIGSERIAL PRIMARY KEY, run TEXT, time BIGINT, kind TEXT, detail TEXT)", database: database)
let script = folder.appendingPathComponent("insert.sql")
try """
    \\set run random(0, \(trainees - 1))
    INSERT INTO plain_event (run, time, kind, detail) VALUES ('run-' || :run, 0, 'command', 'proxy: curl -si localhost/upload');
    """.write(to: script, atomically: true, encoding: .utf8)
let pgbench = try ProcessRunner.run(
    ["/usr/lib/postgresql/\(version)/bin/pgbench", "-n", "-c", "\(trainees)", "-j", "2", "-R", "\(Double(trainees) * rate)",
     "-T", "\(Int(seconds))", "-f", script.path, "-l", "--log-prefix", folder.appendingPathComponent("log").path, instructorURL],
    timeout: seconds + 120, directory: folder)
var peer: [Double] = []
for file in (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [] where file.lastPathComponent.hasPrefix("log") {
    // client, transaction, latency (µs), script, epoch, µs, schedule lag (µs)
    for line in (try String(contentsOf: file, encoding: .utf8)).split(separator: "\n") {
        let fields = line.split(separator: " ")
        if fields.count >= 3, let micro = Double(fields[2]) { peer.append(micro / 1_000_000) }
    }
}
try? FileManager.default.removeItem(at: folder)

let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
print("""

    The class database under load: \(trainees) trainees × \(rate) writes/s for \(Int(seconds)) s \
    (\(ProcessInfo.processInfo.activeProcessorCount) cores, load \(load), PostgreSQL \(version), fsync \(fsync)):

    | figure | class store | pgbench plain INSERT | ratio | goal |
    |---|---|---|---|---|
    | writes | \(figures.latencies.count) | \(peer.count) | | |
    | write latency p50 (ms) | \(ms(percentile(figures.latencies, 0.5))) | \(ms(percentile(peer, 0.5))) | \(String(format: "%.2f", percentile(figures.latencies, 0.5) / percentile(peer, 0.5)))× | |
    | write latency p99 (ms) | \(ms(percentile(figures.latencies, 0.99))) | \(ms(percentile(peer, 0.99))) | \(String(format: "%.2f", percentile(figures.latencies, 0.99) / percentile(peer, 0.99)))× | ≤ 50 |
    | dashboard delay p50 / p99 / max (ms), events shown | \(ms(percentile(figures.delays, 0.5))) / \(ms(percentile(figures.delays, 0.99))) / \(ms(figures.delays.max() ?? .nan)), \(figures.delays.count) | – | | ≤ 1000 |
    | events lost / doubled | \(lost) / \(doubled) | – | | 0 / 0 |
    | failed writes | \(figures.failures.count) | \(pgbench.succeeded ? "0" : "pgbench: \(pgbench.stderr.suffix(200))") | | 0 |
    """)
if let first = figures.failures.first { print("\nFirst failure: \(first)") }
