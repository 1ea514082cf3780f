import Foundation
@testable import FiredrillEngine

/// A runtime that records what the engine asks of it and answers from closures.
final class FakeRuntime: Runtime, @unchecked Sendable {
    private let lock = NSLock()
    private var _calls: [String] = []
    var calls: [String] { lock.withLock { _calls } }
    var execHandler: @Sendable (_ instance: String, _ command: [String], _ user: String?) -> ProcessOutput = { _, _, _ in
        ProcessOutput(status: 0, stdout: "", stderr: "")
    }
    var statsHandler: @Sendable (_ instance: String) -> InstanceStats = { _ in
        InstanceStats(cpuPercent: 1, memoryPercent: 10, memoryBytes: 1, pids: 3)
    }
    var available = true
    var projectsUp: Set<String> = []

    private func record(_ call: String) { lock.withLock { _calls.append(call) } }

    func ensureAvailable() throws {
        if !available { throw EngineError.dockerStopped(detail: "fake") }
    }
    func buildImage(tag: String, context: URL, force: Bool) throws { record("build \(tag)") }
    func imageExists(_ tag: String) -> Bool { true }
    func up(project: Project) throws {
        record("up \(project.name)")
        lock.withLock { _ = projectsUp.insert(project.name) }
    }
    func down(project: Project) throws {
        record("down \(project.name)")
        lock.withLock { _ = projectsUp.remove(project.name) }
    }
    func instances(project: String) throws -> [InstanceStatus] {
        ["backend", "db"].map { InstanceStatus(name: $0, container: "c-\($0)", running: true, state: "running") }
    }
    func projects(prefix: String) throws -> [String] { lock.withLock { projectsUp.filter { $0.hasPrefix(prefix) }.sorted() } }
    var workingDirectories: [String: String] = [:]
    func workingDirectory(project: String) -> String? { lock.withLock { workingDirectories[project] } }
    func exec(project: String, instance: String, command: [String], user: String?, detach: Bool, timeout: Double?) throws -> ProcessOutput {
        record("exec \(instance) \(command.joined(separator: " "))")
        return execHandler(instance, command, user)
    }
    func shellCommand(project: String, instance: String, command: [String], tty: Bool, environment: [String: String]) throws -> [String] {
        ["docker", "exec", instance] + command
    }
    func restart(project: String, instance: String) throws { record("restart \(instance)") }
    func stats(project: String, instance: String) throws -> InstanceStats { statsHandler(instance) }
    func statsStream(_ instance: InstanceStatus) throws -> any StatsStream {
        if !available { throw EngineError.dockerStopped(detail: "fake") }
        return FakeStatsStream(instance: instance.name, container: instance.container)
    }
    func ping() -> Bool { available }
}

/// A stats stream that hands out the frames put in it; nothing to poll.
final class FakeStatsStream: StatsStream {
    let instance: String, container: String
    var fd: Int32 = -1
    /// What the next read gives; nil once the stream ended.
    var frames: [ContainerStatsFrame]? = []
    init(instance: String, container: String) {
        self.instance = instance
        self.container = container
    }
    func read() -> [ContainerStatsFrame]? {
        defer { if frames != nil { frames = [] } }
        return frames
    }
    func close() { frames = nil }
}

/// An HTTP client that answers from a closure.
struct FakeHTTP: HTTPClient {
    var handler: @Sendable (HTTPRequest) -> HTTPResponse
    func send(_ request: HTTPRequest) throws -> HTTPResponse { handler(request) }
}

/// A scratch folder removed when the test ends.
final class ScratchDirectory {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ relative: String, _ text: String) -> URL {
        let file = url.appendingPathComponent(relative)
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}

/// The checkout this test runs from.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A journal that keeps what the engine tells it.
final class FakeJournal: RunJournal, @unchecked Sendable {
    private let lock = NSLock()
    private var records: [String: RunRecord] = [:]
    private var log: [String: [RunEvent]] = [:]

    func recorded(_ record: RunRecord, level: Level) { lock.withLock { records[record.id] = record } }
    func recorded(_ events: [RunEvent], run: String) { lock.withLock { log[run, default: []] += events } }
    func events(_ run: String) -> [RunEvent] { lock.withLock { log[run] ?? [] } }
    func last(_ run: String) -> RunRecord? { lock.withLock { records[run] } }
}

/// A tiny catalog (scenario "mini": backend and db; level "broken": a patch, a fault, a symptom,
/// an objective that lasts only on verify, a question, a costly fix) on a fake runtime whose
/// instances answer from `world`.
final class MiniRig: @unchecked Sendable {
    let scratch = ScratchDirectory()
    let runtime = FakeRuntime()
    /// What the fake instances answer: the fix flips it.
    let world = World()

    final class World: @unchecked Sendable {
        private let lock = NSLock()
        private var _fixed = false
        private var _dbRestarted = false
        var fixed: Bool {
            get { lock.withLock { _fixed } }
            set { lock.withLock { _fixed = newValue } }
        }
        var dbRestarted: Bool {
            get { lock.withLock { _dbRestarted } }
            set { lock.withLock { _dbRestarted = newValue } }
        }
    }

    init() {
        scratch.write("Scenarios/mini/scenario.yaml", """
        id: mini
        title: Mini
        compose: compose.yaml
        images: [{tag: mini/app, context: images/app}]
        instances: [{name: backend, role: the app}, {name: db, role: the data}]
        ports: [{name: api, instance: backend, env: FD_API_PORT}]
        ready: {command: {instance: backend, run: ready}}
        """)
        scratch.write("Scenarios/mini/compose.yaml", """
        services:
          backend: {image: mini/app, mem_limit: 64m, cpus: 0.5, ports: ["127.0.0.1:${FD_API_PORT}:80"], volumes: [./app:/srv/app]}
          db: {image: mini/app, mem_limit: 64m, cpus: 0.5}
        """)
        scratch.write("Scenarios/mini/app/settings.conf", "limit = 20m\n")
        scratch.write("Scenarios/mini/images/app/Dockerfile", "FROM scratch\n")
        scratch.write("Levels/broken/level.yaml", """
        id: broken
        title: Broken
        scenario: mini
        category: app
        difficulty: 1
        par: 10m
        briefing: It broke.
        faults:
          - patch: {file: app/settings.conf, replace: "20m", with: "1m"}
          - exec: {instance: db, run: inject}
        symptoms:
          - {id: s, title: Symptom, check: {command: {instance: backend, run: symptom}}}
        objectives:
          - {id: works, title: Works, check: {command: {instance: backend, run: works}}}
          - id: lasts
            title: Lasts
            check:
              after: [{restart: backend}]
              then: {command: {instance: backend, run: works}}
        questions:
          - {id: q, ask: Which?, answer: {command: {instance: db, run: answer}}}
        costly:
          - {id: db-restart, title: Restarted the database, probe: {instance: db, run: probe}}
        """)
        let world = world
        runtime.execHandler = { _, command, _ in
            let script = command.last ?? ""
            switch script {
            case "ready", "inject": return ProcessOutput(status: 0, stdout: "", stderr: "")
            case "symptom": return ProcessOutput(status: world.fixed ? 1 : 0, stdout: "", stderr: "")
            case "works": return ProcessOutput(status: world.fixed ? 0 : 1, stdout: "", stderr: "")
            case "answer": return ProcessOutput(status: 0, stdout: "session 42\n", stderr: "")
            case "probe": return ProcessOutput(status: 0, stdout: world.dbRestarted ? "started 2\n" : "started 1\n", stderr: "")
            case "cat /tmp/.firedrill_history 2>/dev/null || true":
                return ProcessOutput(status: 0, stdout: "#1700000000\nSHOW PROCESSLIST;\n#1700000060\nKILL 42;\n", stderr: "")
            default: return ProcessOutput(status: 127, stdout: "", stderr: "unknown \(script)")
            }
        }
    }

    func engine() -> Engine {
        let engine = Engine(catalog: Catalog(root: scratch.url), store: RunStore(root: scratch.url.appendingPathComponent("home")), runtime: runtime)
        engine.symptomTimeout = 0.5
        engine.readyTimeout = 0.5
        return engine
    }

}
