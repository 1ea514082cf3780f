import Foundation
import Testing
@testable import FiredrillEngine

/// The compose runtime against a fake docker command: which commands an exec costs.
@Suite struct ComposeRuntimeTests {
    /// Answers `docker ps` with the project's containers and `docker exec` from the current ones;
    /// `recreate` gives every instance a new container, as `compose up --force-recreate` does.
    final class FakeDocker: @unchecked Sendable {
        private let lock = NSLock()
        private var generation = 1
        private var _calls: [[String]] = []
        var calls: [[String]] { lock.withLock { _calls } }
        var listings: Int { calls.filter { $0.first == "ps" }.count }

        func recreate() { lock.withLock { generation += 1 } }

        func run(_ arguments: [String], _ timeout: Double?) -> ProcessOutput {
            let generation = lock.withLock {
                _calls.append(arguments)
                return self.generation
            }
            switch arguments.first {
            case "ps":
                return ProcessOutput(status: 0, stdout: "db\(generation)\tdb\trunning\nbackend\(generation)\tbackend\trunning\n", stderr: "")
            case "network" where arguments.dropFirst().first == "ls":
                return ProcessOutput(status: 0, stdout: "0f3c2a\n", stderr: "")
            case "network":
                return ProcessOutput(status: 0, stdout: "2026-11-30 14:25:50.523583287 +0000 UTC\n", stderr: "")
            case "exec":
                guard let container = arguments.first(where: { $0.hasSuffix("\(generation)") }) else {
                    return ProcessOutput(status: 1, stdout: "", stderr: "Error response from daemon: No such container: \(arguments[1])")
                }
                return ProcessOutput(status: 0, stdout: "ran in \(container)\n", stderr: "")
            default:
                return ProcessOutput(status: 0, stdout: "", stderr: "")
            }
        }
    }

    let docker = FakeDocker()
    var runtime: ComposeRuntime { ComposeRuntime(flavour: .plugin) { [docker] in docker.run($0, $1) } }

    func exec(_ runtime: ComposeRuntime, _ instance: String) throws -> String {
        try runtime.exec(project: "p", instance: instance, command: ["true"], user: nil, detach: false, timeout: 5).stdout
    }

    @Test func execsListTheProjectsContainersOnce() throws {
        let runtime = runtime
        #expect(try exec(runtime, "backend") == "ran in backend1\n")
        #expect(try exec(runtime, "db") == "ran in db1\n")
        #expect(try exec(runtime, "backend") == "ran in backend1\n")
        #expect(docker.listings == 1)
        #expect(throws: EngineError.unknownInstance("cache", known: ["backend", "db"])) { try exec(runtime, "cache") }
        #expect(docker.listings == 2, "an instance not in the listing is looked for again")
    }

    /// The kernel's freezer can fail on a container busy in a disk write ("unable to freeze"):
    /// the containers still running are paused again; any other refusal is an error at once.
    @Test func aPauseTheFreezerRefusedIsTriedAgainOnWhatStillRuns() throws {
        final class Freezer: @unchecked Sendable {
            let lock = NSLock()
            var paused: Set<String> = []
            var pauses: [[String]] = []
            var refusals: Int
            let message: String
            init(refusals: Int, message: String) { self.refusals = refusals; self.message = message }
            func run(_ arguments: [String]) -> ProcessOutput {
                lock.withLock {
                    switch arguments.first {
                    case "ps":
                        let rows = ["db", "backend"].map { "\($0)1\t\($0)\t\(paused.contains($0 + "1") ? "paused" : "running")" }
                        return ProcessOutput(status: 0, stdout: rows.joined(separator: "\n") + "\n", stderr: "")
                    case "pause":
                        pauses.append(Array(arguments.dropFirst()))
                        for container in arguments.dropFirst() where container != "db1" || refusals == 0 { paused.insert(container) }
                        guard refusals > 0, arguments.contains("db1") else { return ProcessOutput(status: 0, stdout: "", stderr: "") }
                        refusals -= 1
                        return ProcessOutput(status: 1, stdout: "", stderr: "Error response from daemon: Cannot pause container db1: OCI runtime pause failed: \(message): unknown\n")
                    default:
                        return ProcessOutput(status: 0, stdout: "", stderr: "")
                    }
                }
            }
        }
        let flaky = Freezer(refusals: 2, message: "unable to freeze")
        try ComposeRuntime(flavour: .plugin) { arguments, _ in flaky.run(arguments) }.pause(project: "p")
        #expect(flaky.pauses == [["backend1", "db1"], ["db1"], ["db1"]])
        #expect(flaky.paused == ["db1", "backend1"])

        let stuck = Freezer(refusals: 99, message: "unable to freeze")
        #expect(throws: EngineError.self) { try ComposeRuntime(flavour: .plugin) { arguments, _ in stuck.run(arguments) }.pause(project: "p") }
        #expect(stuck.pauses.count == ComposeRuntime.pauseAttempts)

        let other = Freezer(refusals: 1, message: "permission denied")
        #expect(throws: EngineError.self) { try ComposeRuntime(flavour: .plugin) { arguments, _ in other.run(arguments) }.pause(project: "p") }
        #expect(other.pauses.count == 1)
    }

    @Test func aProjectIsAsOldAsItsNetwork() {
        #expect(runtime.createdAt(project: "p") == ISO8601DateFormatter().date(from: "2026-11-30T14:25:50Z"))
        #expect(docker.calls.last == ["network", "inspect", "-f", "{{.Created}}", "0f3c2a"])
    }

    @Test func aRecreatedContainerIsFoundAgain() throws {
        let runtime = runtime
        _ = try exec(runtime, "backend")
        docker.recreate()
        #expect(try exec(runtime, "backend") == "ran in backend2\n")
        #expect(docker.listings == 2)
        #expect(docker.calls.filter { $0.first == "exec" }.map { $0[1] } == ["backend1", "backend1", "backend2"])
    }

    @Test func downRestartAndAListingRenewTheMap() throws {
        let runtime = runtime
        _ = try exec(runtime, "db")
        try runtime.restart(project: "p", instance: "db")
        _ = try exec(runtime, "db")
        #expect(docker.listings == 2)
        try runtime.down(project: Project(name: "p", directory: URL(fileURLWithPath: "/nonexistent"), composeFile: "compose.yaml"))
        docker.recreate()
        #expect(try exec(runtime, "db") == "ran in db2\n")
        let before = docker.listings
        docker.recreate()
        #expect(try runtime.instances(project: "p").map(\.container) == ["backend3", "db3"])
        #expect(try exec(runtime, "db") == "ran in db3\n")
        #expect(docker.listings == before + 1, "the listing asked for is the one execs use")
        // Another project's map is its own.
        _ = try runtime.exec(project: "q", instance: "db", command: ["true"], user: nil, detach: false, timeout: 5)
        #expect(docker.listings == before + 2)
    }

    @Test func aShellLooksItsContainerUpAfresh() throws {
        let runtime = runtime
        _ = try exec(runtime, "db")
        docker.recreate()
        let command = try runtime.shellCommand(project: "p", instance: "db", command: [], tty: false, environment: [:])
        #expect(command.contains("db2"))
    }
}

/// Docker failing to run a command is told apart from the command's own exit status.
@Suite struct ExecFailureTests {
    @Test func dockersOwnFailuresThrowAndCommandsStatusesReturn() throws {
        let answers: [String: ProcessOutput] = [
            "stopped": ProcessOutput(status: 1, stdout: "", stderr: "Error response from daemon: Container 3c7d is not running\n"),
            "paused": ProcessOutput(status: 1, stdout: "", stderr: "Error response from daemon: Container 3c7d is paused, unpause the container before exec\n"),
            "no program": ProcessOutput(status: 126, stdout: "", stderr: "OCI runtime exec failed: exec failed: unable to start container process: exec: \"pgrep\": executable file not found in $PATH: unknown\n"),
            "no user": ProcessOutput(status: 126, stdout: "", stderr: "unable to find user app: no matching entries in passwd file\n"),
            "no daemon": ProcessOutput(status: 1, stdout: "", stderr: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n"),
            "grep found nothing": ProcessOutput(status: 1, stdout: "", stderr: ""),
            "sh: not found": ProcessOutput(status: 127, stdout: "", stderr: "sh: 1: nonexistent: not found\n"),
            "exit 125": ProcessOutput(status: 125, stdout: "", stderr: ""),
            "a log mentioning docker": ProcessOutput(status: 1, stdout: "", stderr: "warning: Error response from daemon: seen in a log\n"),
        ]
        for (name, output) in answers {
            let runtime = ComposeRuntime(flavour: .plugin) { arguments, _ in
                arguments.first == "ps" ? ProcessOutput(status: 0, stdout: "c1\tbackend\trunning\n", stderr: "") : output
            }
            let run = { try runtime.exec(project: "p", instance: "backend", command: ["true"], user: nil, detach: false, timeout: 5) }
            if ["stopped", "paused", "no program", "no user", "no daemon"].contains(name) {
                #expect(throws: EngineError.execFailed(instance: "backend", detail: ComposeRuntime.firstLine(output.stderr)), "\(name)") { try run() }
            } else {
                #expect(try run() == output, "\(name)")
            }
        }
    }

    @Test func curlsUnsentRequestsAreToldFromUnansweredOnes() {
        #expect(CurlHTTPClient.notSent(ProcessOutput(status: 3, stdout: "", stderr: "curl: (3) URL using bad/illegal format or missing URL\n")) != nil)
        #expect(CurlHTTPClient.notSent(ProcessOutput(status: 127, stdout: "", stderr: "sh: 1: curl: not found\n")) != nil)
        for refused in [7, 28, 52, 56, 6, 0] as [Int32] {
            #expect(CurlHTTPClient.notSent(ProcessOutput(status: refused, stdout: "", stderr: "")) == nil, "curl exit \(refused) is a request without an answer")
        }
    }
}
