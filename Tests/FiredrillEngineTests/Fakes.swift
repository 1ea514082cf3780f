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
