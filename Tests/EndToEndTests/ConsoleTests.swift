import FiredrillEngine
import FiredrillSQLite
import FiredrillTestSupport
import FiredrillStore
import Foundation
import Testing

extension EndToEnd {
/// `firedrill play` in a real tmux session, driven with send-keys and read with capture-pane,
/// as a trainee (or their pair) would use it.
@Suite struct ConsoleTests {
    let session = "firedrill-e2e-\(getpid())"
    var tmuxSession: TmuxSession { TmuxSession(name: session) }

    func tmux(_ arguments: [String]) throws -> ProcessOutput { try tmuxSession.tmux(arguments) }
    func screen() -> String { tmuxSession.screen() }
    func type(_ keys: String...) throws { try tmuxSession.tmux(["send-keys", "-t", session] + keys) }

    @discardableResult
    func waitFor(_ what: String, timeout: Double = 60, sourceLocation: SourceLocation = #_sourceLocation, _ condition: (String) -> Bool) -> Bool {
        tmuxSession.waitFor(what, timeout: timeout, sourceLocation: sourceLocation, condition)
    }

    @Test func playPayloadTooLargeInTmux() throws {
        guard ProcessRunner.which("tmux") else {
            Issue.record("tmux is not installed")
            return
        }
        let stty = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-e2e-stty-\(getpid())")
        // The test runner sets NO_COLOR, and a tmux server it starts passes it on.
        let environment = "env -u NO_COLOR FIREDRILL_HOME=\(testHome.path) FIREDRILL_ROOT=\(repositoryRoot.path) TERM=tmux-256color LANG=C.UTF-8"
        _ = try tmux(["kill-session", "-t", session])
        let started = try tmux(["new-session", "-d", "-s", session, "-x", "160", "-y", "45", "bash --norc --noprofile"])
        try #require(started.succeeded, "\(started.stderr)")
        defer { _ = try? tmux(["kill-session", "-t", session]) }
        try type("\(environment) \(firedrillBinary.path) play payload-too-large --shell proxy", "Enter")

        // Four panes at 160x45, the shell open on the proxy.
        try #require(waitFor("the console with a shell on the proxy", timeout: 300) { $0.contains("3 Shell · proxy") && $0.contains("root@proxy") })
        let first = screen()
        for pane in ["1 Briefing", "2 Health", "3 Shell · proxy", "4 Incident report", "Objectives", "Attachments that never arrive"] {
            #expect(first.contains(pane), "no \(pane) on screen")
        }
        let run = try #require(RunStore(root: testHome).all().last { $0.level == "payload-too-large" && $0.state.isActive })
        // In colour: tmux-256color's grey borders (244) and cyan focus.
        let colours = tmuxSession.screen(escapes: true)
        #expect(colours.contains("38;5;244") && colours.contains("\u{1b}[36m"), "the console drew without colours")

        // A command typed in the embedded shell runs on the proxy and its output shows.
        try type("echo marker-$((6*7)) on $(hostname)", "Enter")
        waitFor("the command's output") { $0.contains("marker-42 on proxy") }
        // A full-screen program works, and gives the screen back.
        try type("top -b -n 1 | head -3; less /etc/nginx/conf.d/billing.conf", "Enter")
        waitFor("less showing the config") { $0.contains("client_max_body_size") && $0.contains("(END)") || $0.contains("billing.conf") && $0.contains("server") }
        try type("q")

        // The reference fix, typed in the shell, turns the objective green on screen.
        // Whatever limit the run drew, as a trainee who read it would replace it.
        try type("sed -i -E 's/client_max_body_size [^;]+;/client_max_body_size 20m;/' /etc/nginx/conf.d/billing.conf && nginx -t && nginx -s reload", "Enter")
        waitFor("the upload objective to pass", timeout: 90) { $0.range(of: #"✔ A \d+ MB attachment uploads"#, options: .regularExpression) != nil }

        // The report: typed, then the console is killed outright; nothing typed is lost.
        try type("C-]", "4")
        waitFor("the report focused") { $0.contains("┏━ 4 Incident report") }
        try type("Enter", "Proxy body limit of 1 MB rejected uploads")
        waitFor("the typed title") { $0.contains("Proxy body limit of 1 MB rejected uploads") }
        let panePID = try tmux(["display", "-p", "-t", session, "#{pane_pid}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let console = try ProcessRunner.run(["pgrep", "-P", panePID, "-x", "firedrill"], timeout: 10).stdout.split(separator: "\n").first.map(String.init) ?? ""
        try #require(!console.isEmpty)
        kill(pid_t(console)!, SIGKILL)
        waitFor("the shell to report the kill") { $0.contains("Killed") }
        let saved = try SQLiteStore(url: SQLiteStore.defaultURL(root: testHome)).load(run: run.id)
        #expect(saved["title"] == "Proxy body limit of 1 MB rejected uploads")

        // Back to the same run: the report is there.
        try type("stty sane; tput rmcup; clear; \(environment) \(firedrillBinary.path) play --run \(run.id)", "Enter")
        waitFor("the console again, with the saved report") { $0.contains("Proxy body limit of 1 MB rejected uploads") && $0.contains("1 Briefing") }

        // Smaller: tabs, one pane; larger again: four panes.
        _ = try tmux(["resize-window", "-t", session, "-x", "100", "-y", "30"])
        waitFor("the tabbed layout at 100x30") { $0.contains("1 Briefing   2 Health   3 Shell   4 Report") && $0.split(separator: "\n").count <= 30 }
        _ = try tmux(["resize-window", "-t", session, "-x", "70", "-y", "20"])
        waitFor("the too-small message") { $0.contains("needs a terminal of at least 80x24") }
        _ = try tmux(["resize-window", "-t", session, "-x", "160", "-y", "45"])
        waitFor("four panes at 160x45") { $0.contains("2 Health") && $0.contains("4 Incident report") && $0.contains("3 Shell") }

        // Quit, stopping the run: the terminal is sane and the run stopped.
        try type("q")
        waitFor("the quit dialog") { $0.contains("Stop the run \(run.id)?") }
        try type("Enter")
        waitFor("the run stopped", timeout: 120) { $0.contains("Stopped.") }
        try type("stty -a > \(stty.path); echo stty-saved", "Enter")
        waitFor("stty") { _ in FileManager.default.fileExists(atPath: stty.path) }
        Thread.sleep(forTimeInterval: 0.5)
        let settings = (try? String(contentsOf: stty, encoding: .utf8)) ?? ""
        #expect(settings.contains(" echo ") || settings.contains(" echo\n"), "stty: \(settings)")
        #expect(settings.contains(" icanon"), "stty: \(settings)")
        #expect(!settings.contains("-echo ") && !settings.contains("-icanon"), "stty: \(settings)")
        #expect(try RunStore(root: testHome).load(run.id).state == .stopped)
        #expect(try leftovers(project: run.project.name).isEmpty)
    }
}
}
