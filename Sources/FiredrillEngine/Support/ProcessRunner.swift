import Foundation

/// The outcome of one finished child process.
public struct ProcessOutput: Sendable, Equatable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var timedOut: Bool = false

    public init(status: Int32, stdout: String, stderr: String, timedOut: Bool = false) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.timedOut = timedOut
    }

    public var succeeded: Bool { status == 0 && !timedOut }
}

/// Runs child processes to completion, capturing their output without risking a pipe deadlock.
///
/// Children are started with posix_spawn and reaped with waitpid by the thread that waits for
/// them. Foundation's Process is not used: it learns of exits from SIGCHLD on a thread of its
/// own, and under concurrent launches it was seen to miss one, leaving the child a zombie and
/// its caller waiting forever (a console whose instance list never came).
public enum ProcessRunner {
    /// Runs `arguments` (looked up on PATH); kills it after `timeout` seconds.
    public static func run(_ arguments: [String], input: String? = nil, timeout: Double? = nil,
                           environment: [String: String]? = nil, directory: URL? = nil) throws -> ProcessOutput {
        // Output goes to files rather than pipes: no reader thread, no deadlock on large output.
        let outURL = temporaryFile("out"), errURL = temporaryFile("err")
        let inURL = input.map { text -> URL in
            let url = temporaryFile("in")
            try? Data(text.utf8).write(to: url)
            return url
        }
        defer {
            for url in [outURL, errURL] + (inURL.map { [$0] } ?? []) { try? FileManager.default.removeItem(at: url) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inURL?.path ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outURL.path, O_WRONLY | O_TRUNC, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errURL.path, O_WRONLY | O_TRUNC, 0)
        // Nothing else of ours (a terminal's master side, sockets) leaks into the child. A
        // descriptor closed meanwhile by another thread is no error (glibc ignores EBADF there).
        for fd in openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }

        let chdir = directory.map { ["-C", $0.path] } ?? []
        let argv = (["env"] + chdir + arguments).map { strdup($0) } + [nil]
        let variables = environment.map { $0.map { "\($0.key)=\($0.value)" } } ?? ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let envp = variables.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, "/usr/bin/env", &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        let pid = child

        // The end of the child is waited for, not polled: a caller waiting on checks costs no CPU.
        // A timeout is a second thread's business: SIGTERM, then SIGKILL two seconds later.
        let reaped = DispatchSemaphore(value: 0)
        let killed = Flag()
        if let timeout {
            DispatchQueue.global().async {
                guard reaped.wait(timeout: .now() + timeout) == .timedOut else { return }
                killed.set()
                kill(pid, SIGTERM)
                if reaped.wait(timeout: .now() + 2) == .timedOut { kill(pid, SIGKILL) }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        reaped.signal()
        reaped.signal()
        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return ProcessOutput(status: exitStatus(status), stdout: stdout, stderr: stderr, timedOut: killed.isSet)
    }

    /// Runs a full-screen program on this process's terminal until it ends: standard input and
    /// output are the terminal's, and the child stays in this process group so that it may set
    /// the terminal up (Foundation's Process puts it in a group of its own, where curses is
    /// stopped by SIGTTOU). Standard error is captured.
    public static func runOnTerminal(_ arguments: [String], environment: [String: String]) throws -> ProcessOutput {
        let errURL = temporaryFile("err")
        defer { try? FileManager.default.removeItem(at: errURL) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 2, errURL.path, O_WRONLY | O_TRUNC, 0)
        for fd in openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        startWithDefaultSignals(&attributes)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, arguments[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0, errno == EINTR {}
        return ProcessOutput(status: exitStatus(status), stdout: "", stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// Spawn attributes for a child with no signal blocked and every signal at its default,
    /// whatever the spawning thread blocks or ignores.
    public static func startWithDefaultSignals(_ attributes: inout posix_spawnattr_t) {
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    }

    /// This process's open file descriptors.
    static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }

    /// The exit code, or 128 + the signal that ended the process (as shells report it).
    static func exitStatus(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    private static func temporaryFile(_ kind: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-\(kind)-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }

    /// Whether `name` is an executable on PATH.
    public static func which(_ name: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }
}
