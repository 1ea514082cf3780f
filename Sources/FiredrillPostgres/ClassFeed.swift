import Foundation

/// A change in the class database, as a listener learns it.
public enum ClassChange: Equatable, Sendable {
    /// A row of `table` (run, event, document_field, submission, report_attempt, score) was
    /// written for `run` of `player` (nil for a document field of a run not in the database).
    case row(table: String, run: String, player: String?)
    /// The feed's connection broke and was opened again: what changed in between was not told,
    /// so a reader loads everything it shows again.
    case reconnected

    /// The run it names; nil for a reconnection.
    public var run: String? {
        if case let .row(_, run, _) = self { return run }
        return nil
    }
}

/// The class database's changes as they happen, for a screen that follows runs live: its own
/// connection LISTENs to channel `firedrill`, which the schema's triggers notify on every
/// write to a run or what hangs off it.
///
/// A notification is not covered by row-level security: any login of the class (a trainee's
/// too) may LISTEN and sees every trainee's notifications. So the payload carries the table,
/// the run id and the player's name only, never a value: player names are visible to every
/// login anyway (`pg_roles`), and a run id opens nothing (the policies go by player), but it
/// does tell a trainee when another trainee is playing and how busy they are.
///
/// Use: poll `socket` for reading (and call `drain()` at least once a second, so a broken
/// connection is opened again), then `drain()`.
public final class ClassFeed {
    /// The channel the triggers notify.
    public static let channel = "firedrill"
    /// The tables whose writes are told.
    static let tables = ["run", "event", "document_field", "submission", "report_attempt", "score"]

    private let db: Connection
    private var listening = false

    /// Connects and LISTENs; `patience` is how long each reconnection keeps trying (short: a
    /// poll loop waits on it).
    public init(url: String, patience: Double = 0.5) throws {
        db = try Connection(url: url, patience: patience)
        try listen()
    }

    private func listen() throws {
        try db.execute("LISTEN \(Self.channel)")
        listening = true
    }

    /// The socket to poll for reading; -1 while the connection is down (poll with a timeout and
    /// call `drain()` to try again).
    public var socket: Int32 { db.socket }

    /// True while the feed listens; false between a broken connection and its reopening.
    public var isConnected: Bool { listening }

    /// The server process behind the feed's connection.
    var backendPID: Int32 { db.backendPID }

    /// The changes told since the last call, oldest first, without waiting. After the connection
    /// broke, the call that opens it again returns `.reconnected` first; while the server stays
    /// away it returns nothing.
    public func drain() -> [ClassChange] {
        var changes: [ClassChange] = []
        if !listening {
            guard (try? listen()) != nil else { return [] }
            changes.append(.reconnected)
        }
        guard let payloads = db.notifications() else {
            listening = false
            return changes + drain()
        }
        return changes + payloads.compactMap(Self.change)
    }

    /// Waits up to `timeout` seconds for a change, then drains.
    public func wait(timeout: Double) -> [ClassChange] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let changes = drain()
            let left = deadline.timeIntervalSinceNow
            if !changes.isEmpty || left <= 0 { return changes }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            if descriptor.fd < 0 {
                Thread.sleep(forTimeInterval: min(left, 0.2))
            } else {
                _ = poll(&descriptor, 1, Int32(min(left, 1) * 1000))
            }
        }
    }

    struct Payload: Decodable {
        var table: String
        var run: String
        var player: String?
    }

    static func change(_ payload: String) -> ClassChange? {
        guard let decoded = try? JSONDecoder().decode(Payload.self, from: Data(payload.utf8)) else { return nil }
        return .row(table: decoded.table, run: decoded.run, player: decoded.player)
    }
}
