import Foundation
import FiredrillEngine

/// A runtime that records what the engine asks of it and answers from closures.
public final class FakeRuntime: Runtime, @unchecked Sendable {
    private let lock = NSLock()
    private var _calls: [String] = []
    public var calls: [String] { lock.withLock { _calls } }
    /// Answers execs; throwing (`EngineError.execFailed`) plays docker failing to run the command.
    public var execHandler: @Sendable (_ instance: String, _ command: [String], _ user: String?) throws -> ProcessOutput = { _, _, _ in
        ProcessOutput(status: 0, stdout: "", stderr: "")
    }
    public var statsHandler: @Sendable (_ instance: String) throws -> InstanceStats = { _ in
        InstanceStats(cpuPercent: 1, memoryPercent: 10, memoryBytes: 1, pids: 3)
    }
    public var available = true
    public var projectsUp: Set<String> = []

    public init() {}

    private func record(_ call: String) { lock.withLock { _calls.append(call) } }

    public func ensureAvailable() throws {
        if !available { throw EngineError.dockerStopped(detail: "fake") }
    }
    public func buildImage(tag: String, context: URL, force: Bool) throws { record("build \(tag)") }
    public func imageExists(_ tag: String) -> Bool { true }
    public func up(project: Project) throws {
        record("up \(project.name)")
        lock.withLock { _ = projectsUp.insert(project.name) }
    }
    public func down(project: Project) throws {
        record("down \(project.name)")
        lock.withLock {
            _ = projectsUp.remove(project.name)
            _ = _paused.remove(project.name)
        }
    }
    public func instances(project: String) throws -> [InstanceStatus] {
        let paused = lock.withLock { _paused.contains(project) }
        return ["backend", "db"].map { InstanceStatus(name: $0, container: "c-\($0)", running: !paused, state: paused ? "paused" : "running") }
    }
    public func projects(prefix: String) throws -> [String] { lock.withLock { projectsUp.filter { $0.hasPrefix(prefix) }.sorted() } }
    public var workingDirectories: [String: String] = [:]
    public func workingDirectory(project: String) -> String? { lock.withLock { workingDirectories[project] } }
    public var created: [String: Date] = [:]
    public func createdAt(project: String) -> Date? { lock.withLock { created[project] } }
    public func exec(project: String, instance: String, command: [String], user: String?, detach: Bool, timeout: Double?) throws -> ProcessOutput {
        record("exec \(instance) \(command.joined(separator: " "))")
        return try execHandler(instance, command, user)
    }
    public func shellCommand(project: String, instance: String, command: [String], tty: Bool, environment: [String: String]) throws -> [String] {
        ["docker", "exec", instance] + command
    }
    /// Answers restarts; throwing plays a restart that failed.
    public var restartHandler: @Sendable (_ instance: String) throws -> Void = { _ in }
    public func restart(project: String, instance: String) throws {
        record("restart \(instance)")
        try restartHandler(instance)
    }
    public private(set) var paused: Set<String> {
        get { lock.withLock { _paused } }
        set { lock.withLock { _paused = newValue } }
    }
    private var _paused: Set<String> = []
    public func pause(project: String) throws {
        record("pause \(project)")
        lock.withLock { _ = _paused.insert(project) }
    }
    public func unpause(project: String) throws {
        record("unpause \(project)")
        lock.withLock { _ = _paused.remove(project) }
    }
    public func stats(project: String, instance: String) throws -> InstanceStats { try statsHandler(instance) }
    private var _streams: [FakeStatsStream] = []
    /// The stats streams handed out, oldest first.
    public var streams: [FakeStatsStream] { lock.withLock { _streams } }
    public func statsStream(_ instance: InstanceStatus) throws -> any StatsStream {
        if !available { throw EngineError.dockerStopped(detail: "fake") }
        let stream = FakeStatsStream(instance: instance.name, container: instance.container)
        lock.withLock { _streams.append(stream) }
        return stream
    }
    public func ping() -> Bool { available }
}

/// A stats stream that hands out the frames put in it. Its descriptor is not a real one: open
/// (not negative) until closed.
public final class FakeStatsStream: StatsStream {
    public let instance: String, container: String
    public private(set) var fd: Int32 = 1000
    /// What the next read gives; nil: the stream ended.
    public var next: [ContainerStatsFrame]? = []
    public init(instance: String, container: String) {
        self.instance = instance
        self.container = container
    }
    public func read() -> [ContainerStatsFrame]? { next }
    public func close() { fd = -1 }
}

/// An HTTP client that answers from a closure; throwing plays a request that cannot be sent.
public struct FakeHTTP: HTTPClient {
    public var handler: @Sendable (HTTPRequest) throws -> HTTPResponse
    public init(handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) { self.handler = handler }
    public func send(_ request: HTTPRequest) throws -> HTTPResponse { try handler(request) }
}

/// A journal that keeps what the engine tells it.
public final class FakeJournal: RunJournal, @unchecked Sendable {
    private let lock = NSLock()
    private var records: [String: RunRecord] = [:]
    private var log: [String: [RunEvent]] = [:]

    public init() {}

    public func recorded(_ record: RunRecord, level: Level) { lock.withLock { records[record.id] = record } }
    public func recorded(_ events: [RunEvent], run: String) { lock.withLock { log[run, default: []] += events } }
    public func adopted(_ record: RunRecord, level: Level, events: [RunEvent]) {
        lock.withLock {
            records[record.id] = record
            log[record.id, default: []] += events
        }
    }
    public func events(_ run: String) -> [RunEvent] { lock.withLock { log[run] ?? [] } }
    public func last(_ run: String) -> RunRecord? { lock.withLock { records[run] } }
}

/// An API that comes and goes on a schedule told by a clock: `up` says whether it answers, given
/// the seconds since its last restart. Plays a fix that flaps after a restart.
public final class FlappingService: @unchecked Sendable {
    private let lock = NSLock()
    private let clock: ManualClock
    private let up: @Sendable (Double) -> Bool
    private var restarted: Date

    public init(clock: ManualClock, up: @escaping @Sendable (Double) -> Bool) {
        self.clock = clock
        self.up = up
        restarted = clock.now
    }

    public func restart() { lock.withLock { restarted = clock.now } }

    /// 200 while up, 502 (the proxy's answer) while down.
    public var http: FakeHTTP {
        FakeHTTP { _ in
            let since = self.clock.now.timeIntervalSince(self.lock.withLock { self.restarted })
            return HTTPResponse(status: self.up(since) ? 200 : 502, headers: [:], body: "", seconds: 0.01)
        }
    }
}
