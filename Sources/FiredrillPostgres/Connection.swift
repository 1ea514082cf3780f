import CLibPQ
import Foundation

/// What the PostgreSQL store reports, in one line each.
public enum PostgresError: Error, Equatable, CustomStringConvertible {
    /// The connection string cannot be read.
    case badURL(String)
    /// The server cannot be reached, or refused the login, after the retries.
    case unreachable(String)
    /// A statement failed; `state` is the SQLSTATE (42501: not allowed, 23505: duplicate…).
    case statement(state: String, message: String)

    public var description: String {
        switch self {
        case let .badURL(message): return "the class database's connection string is not valid: \(message)"
        case let .unreachable(message): return "the class database cannot be reached: \(message)"
        case let .statement(state, message): return "the class database refused a statement (\(state)): \(message)"
        }
    }

    /// The server is not there, or the connection broke: worth another try.
    public var isConnectionLost: Bool {
        switch self {
        case let .unreachable(message): return !Self.isLoginRefused(message)
        case let .statement(state, _): return state.hasPrefix("08") || state == "57P01" || state == "57P03"
        case .badURL: return false
        }
    }

    /// The server answered and refused the login: trying again will not help.
    static func isLoginRefused(_ message: String) -> Bool {
        message.contains("password authentication failed") || message.contains("does not exist") || message.contains("no pg_hba.conf entry")
    }
}

/// The rows a statement returned, as text (libpq's text format), by column name.
struct Rows {
    var columns: [String]
    var values: [[String?]]

    var count: Int { values.count }

    func row(_ index: Int) -> Row { Row(columns: columns, values: values[index]) }
    var all: [Row] { values.indices.map(row) }
    var first: Row? { values.isEmpty ? nil : row(0) }

    struct Row {
        var columns: [String]
        var values: [String?]

        subscript(_ column: String) -> String? {
            columns.firstIndex(of: column).flatMap { values[$0] }
        }

        func int(_ column: String) -> Int64? { self[column].flatMap { Int64($0) } }
    }
}

/// One libpq connection, used by one thread at a time (the store holds a lock around it). A
/// connection that broke is opened again, with backoff, before the next statement.
final class Connection {
    let url: String
    /// How long reconnecting keeps trying before the server counts as unreachable.
    var patience: Double
    private var handle: OpaquePointer?

    init(url: String, patience: Double = 5) throws {
        self.url = url
        self.patience = patience
        _ = try Self.options(url)
        try open()
    }

    /// The options a connection string gives (user, host, port, dbname…), by keyword.
    static func options(_ url: String) throws -> [String: String] {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &error) else {
            let message = error.map { String(cString: $0) } ?? "unreadable"
            PQfreemem(error)
            throw PostgresError.badURL(message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return values
    }

    deinit { PQfinish(handle) }

    /// Opens the connection, trying again with growing pauses for up to `patience` seconds; a
    /// refused login is not tried again.
    private func open() throws {
        let deadline = Date().addingTimeInterval(patience)
        var pause = 0.05
        while true {
            PQfinish(handle)
            handle = PQconnectdb(url)
            if PQstatus(handle) == CONNECTION_OK {
                // Notices (a table that already exists) are not for the trainee's screen.
                PQsetNoticeProcessor(handle, { _, _ in }, nil)
                return
            }
            let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            if PostgresError.isLoginRefused(message) || Date().addingTimeInterval(pause) > deadline {
                PQfinish(handle)
                handle = nil
                throw PostgresError.unreachable(Self.firstLine(message))
            }
            Thread.sleep(forTimeInterval: pause)
            pause = min(pause * 2, 1)
        }
    }

    static func firstLine(_ message: String) -> String {
        message.split(separator: "\n").first.map(String.init) ?? message
    }

    /// The socket libpq reads, for a poll loop waiting on notifications; -1 while closed.
    var socket: Int32 { handle == nil ? -1 : PQsocket(handle) }

    /// The server process behind the connection (a test ends it to break the connection).
    var backendPID: Int32 { PQbackendPID(handle) }

    /// The payloads of the notifications that arrived, without waiting; nil when the connection
    /// broke (it is closed, and the next statement opens it again).
    func notifications() -> [String]? {
        guard handle != nil, PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else {
            PQfinish(handle)
            handle = nil
            return nil
        }
        var payloads: [String] = []
        while let notice = PQnotifies(handle) {
            payloads.append(String(cString: notice.pointee.extra))
            PQfreemem(notice)
        }
        return payloads
    }

    /// Runs one statement with text parameters ($1, $2…); nil is SQL NULL.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws -> Rows {
        if handle == nil || PQstatus(handle) != CONNECTION_OK { try open() }
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer<CChar>($0) }
        let result = pointers.withUnsafeBufferPointer { buffer in
            PQexecParams(handle, sql, Int32(parameters.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? "08000"
            let message = String(cString: PQresultErrorMessage(result ?? nil)).trimmingCharacters(in: .whitespacesAndNewlines)
            if PQstatus(handle) != CONNECTION_OK {
                throw PostgresError.statement(state: state.hasPrefix("08") ? state : "08006", message: Self.firstLine(message.isEmpty ? String(cString: PQerrorMessage(handle)) : message))
            }
            throw PostgresError.statement(state: state, message: Self.firstLine(message))
        }
        let columns = (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
        let values = (0..<PQntuples(result)).map { row in
            (0..<Int32(columns.count)).map { column -> String? in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
        return Rows(columns: columns, values: values)
    }

    /// Runs `body` in one transaction; a transaction that failed because the connection broke
    /// before it committed, or lost a serialization race, runs again (once per reconnect). A
    /// connection lost during COMMIT is not: the server may have committed, and only the
    /// caller can tell (the class outbox sends its writes so that a second time counts once).
    @discardableResult
    func transaction<T>(_ body: () throws -> T) throws -> T {
        var attempts = 0
        while true {
            attempts += 1
            var committing = false
            do {
                try execute("BEGIN")
                do {
                    let value = try body()
                    committing = true
                    try execute("COMMIT")
                    return value
                } catch {
                    _ = try? execute("ROLLBACK")
                    throw error
                }
            } catch let error as PostgresError where attempts < 3 && !(committing && error.isConnectionLost) {
                guard case let .statement(state, _) = error, state == "40001" || state == "40P01" || error.isConnectionLost else { throw error }
            }
        }
    }
}
