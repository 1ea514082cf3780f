import FiredrillEngine
import FiredrillTestSupport
import Foundation
import Testing

extension EndToEnd {
/// The console when Docker goes away mid-level and comes back, without touching the machine's
/// daemon: the console is pointed (DOCKER_HOST) at a socket of the test's own that relays to the
/// real one, and the relay is stopped and started again. Then the console's terminal closes
/// (SIGHUP, as when the tmux window is closed). In a 16-colour terminal, to see it keeps to them.
@Suite struct ConsoleDockerTests {
    let session = TmuxSession(name: "firedrill-e2e-docker-\(getpid())")
    let socket = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-e2e-docker-\(getpid()).sock").path

    /// A relay from `socket` to the daemon's own socket: every connection copied both ways.
    static let relay = """
        import os, socket, sys, threading
        path, target = sys.argv[1], sys.argv[2]
        if os.path.exists(path): os.unlink(path)
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
        server.listen(64)
        def copy(a, b):
            try:
                while True:
                    data = a.recv(65536)
                    if not data: break
                    b.sendall(data)
            except OSError: pass
            try: b.shutdown(socket.SHUT_WR)
            except OSError: pass
        def serve(client):
            upstream = socket.socket(socket.AF_UNIX)
            try: upstream.connect(target)
            except OSError: client.close(); return
            threading.Thread(target=copy, args=(client, upstream), daemon=True).start()
            copy(upstream, client)
        while True:
            client, _ = server.accept()
            threading.Thread(target=serve, args=(client,), daemon=True).start()
        """

    func startRelay() throws -> pid_t {
        let host = ProcessInfo.processInfo.environment["DOCKER_HOST"] ?? ""
        let daemon = host.hasPrefix("unix://") ? String(host.dropFirst(7)) : "/var/run/docker.sock"
        let pid = try spawn(["/usr/bin/python3", "-c", Self.relay, socket, daemon])
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socket), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return pid
    }

    func stopRelay(_ pid: pid_t) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    /// A terminfo entry like xterm-256color with 16 colours, in a folder of the test's own.
    func sixteenColourTerminfo() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-e2e-terminfo-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = try ProcessRunner.run(["infocmp", "-x", "xterm-256color"], timeout: 10).stdout
            .replacingOccurrences(of: #"colors#(0x100|256)"#, with: "colors#16", options: .regularExpression)
            .replacingOccurrences(of: #"pairs#(0x10000|0x7fff|32767|65536)"#, with: "pairs#256", options: .regularExpression)
            .replacingOccurrences(of: "xterm-256color|", with: "xterm-16test|")
        let file = folder.appendingPathComponent("src")
        try source.write(to: file, atomically: true, encoding: .utf8)
        let compiled = try ProcessRunner.run(["tic", "-x", "-o", folder.path, file.path], timeout: 10)
        try #require(compiled.succeeded, "\(compiled.stderr)")
        return folder
    }

    @Test func dockerGoesAwayAndComesBackThenTheTerminalCloses() throws {
        guard ProcessRunner.which("tmux"), ProcessRunner.which("python3"), ProcessRunner.which("tic") else {
            Issue.record("tmux, python3 and tic are needed")
            return
        }
        let started = try firedrill(["start", "payload-too-large", "--json"])
        try #require(started.succeeded, "\(started.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(started.stdout.utf8)) as? [String: Any]
        let id = try #require(object?["run"] as? String, "\(started.stdout)")
        defer { _ = try? firedrill(["stop", "--run", id]) }
        let run = try RunStore(root: testHome).load(id)
        var relay = try startRelay()
        defer {
            stopRelay(relay)
            unlink(socket)
        }
        let terminfo = try sixteenColourTerminfo()
        defer { try? FileManager.default.removeItem(at: terminfo) }

        // The console alone in the window (as tmux runs it), through the relay, in 16 colours.
        try session.tmux(["kill-session", "-t", session.name])
        // The test runner sets NO_COLOR, and a tmux server it starts passes it on.
        let command = "env -u NO_COLOR DOCKER_HOST=unix://\(socket) FIREDRILL_HOME=\(testHome.path) FIREDRILL_ROOT=\(repositoryRoot.path) "
            + "TERMINFO=\(terminfo.path) TERM=xterm-16test LANG=C.UTF-8 \(firedrillBinary.path) play --run \(run.id) --shell workspace"
        let opened = try session.tmux(["new-session", "-d", "-s", session.name, "-x", "160", "-y", "45", command])
        try #require(opened.succeeded, "\(opened.stderr)")
        defer { _ = try? session.tmux(["kill-session", "-t", session.name]) }
        let console = try #require(try session.panePID())

        // Docker answers: the instances' figures come through the relay.
        try #require(session.waitFor("the instances' figures", timeout: 120) { $0.contains("docker ok") && $0.contains("/256") })
        let colours = session.screen(escapes: true)
        #expect(!colours.contains("38;5;") && !colours.contains("48;5;"), "a 16-colour terminal got 256-colour sequences")
        // Borders in grey (8: "90") and titles in cyan ("36"): the 16 colours, not none.
        #expect(colours.contains("\u{1b}[90m") && colours.contains("\u{1b}[36m"), "no 16-colour sequences")

        // Docker goes away: said on screen, and the console carries on (the workspace shell works).
        stopRelay(relay)
        session.waitFor("Docker unreachable on screen", timeout: 60) { $0.contains("docker unreachable") && $0.contains("Docker is not answering") }
        try session.type("echo alive-$((2+3))", "Enter")
        session.waitFor("the workspace shell to answer") { $0.contains("alive-5") }
        #expect(alive(console))

        // Docker comes back: the console finds it again by itself.
        relay = try startRelay()
        session.waitFor("Docker back on screen", timeout: 60) { $0.contains("docker ok") && !$0.contains("Docker is not answering") && $0.contains("/256") }

        // The window closes (SIGHUP): the console ends promptly, the run stays up.
        try session.tmux(["kill-session", "-t", session.name])
        let deadline = Date().addingTimeInterval(10)
        while alive(console), Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect(!alive(console), "the console outlived its terminal")
        #expect(try RunStore(root: testHome).load(run.id).state.isActive)
    }
}
}
