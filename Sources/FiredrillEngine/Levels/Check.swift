import Foundation

/// A check proves something about a live run: through the real app (HTTP), inside an instance
/// (a command, a SQL query, a process, a file, a resource figure), or in the run's workspace.
/// Checks compose with `all`, `any` and `not`; `after` first disrupts the run (restart an
/// instance, remove a path, wait) and is therefore only evaluated on an explicit verify.
public indirect enum Check: Sendable, Equatable {
    case http(HTTPCheck)
    case command(CommandCheck)
    case sql(SQLCheck)
    case process(ProcessCheck)
    case file(FileCheck)
    case resource(ResourceCheck)
    case all([Check])
    case any([Check])
    case not(Check)
    /// After the disruptions, the check must come to hold within `within` seconds (default 45),
    /// and then keep holding on every sample for `hold` seconds (a flapping fix does not).
    case after([Disruption], Check, within: Double? = nil, hold: Double? = nil)

    /// True when evaluating the check disturbs the run, so it must wait for an explicit verify.
    public var isDisruptive: Bool {
        switch self {
        case .after: return true
        case let .all(checks), let .any(checks): return checks.contains { $0.isDisruptive }
        case let .not(check): return check.isDisruptive
        default: return false
        }
    }

    /// Every instance name the check refers to, for validation against the scenario.
    public var instances: [String] {
        switch self {
        case let .http(check): return check.instance.map { [$0] } ?? []
        case let .command(check): return [check.instance]
        case let .sql(check): return [check.instance]
        case let .process(check): return [check.instance]
        case let .file(check): return check.instance.map { [$0] } ?? []
        case let .resource(check): return [check.instance]
        case let .all(checks), let .any(checks): return checks.flatMap(\.instances)
        case let .not(check): return check.instances
        case let .after(disruptions, check, _, _): return disruptions.compactMap(\.instance) + check.instances
        }
    }

    /// Every named port an HTTP check refers to.
    public var ports: [String] {
        switch self {
        case let .http(check): return check.port.map { [$0] } ?? []
        case let .all(checks), let .any(checks): return checks.flatMap(\.ports)
        case let .not(check), let .after(_, check, _, _): return check.ports
        default: return []
        }
    }
}

/// An HTTP request to one of the run's published ports, as a browser or a client would send it.
public struct HTTPCheck: Sendable, Equatable {
    /// A named port of the scenario (`app`, `api`); the request goes to 127.0.0.1 on it.
    public var port: String?
    /// Run the request from inside this instance instead of from the host (with `url`).
    public var instance: String?
    /// A full URL, used from inside `instance`.
    public var url: String?
    public var path: String = "/"
    public var method: String = "GET"
    public var headers: [String: String] = [:]
    public var body: String?
    /// Upload a generated file of this many bytes as multipart field `file`.
    public var upload: Int?
    public var status: [Int] = [200]
    /// The median time of the samples must stay under this many seconds.
    public var latency: Double?
    public var samples: Int = 1
    /// Regular expressions the response body must match / must not match.
    public var bodyMatches: String?
    public var bodyExcludes: String?
    /// Response headers that must be present and match a regular expression.
    public var responseHeaders: [String: String] = [:]
    /// Response headers that must be absent.
    public var absentHeaders: [String] = []
    public var timeout: Double = 30
}

/// A shell command run inside an instance (`sh -c`).
public struct CommandCheck: Sendable, Equatable {
    public var instance: String
    public var run: String
    public var user: String?
    public var exit: Int = 0
    public var output: String?
    public var outputExcludes: String?
    public var timeout: Double = 30
}

/// A SQL query run with the engine's own client inside a database instance: `mysql --batch
/// --skip-column-names` for MariaDB, `psql -X -A -t -F<tab>` as the postgres user for PostgreSQL;
/// both print one row a line, its columns separated by tabs.
public struct SQLCheck: Sendable, Equatable {
    /// The database engines a `sql` check can query.
    public enum Engine: String, Sendable, Equatable, CaseIterable {
        case mariadb
        case postgresql

        /// The client it is queried with.
        public var client: String { self == .mariadb ? "mysql" : "psql" }
    }

    /// MariaDB on `db` unless the check names them: the defaults of the levels written before
    /// a scenario had another engine.
    public var engine: Engine = .mariadb
    public var instance: String = "db"
    public var database: String?
    public var query: String
    public var output: String?
    public var outputExcludes: String?
    public var timeout: Double = 30
}

/// A process inside an instance, by exact name or by a pattern of its command line.
public struct ProcessCheck: Sendable, Equatable {
    public var instance: String
    public var name: String?
    public var pattern: String?
    public var user: String?
    public var present: Bool = true
}

/// A file or directory, inside an instance or (without `instance`) in the run's workspace, where
/// `path` may be a glob.
public struct FileCheck: Sendable, Equatable {
    public var instance: String?
    public var path: String
    public var exists: Bool = true
    public var owner: String?
    public var mode: String?
    public var worldWritable: Bool?
    public var writableBy: String?
    public var contains: String?
}

/// A resource figure of one instance against a threshold.
public struct ResourceCheck: Sendable, Equatable {
    public var instance: String
    /// Memory use as a percentage of the instance's limit must stay under this.
    public var memoryBelow: Double?
    /// CPU use as a percentage of one core must stay under this.
    public var cpuBelow: Double?
    /// Free space on the filesystem holding `diskPath` must stay above this percentage.
    public var diskPath: String?
    public var diskFreeAbove: Double?
}

/// Something a verify does to the run before re-checking, to prove a fix is durable.
public enum Disruption: Sendable, Equatable {
    case restart(instance: String)
    case remove(instance: String, path: String)
    case wait(seconds: Double)
    case run(instance: String, command: String, user: String?)

    public var instance: String? {
        switch self {
        case let .restart(instance), let .remove(instance, _), let .run(instance, _, _): return instance
        case .wait: return nil
        }
    }

    public var summary: String {
        switch self {
        case let .restart(instance): return "restart \(instance)"
        case let .remove(instance, path): return "remove \(path) on \(instance)"
        case let .wait(seconds): return "wait \(Int(seconds))s"
        case let .run(instance, command, _): return "run `\(CheckEvaluator.headline(command))` on \(instance)"
        }
    }
}
