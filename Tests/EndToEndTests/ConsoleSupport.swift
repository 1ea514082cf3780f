import FiredrillEngine
import Foundation
import Testing

/// A tmux session driven as a trainee (or their pair) would: send-keys in, capture-pane out.
struct TmuxSession {
    let name: String

    /// Runs tmux with posix_spawn and waitpid: the tmux client that starts a server was seen left
    /// unreaped by Foundation's Process here, hanging the test. Output goes through a file.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> ProcessOutput {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-e2e-tmux-\(getpid())")
        let script = (["tmux"] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            + " >'\(output.path)' 2>&1 </dev/null"
        let status = try spawnAndWait(["/bin/sh", "-c", script])
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return ProcessOutput(status: status, stdout: text, stderr: text)
    }

    /// The screen as text; with `escapes`, with its colours and attributes as escape sequences.
    func screen(escapes: Bool = false) -> String {
        (try? tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", name]))?.stdout ?? ""
    }

    /// Opens the session afresh (one left by an earlier run is killed) on a plain bash, 160
    /// columns wide.
    @discardableResult
    func openShell(rows: Int = 45) throws -> ProcessOutput {
        try tmux(["kill-session", "-t", name])
        return try tmux(["new-session", "-d", "-s", name, "-x", "160", "-y", String(rows), "bash --norc --noprofile"])
    }

    func type(_ keys: String...) throws {
        try tmux(["send-keys", "-t", name] + keys)
    }

    /// Types text as it is (no key names).
    func text(_ text: String) throws {
        try tmux(["send-keys", "-t", name, "-l", text])
    }

    /// Selects a field of the console's shown form (0 is the first), types into it, and stops editing.
    func fill(_ index: Int, _ value: String) throws {
        try type("g")
        if index > 0 { try tmux(["send-keys", "-t", name, "-N", String(index), "j"]) }
        try type("Enter")
        try text(value)
        try type("C-]")
        waitFor("'\(value)' typed") { $0.contains(value) }
    }

    /// The pid of the pane's first process.
    func panePID() throws -> pid_t? {
        pid_t(try tmux(["display", "-p", "-t", name, "#{pane_pid}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Waits until the screen satisfies `condition`; fails with the screen when it never does.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 60, sourceLocation: SourceLocation = #_sourceLocation, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var text = screen()
        while !condition(text) {
            if Date() > deadline {
                Issue.record("timed out waiting for \(what); the screen:\n\(text)", sourceLocation: sourceLocation)
                return false
            }
            Thread.sleep(forTimeInterval: 0.25)
            text = screen()
        }
        return true
    }
}

/// Starts a program (posix_spawn) and returns its pid, without waiting. The child starts with no
/// signal blocked and every signal at its default: the test's threads block most of them, and a
/// child that inherits that mask ignores SIGTERM (chromedriver was seen to, and never to start
/// Chromium).
func spawn(_ arguments: [String]) throws -> pid_t {
    let argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    ProcessRunner.startWithDefaultSignals(&attributes)
    var pid: pid_t = 0
    guard posix_spawn(&pid, arguments[0], nil, &attributes, argv, environ) == 0 else { throw POSIXError(.EIO) }
    return pid
}

/// Runs a program to its end; returns its exit status.
func spawnAndWait(_ arguments: [String]) throws -> Int32 {
    let pid = try spawn(arguments)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    return (status >> 8) & 0xFF
}

/// Whether a process is still there (a zombie of ours counts as gone once reaped).
func alive(_ pid: pid_t) -> Bool {
    var status: Int32 = 0
    if waitpid(pid, &status, WNOHANG) == pid { return false }
    return kill(pid, 0) == 0
}
