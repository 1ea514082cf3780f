import FiredrillEngine
import FiredrillTestSupport
import Foundation
import Testing

extension EndToEnd {
/// A class member plays while the class database's server is stopped: the level is fixed and
/// the report submitted offline, the status bar says what waits, and once the server is back
/// the instructor's side sees every event once and one attempt.
@Suite struct ClassOfflineTests {
    let player = "offline-\(getpid())"
    let session = "firedrill-offline-\(getpid())"
    var console: TmuxSession { TmuxSession(name: session) }
    /// The trainee's machine: a data directory of its own.
    var home: URL { testHome.appendingPathComponent("class-offline") }

    @Test func theServerStoppedMidLevelLosesNothing() throws {
        guard ProcessRunner.which("tmux") else {
            Issue.record("tmux is not installed")
            return
        }
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        let environment = "env -u NO_COLOR FIREDRILL_HOME=\(home.path) FIREDRILL_ROOT=\(repositoryRoot.path) FIREDRILL_PLAYER=\(player) "
            + "FIREDRILL_DATABASE_URL='\(url)' TERM=tmux-256color LANG=C.UTF-8"
        try #require(try console.openShell().succeeded)
        defer {
            _ = try? console.tmux(["kill-session", "-t", session])
            try? cluster.start()
        }
        try console.text("\(environment) \(firedrillBinary.path) play payload-too-large --shell proxy")
        try console.type("Enter")
        try #require(console.waitFor("the console with a shell on the proxy", timeout: 300) { $0.contains("3 Shell · proxy") && $0.contains("root@proxy") })
        let run = try #require(RunStore(root: home).all().last { $0.level == "payload-too-large" && $0.state.isActive })
        defer { _ = try? firedrill(["stop", "--run", run.id], environment: ["FIREDRILL_HOME": home.path]) }
        #expect(try cluster.psql("SELECT count(*) FROM run WHERE id = '\(run.id)'", database: database) == "1")

        // The class's server stops; the trainee fixes the level and submits the report.
        cluster.stop()
        try console.text("sed -i -E 's/client_max_body_size [^;]+;/client_max_body_size 20m;/' /etc/nginx/conf.d/billing.conf && nginx -s reload")
        try console.type("Enter")
        try #require(console.waitFor("mitigation", timeout: 90) { $0.contains("4/4 objectives") && $0.contains("mitigated") })
        try #require(console.waitFor("the status bar saying the class is offline", timeout: 60) { $0.range(of: #"class offline, \d+ waiting"#, options: .regularExpression) != nil })
        try console.type("C-]", "4")
        console.waitFor("the report focused") { $0.contains("┏━ 4 Incident report") }
        try console.fill(0, "Uploads rejected by the proxy")
        try console.fill(4, "Finance could not attach scanned invoices.")
        try console.fill(7, "The proxy body limit was too low.")
        try console.type("S")
        try #require(console.waitFor("the score, offline", timeout: 60) { $0.contains("Score · payload-too-large") })
        try console.type("x")

        // The server is back: what waited is sent, and the status bar says nothing more.
        try cluster.start()
        let sql = { (query: String) in try cluster.psql(query, database: database) }
        let deadline = Date().addingTimeInterval(60)
        while try sql("SELECT count(*) FROM report_attempt WHERE run = '\(run.id)'") == "0", Date() < deadline { Thread.sleep(forTimeInterval: 0.5) }
        try #require(console.waitFor("everything sent", timeout: 30) { screen in
            let bar = screen.split(separator: "\n").last.map(String.init) ?? ""
            return bar.contains("docker") && !bar.contains("waiting")
        })

        // The instructor (another machine, another data directory) sees it all, once.
        let instructor = ["FIREDRILL_DATABASE_URL": url, "FIREDRILL_HOME": testHome.appendingPathComponent("class-instructor").path]
        #expect(try sql("SELECT count(*) FROM report_attempt WHERE run = '\(run.id)'") == "1")
        #expect(try sql("SELECT status FROM submission WHERE run = '\(run.id)' AND document = 'report'") == "submitted")
        #expect(try sql("SELECT value FROM document_field WHERE run = '\(run.id)' AND field = 'title'") == "Uploads rejected by the proxy")
        #expect(try sql("SELECT count(*) FROM event WHERE run = '\(run.id)' AND kind = 'reported'") == "1")
        #expect(try sql("SELECT count(*) FROM event WHERE run = '\(run.id)' AND kind = 'mitigated'") == "1")
        // Every event of the run's own log is in the class database.
        // (The run log keeps whole seconds.)
        let stored = Set(try sql("SELECT (time / 1000) || ' ' || kind || ' ' || detail FROM event WHERE run = '\(run.id)'").split(separator: "\n").map(String.init))
        let missing = RunStore(root: home).events(of: run.id)
            .map { "\(Int64($0.time.timeIntervalSince1970)) \($0.kind) \($0.detail)" }.filter { !stored.contains($0) }
        #expect(missing.isEmpty, "not in the class database: \(missing)")
        let progress = try firedrill(["progress", "--json"], environment: instructor.merging(["FIREDRILL_PLAYER": player]) { $1 })
        #expect(progress.succeeded, "\(progress.stderr)")
        #expect(progress.stdout.contains(run.id), "\(progress.stdout)")
        // The instructor's review of the run: its timeline, the fix typed offline, each step once.
        let review = try firedrill(["review", run.id], environment: instructor)
        #expect(review.succeeded, "\(review.stderr)")
        #expect(review.stdout.contains("client_max_body_size 20m"), "\(review.stdout)")
        #expect(review.stdout.components(separatedBy: "Incident report submitted").count == 2, "\(review.stdout)")

        try console.type("q")
        console.waitFor("the quit dialog") { $0.contains("Stop the run \(run.id)?") }
        try console.type("Enter")
        console.waitFor("the run stopped", timeout: 120) { $0.contains("Stopped.") }
        #expect(try sql("SELECT state FROM run WHERE id = '\(run.id)'") == "stopped")
    }
}
}
