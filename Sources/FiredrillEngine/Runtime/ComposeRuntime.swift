import Foundation

/// Which compose a machine has: the v2 plugin (`docker compose`) or the standalone 1.x
/// (`docker-compose`, Debian 12's). Both read the same compose-spec files here.
public enum ComposeFlavour: String, Sendable, Codable {
    case plugin
    case standalone

    public var command: [String] { self == .plugin ? ["docker", "compose"] : ["docker-compose"] }

    /// Decides from the outputs of `docker compose version` and `docker-compose version`
    /// (nil when the command failed).
    public static func detect(pluginVersion: String?, standaloneVersion: String?) -> ComposeFlavour? {
        if let plugin = pluginVersion, plugin.lowercased().contains("compose") { return .plugin }
        if let standalone = standaloneVersion, standalone.lowercased().contains("version") { return .standalone }
        return nil
    }
}

/// Drives the local Docker engine through the docker CLI and compose.
public final class ComposeRuntime: Runtime, @unchecked Sendable {
    private let lock = NSLock()
    private var detected: ComposeFlavour??
    private var lastAnswered: TimeInterval?
    /// Each project's containers by instance, as `docker ps` last listed them, so that an exec
    /// does not list them first. Forgotten when the project goes up or down or restarts an
    /// instance, and when an exec finds its container gone.
    private var containers: [String: [String: String]] = [:]
    /// Runs a docker command (arguments after `docker`, timeout); tests give a fake docker.
    private let runDocker: @Sendable ([String], Double?) throws -> ProcessOutput

    public convenience init(flavour: ComposeFlavour? = nil) {
        self.init(flavour: flavour) { arguments, timeout in try ProcessRunner.run(["docker"] + arguments, timeout: timeout) }
    }

    init(flavour: ComposeFlavour?, docker: @escaping @Sendable ([String], Double?) throws -> ProcessOutput) {
        if let flavour { detected = .some(flavour) }
        runDocker = docker
    }

    /// The compose this machine has, detected on first use: only the commands that run compose
    /// pay for it (the standalone one is a Python program, slow to start).
    public var flavour: ComposeFlavour? {
        lock.withLock {
            if let detected { return detected }
            let flavour = Self.detectFlavour()
            detected = .some(flavour)
            return flavour
        }
    }

    public static func detectFlavour() -> ComposeFlavour? {
        func version(_ arguments: [String]) -> String? {
            guard let output = try? ProcessRunner.run(arguments, timeout: 20), output.succeeded else { return nil }
            return output.stdout
        }
        let plugin = ProcessRunner.which("docker") ? version(["docker", "compose", "version"]) : nil
        if plugin != nil { return .plugin }
        return ProcessRunner.which("docker-compose") ? .standalone : nil
    }

    /// Asks the daemon whether it answers. A yes is trusted for a few seconds, so a console that
    /// checks every second does not ask every time; a no is never remembered.
    public func ensureAvailable() throws {
        guard ProcessRunner.which("docker") else { throw EngineError.dockerMissing }
        let now = ProcessInfo.processInfo.systemUptime
        if let answered = lock.withLock({ lastAnswered }), now - answered < 5 { return }
        let info = try ProcessRunner.run(["docker", "info", "--format", "{{.ServerVersion}}"], timeout: 20)
        guard info.succeeded else {
            lock.withLock { lastAnswered = nil }
            let detail = info.timedOut ? "no answer in 20 s" : Self.firstLine(info.stderr)
            throw EngineError.dockerStopped(detail: detail)
        }
        lock.withLock { lastAnswered = now }
    }

    static func firstLine(_ text: String) -> String {
        text.split(separator: "\n").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? "no output"
    }

    private func docker(_ arguments: [String], timeout: Double? = 120) throws -> ProcessOutput {
        try runDocker(arguments, timeout)
    }

    private func compose(_ project: Project, _ arguments: [String], timeout: Double? = 300) throws -> ProcessOutput {
        guard let flavour else { throw EngineError.composeMissing }
        let file = project.directory.appendingPathComponent(project.composeFile).path
        return try ProcessRunner.run(flavour.command + ["-p", project.name, "-f", file] + arguments,
                                     timeout: timeout, directory: project.directory)
    }

    public func imageExists(_ tag: String) -> Bool {
        (try? docker(["image", "inspect", "--format", "{{.Id}}", tag], timeout: 30))?.succeeded ?? false
    }

    /// Builds with Docker's layer cache, so an unchanged image rebuilds in about a second; an
    /// image whose context has not changed since it was built is not rebuilt at all. `force`
    /// rebuilds from scratch, without the cache.
    public func buildImage(tag: String, context: URL, force: Bool) throws {
        if !force, builtDigest(tag) == contextDigest(context) { return }
        let cache = force ? ["--no-cache"] : []
        let output = try docker(["build", "-q"] + cache + ["-t", tag, "--label", "firedrill.context=\(contextDigest(context))", context.path], timeout: 1800)
        guard output.succeeded else {
            throw EngineError.imageBuildFailed(tag: tag, detail: String(output.stderr.suffix(4000)))
        }
    }

    /// A digest of the files of a build context, kept as an image label to know when to rebuild.
    func contextDigest(_ context: URL) -> String {
        var hasher = FNV1a()
        let enumerator = FileManager.default.enumerator(at: context, includingPropertiesForKeys: [.isRegularFileKey])
        var files: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { files.append(url) }
        }
        for url in files.sorted(by: { $0.path < $1.path }) {
            hasher.add(Data(url.path.dropFirst(context.path.count).utf8))
            hasher.add((try? Data(contentsOf: url)) ?? Data())
        }
        return hasher.hex
    }

    /// The context digest an image was built from, or nil when there is no such image.
    private func builtDigest(_ tag: String) -> String? {
        guard let output = try? docker(["image", "inspect", "--format", "{{index .Config.Labels \"firedrill.context\"}}", tag], timeout: 30),
              output.succeeded else { return nil }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func up(project: Project) throws {
        forgetContainers(of: project.name)
        let output = try compose(project, ["up", "-d", "--no-build"], timeout: 600)
        guard output.succeeded else { throw EngineError.bootFailed(String(output.stderr.suffix(3000))) }
    }

    /// A run that stops is thrown away, so its containers are killed rather than asked to stop:
    /// by label, in one `docker rm -f` (compose's `down` waits for each to stop and is a Python
    /// program to start; this does not need the workspace either).
    public func down(project: Project) throws {
        forgetContainers(of: project.name)
        try removeByLabel(project: project.name)
    }

    private func removeByLabel(project: String) throws {
        let filter = "label=com.docker.compose.project=\(project)"
        let containers = lines(try docker(["ps", "-aq", "--filter", filter]))
        if !containers.isEmpty { _ = try docker(["rm", "-f", "-v"] + containers) }
        let networks = lines(try docker(["network", "ls", "-q", "--filter", filter]))
        if !networks.isEmpty { _ = try docker(["network", "rm"] + networks) }
        let volumes = lines(try docker(["volume", "ls", "-q", "--filter", filter]))
        if !volumes.isEmpty { _ = try docker(["volume", "rm", "-f"] + volumes) }
    }

    private func lines(_ output: ProcessOutput) -> [String] {
        output.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public func instances(project: String) throws -> [InstanceStatus] {
        let output = try docker(["ps", "-a", "--filter", "label=com.docker.compose.project=\(project)", "--format",
                                 "{{.ID}}\t{{.Label \"com.docker.compose.service\"}}\t{{.State}}"])
        guard output.succeeded else { throw EngineError.dockerStopped(detail: Self.firstLine(output.stderr)) }
        let found = lines(output).compactMap { line -> InstanceStatus? in
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 3 else { return nil }
            return InstanceStatus(name: parts[1], container: parts[0], running: parts[2] == "running", state: parts[2])
        }.sorted { $0.name < $1.name }
        let map = Dictionary(found.map { ($0.name, $0.container) }, uniquingKeysWith: { first, _ in first })
        lock.withLock { containers[project] = map }
        return found
    }

    public func projects(prefix: String) throws -> [String] {
        var names = Set<String>()
        for kind in [["ps", "-a"], ["network", "ls"], ["volume", "ls"]] {
            let output = try docker(kind + ["--filter", "label=com.docker.compose.project", "--format",
                                            "{{.Label \"com.docker.compose.project\"}}"])
            names.formUnion(lines(output).filter { $0.hasPrefix(prefix) })
        }
        return names.sorted()
    }

    public func workingDirectory(project: String) -> String? {
        let output = try? docker(["ps", "-a", "--filter", "label=com.docker.compose.project=\(project)", "--format",
                                  "{{.Label \"com.docker.compose.project.working_dir\"}}"])
        return output.flatMap { lines($0).first }
    }

    public func createdAt(project: String) -> Date? {
        guard let networks = try? docker(["network", "ls", "-q", "--filter", "label=com.docker.compose.project=\(project)"]),
              let network = lines(networks).first,
              let created = try? docker(["network", "inspect", "-f", "{{.Created}}", network]) else { return nil }
        // "2026-11-30 14:25:50.523583287 +0000 UTC" (UTC, to the nanosecond): the second is enough.
        guard let text = lines(created).first, text.count >= 19 else { return nil }
        return ISO8601DateFormatter().date(from: text.prefix(19).replacingOccurrences(of: " ", with: "T") + "Z")
    }

    /// The container of an instance: from the last listing, unless `fresh` asks docker again.
    private func container(project: String, instance: String, fresh: Bool = false) throws -> String {
        if !fresh, let id = lock.withLock({ containers[project]?[instance] }) { return id }
        let all = try instances(project: project)
        guard let match = all.first(where: { $0.name == instance }) else {
            throw EngineError.unknownInstance(instance, known: all.map(\.name))
        }
        return match.container
    }

    private func forgetContainers(of project: String) {
        lock.withLock { _ = containers.removeValue(forKey: project) }
    }

    /// Runs in the listed container; when that container is gone (recreated), lists again once.
    /// Throws `execFailed` when docker itself could not run the command.
    public func exec(project: String, instance: String, command: [String], user: String?, detach: Bool, timeout: Double?) throws -> ProcessOutput {
        var arguments = ["exec"]
        if detach { arguments.append("-d") }
        if let user { arguments += ["-u", user] }
        var output = try docker(arguments + [try container(project: project, instance: instance)] + command, timeout: timeout)
        if !output.succeeded, output.stderr.contains("No such container") {
            forgetContainers(of: project)
            output = try docker(arguments + [try container(project: project, instance: instance)] + command, timeout: timeout)
        }
        if let failure = Self.execFailure(output) { throw EngineError.execFailed(instance: instance, detail: failure) }
        return output
    }

    /// What docker says when it could not run a command in a container, or nil when the command
    /// ran (whatever its exit status). Docker's own failures exit 1 (the daemon: no such
    /// container, not running, paused, no daemon) or 125-127 (the runtime: no such program or
    /// user), with its message alone on stderr; a command's status is told apart by that message.
    static func execFailure(_ output: ProcessOutput) -> String? {
        guard !output.timedOut, [1, 125, 126, 127].contains(output.status) else { return nil }
        let line = firstLine(output.stderr)
        let docker = ["Error response from daemon", "Cannot connect to the Docker daemon", "error during connect",
                      "OCI runtime exec failed", "unable to find user", "Error: No such container"]
        return docker.contains { line.hasPrefix($0) } ? line : nil
    }

    /// The shell runs later, out of reach of a retry: its container is looked up afresh.
    public func shellCommand(project: String, instance: String, command: [String], tty: Bool, environment: [String: String]) throws -> [String] {
        let id = try container(project: project, instance: instance, fresh: true)
        let flags = tty ? ["-it"] : ["-i"]
        let program = command.isEmpty ? ["bash", "-l"] : command
        var variables = ["TERM": ProcessInfo.processInfo.environment["TERM"] ?? "xterm-256color"]
        variables.merge(environment) { _, new in new }
        return ["docker", "exec"] + flags + variables.sorted { $0.key < $1.key }.flatMap { ["-e", "\($0.key)=\($0.value)"] } + [id] + program
    }

    public func restart(project: String, instance: String) throws {
        let id = try container(project: project, instance: instance)
        forgetContainers(of: project)
        let output = try docker(["restart", "-t", "5", id], timeout: 120)
        guard output.succeeded else { throw EngineError.bootFailed("restart of \(instance): \(Self.firstLine(output.stderr))") }
    }

    /// `docker pause` of the project's running containers, all in one command. The kernel's
    /// freezer gives up on a container whose processes stay in uninterruptible sleep (a disk
    /// write under load: "unable to freeze"), leaving it running: those are paused again, a
    /// few times, half a second apart (under a load of 13 it was seen twice in a few dozen pauses).
    public func pause(project: String) throws {
        var running = try instances(project: project).filter { $0.state == "running" }.map(\.container)
        guard !running.isEmpty else { throw EngineError.bootFailed("no running instance of \(project) to pause") }
        for attempt in 1...Self.pauseAttempts {
            let output = try docker(["pause"] + running, timeout: 60)
            if output.succeeded { return }
            guard attempt < Self.pauseAttempts, output.stderr.contains("unable to freeze") else {
                throw EngineError.bootFailed("pause of \(project): \(Self.firstLine(output.stderr))")
            }
            Thread.sleep(forTimeInterval: 0.5)
            running = try instances(project: project).filter { $0.state == "running" }.map(\.container)
            if running.isEmpty { return }
        }
    }

    static let pauseAttempts = 10

    public func unpause(project: String) throws {
        let paused = try instances(project: project).filter { $0.state == "paused" }.map(\.container)
        guard !paused.isEmpty else { return }
        let output = try docker(["unpause"] + paused, timeout: 60)
        guard output.succeeded else { throw EngineError.bootFailed("unpause of \(project): \(Self.firstLine(output.stderr))") }
    }

    /// One frame of the daemon's stats for the instance's container, read from its socket.
    public func stats(project: String, instance: String) throws -> InstanceStats {
        let id = try container(project: project, instance: instance)
        let frame: ContainerStatsFrame?
        do {
            frame = try DockerStatsStream.frame(container: id, timeout: 30)
        } catch {
            throw EngineError.dockerStopped(detail: "cannot reach \(DockerSocket.path()): \(error)")
        }
        guard let frame else { throw EngineError.instanceNotRunning(instance) }
        return InstanceStats(frame)
    }

    public func statsStream(_ instance: InstanceStatus) throws -> any StatsStream {
        let stream = DockerStatsStream(instance: instance.name, container: instance.container)
        do {
            try stream.open()
        } catch {
            throw EngineError.dockerStopped(detail: "cannot reach \(DockerSocket.path()): \(error)")
        }
        return stream
    }

    public func ping() -> Bool { DockerSocket.ping() }
}

/// A small stable hash (FNV-1a, 64 bits) for content digests.
struct FNV1a {
    private var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ data: Data) {
        for byte in data {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
    }

    var hex: String { String(format: "%016llx", value) }
}
