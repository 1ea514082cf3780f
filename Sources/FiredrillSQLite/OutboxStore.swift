import FiredrillEngine
import FiredrillRules
import FiredrillStore
import Foundation
import GRDB

/// The class database as a trainee's game sees it, whether the server answers or not. Every
/// write lands first in a local SQLite file (`class/<class>.sqlite` in the data directory): a copy of
/// what this machine wrote (an `SQLiteStore`) and, in the same transaction, an entry of the
/// outbox. Entries are sent to the server in order, each removed once the server committed it;
/// while the server is away they wait, and a sender thread tries again with backoff. Every
/// write is idempotent on the server (events by their key, fields and scores by last value,
/// a submission or an attempt recognised by its time), so an entry sent twice (a lost reply, a
/// crash before its removal) counts once. A write the server refuses is kept aside, reported,
/// and the rest goes on.
///
/// Reads answer from the server when it is there and nothing waits; else from the copy, so
/// the trainee's own run, fields, attempts and submissions are there offline. In a class, the
/// trainee's login and assignment are remembered for when the server is away; the
/// instructor's class writes (assigning, grading) need the server.
public final class OutboxStore: ClassStore, @unchecked Sendable {
    /// Where the outbox sends: the class store (connected when first needed: it may be down
    /// at start), and which of its errors mean "not there" rather than "refused".
    public struct Server: Sendable {
        public var connect: @Sendable () throws -> any GameStore
        public var isUnreachable: @Sendable (Error) -> Bool

        public init(connect: @escaping @Sendable () throws -> any GameStore, isUnreachable: @escaping @Sendable (Error) -> Bool) {
            self.connect = connect
            self.isUnreachable = isUnreachable
        }
    }

    /// What waits, for the status bar and `firedrill status`.
    public struct Status: Sendable, Equatable {
        public var offline: Bool
        public var waiting: Int
        public var refused: Int
        /// Why the server is away: its last error, one line.
        public var reason: String?

        /// "class offline, 3 waiting"; nil when everything is sent.
        public var line: String? {
            var parts: [String] = []
            if offline { parts.append("class offline, \(waiting) waiting") } else if waiting > 0 { parts.append("class: \(waiting) waiting") }
            if refused > 0 { parts.append("\(refused) refused") }
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        }
    }

    /// The outbox of one class database (`class` names it, e.g. "ada@host:5432/class"): one
    /// file per class, so that what waits for one class never goes to another.
    public static func defaultURL(root: URL, class name: String) -> URL {
        let safe = String(name.map { $0.isLetter || $0.isNumber || "@.-_".contains($0) ? $0 : "_" })
        return root.appendingPathComponent("class").appendingPathComponent(safe + ".sqlite")
    }

    let copy: SQLiteStore
    let server: Server
    /// Backoff while the server is away: the first pause, and the longest.
    let pauses: (first: Double, longest: Double)
    private let lock = NSLock()
    private let sending = NSLock()
    private let wake = DispatchSemaphore(value: 0)
    /// One process sends at a time (an exclusive `flock` on `<outbox>.sqlite.send`).
    private let sendLock: Int32
    private var connected: (any GameStore)?
    private var offline = false
    private var reason: String?
    private var pause: Double
    private var nextTry = Date.distantPast
    private var closed = false
    private var sender: Thread?
    /// The server's refusals of this process's entries, for the write that waits for its answer.
    private var refusedHere: [Int64: Error] = [:]
    private var awaited: Set<Int64> = []

    /// Opens (or creates) the outbox at `url`. `sendInBackground` starts the thread that sends
    /// what waits while the server is away; without it only writes (and `deliver()`) send.
    public init(url: URL, server: Server, pauses: (first: Double, longest: Double) = (0.5, 15), sendInBackground: Bool = true) throws {
        copy = try SQLiteStore(url: url)
        self.server = server
        self.pauses = pauses
        pause = pauses.first
        try copy.queue.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, write TEXT NOT NULL, queued_at INTEGER NOT NULL, refused TEXT)
                """)
            // What the class said last (the login's trainee name, assignments), for offline reads.
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS remembered (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        }
        sendLock = open(url.path + ".send", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if sendInBackground {
            let thread = Thread { [weak self] in self?.sendWhileOpen() }
            thread.name = "class outbox"
            sender = thread
            thread.start()
        }
    }

    deinit { if sendLock >= 0 { Glibc.close(sendLock) } }

    /// Connects now: a server that is away is not an error (the outbox keeps the writes), one
    /// that refuses (a bad connection string, a refused login) is.
    public func connect() throws {
        guard lock.withLock({ connected == nil }) else { return }
        do {
            let store = try server.connect()
            lock.withLock { connected = store }
        } catch where server.isUnreachable(error) {
            away(error)
        }
    }

    /// Stops the sender thread (what waits stays in the file).
    public func close() {
        lock.withLock { closed = true }
        wake.signal()
    }

    public var status: Status {
        let counts = (try? copy.queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE refused IS NULL") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE refused IS NOT NULL") ?? 0)
        }) ?? (0, 0)
        return lock.withLock { Status(offline: offline, waiting: counts.0, refused: counts.1, reason: reason) }
    }

    /// The writes the server refused, oldest first: what was written and why it was refused.
    public func refusals() throws -> [String] {
        try copy.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT write, refused FROM outbox WHERE refused IS NOT NULL ORDER BY id").map { row in
                let write = (try? JSONDecoder().decode(Write.self, from: Data((row["write"] as String).utf8)))?.summary ?? "a write"
                return "\(write): \(row["refused"] as String)"
            }
        }
    }

    // MARK: - Sending

    /// Sends what waits, oldest first, until nothing waits or the server is away (then it
    /// waits for the backoff's next try). Returns whether nothing is left to send.
    @discardableResult
    public func deliver() -> Bool {
        sending.withLock {
            guard sendLock < 0 || flock(sendLock, LOCK_EX | LOCK_NB) == 0 else { return false }
            defer { if sendLock >= 0 { flock(sendLock, LOCK_UN) } }
            while let (id, write) = next() {
                guard let store = reach() else { return false }
                do {
                    try write.send(to: store)
                } catch where server.isUnreachable(error) {
                    away(error)
                    return false
                } catch {
                    lock.withLock { if awaited.contains(id) { refusedHere[id] = error } }
                    _ = try? copy.queue.write { db in
                        try db.execute(sql: "UPDATE outbox SET refused = ? WHERE id = ?", arguments: [Self.oneLine(error), id])
                    }
                    continue
                }
                _ = try? copy.queue.write { db in try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [id]) }
            }
            lock.withLock { if offline { back() } }
            return true
        }
    }

    /// The oldest entry not refused.
    private func next() -> (Int64, Write)? {
        guard let row = try? copy.queue.read({ db in
            try Row.fetchOne(db, sql: "SELECT id, write FROM outbox WHERE refused IS NULL ORDER BY id LIMIT 1")
        }) else { return nil }
        let id: Int64 = row["id"]
        guard let write = try? JSONDecoder().decode(Write.self, from: Data((row["write"] as String).utf8)) else {
            _ = try? copy.queue.write { db in try db.execute(sql: "UPDATE outbox SET refused = 'unreadable entry' WHERE id = ?", arguments: [id]) }
            return next()
        }
        return (id, write)
    }

    /// The server's store, unless it is away and the backoff's next try is not due.
    private func reach() -> (any GameStore)? {
        let due: Bool = lock.withLock { !offline || Date() >= nextTry }
        guard due else { return nil }
        if let store = lock.withLock({ connected }) { return store }
        do {
            let store = try server.connect()
            lock.withLock { connected = store }
            return store
        } catch {
            away(error)
            return nil
        }
    }

    private func away(_ error: Error) {
        lock.withLock {
            if offline { pause = min(pause * 2, pauses.longest) } else { pause = pauses.first }
            offline = true
            reason = Self.oneLine(error)
            nextTry = Date().addingTimeInterval(pause)
        }
    }

    /// Called with the lock held.
    private func back() {
        offline = false
        reason = nil
        pause = pauses.first
    }

    /// The sender thread: tries when the backoff says so, or when a write wakes it; also
    /// sends what other processes of this data directory left waiting.
    private func sendWhileOpen() {
        while true {
            let (stop, wait): (Bool, Double) = lock.withLock { (closed, offline ? max(nextTry.timeIntervalSinceNow, 0.05) : 5) }
            if stop { return }
            _ = wake.wait(timeout: .now() + wait)
            if lock.withLock({ closed }) { return }
            if status.waiting > 0 { deliver() }
        }
    }

    static func oneLine(_ error: Error) -> String {
        "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
    }

    // MARK: - Writes

    /// Copies a write here and queues it in one local transaction, then sends what waits
    /// unless the server is known to be away. A write the server refuses is thrown here.
    private func record<T>(_ write: Write, orElse fallback: T, _ apply: ((SQLiteStore) throws -> T)? = nil) throws -> T {
        let encoded = String(decoding: try JSONEncoder().encode(write), as: UTF8.self)
        let queue: (Database) throws -> Int64 = { db in
            try db.execute(sql: "INSERT INTO outbox (write, queued_at) VALUES (?, ?)", arguments: [encoded, StoredTime.milliseconds(Date())])
            return db.lastInsertedRowID
        }
        let (value, id): (T, Int64) = try lock.withLock {
            var id: Int64 = 0
            copy.alongside = { db in id = try queue(db) }
            defer { copy.alongside = nil }
            do {
                guard let apply else { return (fallback, try copy.queue.write(queue)) }
                return (try apply(copy), id)
            } catch StoreError.noSuchRun {
                // A run this machine has not seen (played before the outbox): the server knows it.
                copy.alongside = nil
                return (fallback, try copy.queue.write(queue))
            }
        }
        // While the server is away the sender thread tries, so that a write never waits for it.
        guard lock.withLock({ offline ? false : awaited.insert(id).inserted }) else {
            wake.signal()
            return value
        }
        deliver()
        if let refusal = lock.withLock({ awaited.remove(id); return refusedHere.removeValue(forKey: id) }) { throw refusal }
        return value
    }

    public func ensurePlayer(_ name: String) throws {
        // Every command ensures its player: once queued, it need not wait again.
        if try copy.players().contains(name) { return }
        try record(.ensurePlayer(name), orElse: ()) { try $0.ensurePlayer(name) }
    }

    public func upsertRun(_ run: StoredRun) throws {
        try record(.upsertRun(Write.Run(run)), orElse: ()) { try $0.upsertRun(run) }
    }

    @discardableResult
    public func append(_ events: [RunEvent], run: String) throws -> Int {
        try record(.append(run: run, events: events), orElse: events.count) { try $0.append(events, run: run) }
    }

    public func saveField(run: String, level: String, document: Document, field: String, value: String) throws {
        try record(.saveField(run: run, level: level, document: document.rawValue, field: field, value: value), orElse: ()) {
            try $0.saveField(run: run, level: level, document: document, field: field, value: value)
        }
    }

    @discardableResult
    public func submitReport(run: String, fields: [String: String], grades: [QuestionGrade]?, at: Date) throws -> Int {
        try record(.submitReport(run: run, fields: fields, grades: grades, at: StoredTime.milliseconds(at)), orElse: 1) {
            try $0.submitReport(run: run, fields: fields, grades: grades, at: at)
        }
    }

    public func submit(run: String, document: Document, at: Date) throws {
        try record(.submit(run: run, document: document.rawValue, at: StoredTime.milliseconds(at)), orElse: ()) {
            try $0.submit(run: run, document: document, at: at)
        }
    }

    public func review(run: String, document: Document, approve: Bool, comment: String, reviewer: String, at: Date) throws {
        let write = Write.review(run: run, document: document.rawValue, approve: approve, comment: comment, reviewer: reviewer,
                                 at: StoredTime.milliseconds(at))
        // The copy holds this machine's submissions only (an instructor's, none): the server
        // decides what may be reviewed. A review the copy cannot take is queued alone: applied
        // to the copy, its refusal would roll the queued write back with it.
        guard try copy.submission(run: run, document: document)?.status == .submitted else {
            return try record(write, orElse: ())
        }
        try record(write, orElse: ()) { copy in
            try copy.review(run: run, document: document, approve: approve, comment: comment, reviewer: reviewer, at: at)
        }
    }

    public func saveScore(run: String, card: ScoreCard, at: Date) throws {
        try record(.saveScore(run: run, card: card, at: StoredTime.milliseconds(at)), orElse: ()) {
            try $0.saveScore(run: run, card: card, at: at)
        }
    }

    // MARK: - Reads

    /// The server's answer when it is there and nothing of this machine waits for it; else
    /// (or when it turns out to be away) the copy's. `everyone` reads (the class's players,
    /// runs, submissions) ask the server even while writes wait.
    /// While the server is away a read tries it again when the backoff says so (`reach`): with
    /// nothing to send, nothing else would find out it is back.
    private func read<T>(everyone: Bool = false, _ body: (any GameStore) throws -> T) throws -> T {
        if everyone || status.waiting == 0, let store = reach() {
            do {
                let value = try body(store)
                lock.withLock { if offline { back() } }
                return value
            } catch where server.isUnreachable(error) {
                away(error)
            }
        }
        return try body(copy)
    }

    public func players() throws -> [String] { try read(everyone: true) { try $0.players() } }
    public func run(_ id: String) throws -> StoredRun? { try read { try $0.run(id) } }
    public func runs(player: String?) throws -> [StoredRun] { try read(everyone: player == nil) { try $0.runs(player: player) } }
    public func events(run: String) throws -> [RunEvent] { try read { try $0.events(run: run) } }
    public func fields(run: String, document: Document) throws -> [String: String] { try read { try $0.fields(run: run, document: document) } }
    public func attempts(run: String) throws -> [ReportAttempt] { try read { try $0.attempts(run: run) } }
    public func submission(run: String, document: Document) throws -> Submission? {
        try read { try $0.submission(run: run, document: document) }
    }
    public func submissions(document: Document, status: ReviewStatus?) throws -> [Submission] {
        try read(everyone: true) { try $0.submissions(document: document, status: status) }
    }
    public func score(run: String) throws -> ScoreCard? { try read { try $0.score(run: run) } }
}

// A class: what the trainee's game needs offline is remembered; the instructor's needs the server.
extension OutboxStore {
    struct NotAClass: Error, CustomStringConvertible {
        var description: String { "the game's database is not a class's" }
    }

    static func classStore(_ store: any GameStore) throws -> any ClassStore {
        guard let store = store as? any ClassStore else { throw NotAClass() }
        return store
    }

    /// The server's class store, or the reason it is not there.
    private func classServer() throws -> any ClassStore {
        guard let store = reach() else { throw lock.withLock { Unreachable(reason: reason ?? "the class database cannot be reached") } }
        return try Self.classStore(store)
    }

    struct Unreachable: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// Asks the server and remembers the answer (JSON); while it is away, the answer remembered.
    private func remembered<T: Codable>(_ key: String, _ ask: (any ClassStore) throws -> T) throws -> T {
        do {
            let value = try ask(try classServer())
            let text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
            _ = try? copy.queue.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO remembered (key, value) VALUES (?, ?)", arguments: [key, text])
            }
            return value
        } catch {
            if server.isUnreachable(error) { away(error) }
            guard error is Unreachable || server.isUnreachable(error),
                  let text = try copy.queue.read({ db in try String.fetchOne(db, sql: "SELECT value FROM remembered WHERE key = ?", arguments: [key]) })
            else { throw error }
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        }
    }

    struct Assignment: Codable {
        var player, level: String
        var seed: UInt64
        var assignedAt: Int64
    }

    public func trainee() throws -> String? {
        try remembered("trainee") { try $0.trainee() }
    }

    public func isInstructor() throws -> Bool {
        try remembered("instructor") { try $0.isInstructor() }
    }

    public func assignment(player: String) throws -> ClassAssignment? {
        let remembered: Assignment? = try remembered("assignment \(player)") { store in
            try store.assignment(player: player).map {
                Assignment(player: $0.player, level: $0.level, seed: $0.seed, assignedAt: StoredTime.milliseconds($0.assignedAt))
            }
        }
        return remembered.map { ClassAssignment(player: $0.player, level: $0.level, seed: $0.seed, assignedAt: StoredTime.date($0.assignedAt)) }
    }

    public func assign(level: String, seed: UInt64?, to players: [String], at: Date) throws -> [ClassAssignment] {
        try classServer().assign(level: level, seed: seed, to: players, at: at)
    }

    /// Queued as the trainee's other writes (kept once per run on the server).
    public func saveExpectedAnswers(run: String, _ answers: ExpectedAnswers) throws {
        try record(.expectedAnswers(run: run, sealed: answers.sealed, captured: answers.captured), orElse: ())
    }

    public func expectedAnswers(run: String) throws -> ExpectedAnswers? {
        try classServer().expectedAnswers(run: run)
    }

    public func saveGrades(run: String, attempt: Int, grades: [QuestionGrade]) throws {
        try classServer().saveGrades(run: run, attempt: attempt, grades: grades)
    }
}

/// One queued write, as the outbox file keeps it (JSON); times in milliseconds.
enum Write: Codable {
    struct Run: Codable {
        var id, player, level, category, state: String
        var difficulty, hints: Int
        var seed: UInt64?
        var created: Int64
        var live, mitigated, reported, closed, stopped: Int64?

        init(_ run: StoredRun) {
            let ms: (Date?) -> Int64? = { $0.map(StoredTime.milliseconds) }
            (id, player, level, category, state) = (run.id, run.player, run.level, run.category.rawValue, run.state)
            (difficulty, hints, seed, created) = (run.difficulty, run.hintsRevealed, run.seed, StoredTime.milliseconds(run.createdAt))
            (live, mitigated, reported, closed, stopped) = (ms(run.liveAt), ms(run.mitigatedAt), ms(run.reportedAt), ms(run.closedAt), ms(run.stoppedAt))
        }

        func stored() throws -> StoredRun {
            guard let category = Category(rawValue: category) else { throw StoreError.unreadable("category \(category) of run \(id)") }
            let date: (Int64?) -> Date? = { $0.map(StoredTime.date) }
            return StoredRun(id: id, player: player, level: level, category: category, difficulty: difficulty, seed: seed, state: state,
                             createdAt: StoredTime.date(created), liveAt: date(live), mitigatedAt: date(mitigated), reportedAt: date(reported),
                             closedAt: date(closed), stoppedAt: date(stopped), hintsRevealed: hints)
        }
    }

    case ensurePlayer(String)
    case upsertRun(Run)
    case append(run: String, events: [RunEvent])
    case saveField(run: String, level: String, document: String, field: String, value: String)
    case submitReport(run: String, fields: [String: String], grades: [QuestionGrade]?, at: Int64)
    case expectedAnswers(run: String, sealed: SealedAnswers?, captured: [String: String])
    case submit(run: String, document: String, at: Int64)
    case review(run: String, document: String, approve: Bool, comment: String, reviewer: String, at: Int64)
    case saveScore(run: String, card: ScoreCard, at: Int64)

    /// Sends the write. Each is idempotent, so that an entry sent again after a lost reply or
    /// a crash before its removal counts once: events are unique by their key, fields and
    /// scores take the last value, and a submission, an attempt or a review already there with
    /// the same time is not made again.
    func send(to store: any GameStore) throws {
        switch self {
        case let .ensurePlayer(name):
            try store.ensurePlayer(name)
        case let .upsertRun(run):
            try store.upsertRun(try run.stored())
        case let .append(run, events):
            try store.append(events, run: run)
        case let .saveField(run, level, document, field, value):
            try store.saveField(run: run, level: level, document: try Self.document(document), field: field, value: value)
        case let .submitReport(run, fields, grades, at):
            guard try !store.attempts(run: run).contains(where: { StoredTime.milliseconds($0.submittedAt) == at && $0.fields == fields }) else { return }
            try store.submitReport(run: run, fields: fields, grades: grades, at: StoredTime.date(at))
        case let .submit(run, document, at):
            let document = try Self.document(document)
            if let there = try store.submission(run: run, document: document), StoredTime.milliseconds(there.submittedAt) == at { return }
            try store.submit(run: run, document: document, at: StoredTime.date(at))
        case let .review(run, document, approve, comment, reviewer, at):
            let document = try Self.document(document)
            if let there = try store.submission(run: run, document: document), there.reviewer == reviewer,
               there.reviewedAt.map(StoredTime.milliseconds) == at { return }
            try store.review(run: run, document: document, approve: approve, comment: comment, reviewer: reviewer, at: StoredTime.date(at))
        case let .saveScore(run, card, at):
            try store.saveScore(run: run, card: card, at: StoredTime.date(at))
        case let .expectedAnswers(run, sealed, captured):
            try OutboxStore.classStore(store).saveExpectedAnswers(run: run, ExpectedAnswers(sealed: sealed, captured: captured))
        }
    }

    static func document(_ name: String) throws -> Document {
        guard let document = Document(rawValue: name) else { throw StoreError.unreadable("document \(name)") }
        return document
    }

    /// What the write was, for the list of refusals.
    var summary: String {
        switch self {
        case let .ensurePlayer(name): return "player \(name)"
        case let .upsertRun(run): return "run \(run.id)"
        case let .append(run, events): return "\(events.count) event(s) of run \(run)"
        case let .saveField(run, _, document, field, _): return "\(document) field \(field) of run \(run)"
        case let .submitReport(run, _, _, _): return "incident report of run \(run)"
        case let .submit(run, document, _): return "\(document) submission of run \(run)"
        case let .review(run, document, _, _, _, _): return "review of the \(document) of run \(run)"
        case let .saveScore(run, _, _): return "score of run \(run)"
        case let .expectedAnswers(run, _, _): return "expected answers of run \(run)"
        }
    }
}
