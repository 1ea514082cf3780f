import Foundation

/// A check proves something about a live run: through the real app (HTTP), inside an instance
/// (a command, a SQL query, a process, a file, a resource figure), or in the run's workspace.
/// Checks compose with `all`, `any` and `not`; `after` first disrupts the run (restart an
/// instance, remove a path, wait) and is therefore only evaluated on an explicit verify.
public indirect enum Check: Sendable, Equatable {
    /// A check of one kind (`Checks/Kinds/`).
    case kind(any CheckKind)
    case all([Check])
    case any([Check])
    case not(Check)
    /// After the disruptions, the check must come to hold within `within` seconds (default 45),
    /// and then keep holding on every sample for `hold` seconds (a flapping fix does not).
    case after([Disruption], Check, within: Double? = nil, hold: Double? = nil)

    public static func == (a: Check, b: Check) -> Bool {
        switch (a, b) {
        case let (.kind(a), .kind(b)): return CheckKinds.equal(a, b)
        case let (.all(a), .all(b)), let (.any(a), .any(b)): return a == b
        case let (.not(a), .not(b)): return a == b
        case let (.after(d1, c1, w1, h1), .after(d2, c2, w2, h2)): return d1 == d2 && c1 == c2 && w1 == w2 && h1 == h2
        default: return false
        }
    }

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
        case let .kind(check): return check.instances
        case let .all(checks), let .any(checks): return checks.flatMap(\.instances)
        case let .not(check): return check.instances
        case let .after(disruptions, check, _, _): return disruptions.compactMap(\.instance) + check.instances
        }
    }

    /// Every named port the check refers to.
    public var ports: [String] {
        switch self {
        case let .kind(check): return check.ports
        case let .all(checks), let .any(checks): return checks.flatMap(\.ports)
        case let .not(check), let .after(_, check, _, _): return check.ports
        }
    }
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
