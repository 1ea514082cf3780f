import Foundation

/// Where a run's instances live. Compose on the local Docker engine is the first implementation;
/// shared Docker hosts or a cluster can implement the same interface.
public protocol Runtime: Sendable {
    /// Fails with a clear error when the runtime cannot be used (Docker missing or stopped).
    func ensureAvailable() throws
    /// Builds an image from a context folder unless an up-to-date one exists; `force` rebuilds
    /// it from scratch.
    func buildImage(tag: String, context: URL, force: Bool) throws
    func imageExists(_ tag: String) -> Bool
    /// Creates and starts every instance of a project from its compose file.
    func up(project: Project) throws
    /// Removes everything of a project: containers, networks, volumes.
    func down(project: Project) throws
    /// The instances of a project as the runtime sees them.
    func instances(project: String) throws -> [InstanceStatus]
    /// The names of every project this runtime holds whose name starts with `prefix`.
    func projects(prefix: String) throws -> [String]
    /// The folder a project was started from, when the runtime recorded it.
    func workingDirectory(project: String) -> String?
    /// When the oldest part of a project (its network) was made: a project still being made has
    /// a network before it has containers, and so no working directory yet.
    func createdAt(project: String) -> Date?
    /// Runs a command inside an instance, without a terminal; returns its output and exit status.
    /// Throws when the command could not be run there (no such instance, the instance stopped,
    /// no such program or user), so that a caller never reads that as the command's status.
    func exec(project: String, instance: String, command: [String], user: String?, detach: Bool, timeout: Double?) throws -> ProcessOutput
    /// The command line that opens an interactive shell (or runs `command`) in an instance.
    func shellCommand(project: String, instance: String, command: [String], tty: Bool, environment: [String: String]) throws -> [String]
    /// Restarts an instance in place, keeping its state (never recreates it).
    func restart(project: String, instance: String) throws
    /// Freezes every instance of a project where it stands (no CPU; memory stays held).
    func pause(project: String) throws
    /// Thaws what `pause` froze; instances that are not paused are left as they are.
    func unpause(project: String) throws
    /// One sample of an instance's resource use.
    func stats(project: String, instance: String) throws -> InstanceStats
    /// A live feed of an instance's figures, as listed by `instances`. Throws when the runtime
    /// cannot be reached.
    func statsStream(_ instance: InstanceStatus) throws -> any StatsStream
    /// Whether the runtime answers, within about a second: cheap enough to ask every few seconds.
    func ping() -> Bool
}

/// A compose project: its name, the workspace it runs from, its compose file.
public struct Project: Sendable, Equatable, Codable {
    public var name: String
    public var directory: URL
    public var composeFile: String

    public init(name: String, directory: URL, composeFile: String) {
        self.name = name
        self.directory = directory
        self.composeFile = composeFile
    }
}

public struct InstanceStatus: Sendable, Equatable, Codable {
    public var name: String
    public var container: String
    public var running: Bool
    public var state: String

    public init(name: String, container: String, running: Bool, state: String) {
        self.name = name
        self.container = container
        self.running = running
        self.state = state
    }
}

public struct InstanceStats: Sendable, Equatable {
    public var cpuPercent: Double
    public var memoryPercent: Double
    public var memoryBytes: Double
    public var pids: Int

    public init(cpuPercent: Double, memoryPercent: Double, memoryBytes: Double, pids: Int) {
        self.cpuPercent = cpuPercent
        self.memoryPercent = memoryPercent
        self.memoryBytes = memoryBytes
        self.pids = pids
    }
}

extension InstanceStats {
    /// The figures of one stats frame, as `docker stats` shows them (no CPU figure yet: 0%).
    public init(_ frame: ContainerStatsFrame) {
        self.init(cpuPercent: frame.cpuPercent ?? 0, memoryPercent: frame.memoryPercent ?? 0, memoryBytes: Double(frame.memoryUsed), pids: frame.pids)
    }
}
