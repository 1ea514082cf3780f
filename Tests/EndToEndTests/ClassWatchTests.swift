import FiredrillEngine
import FiredrillTestSupport
import Foundation
import Testing

extension EndToEnd {
/// `firedrill class watch`, the class dashboard, against a database of the test cluster.
@Suite struct ClassWatchTests {
    let session = "firedrill-e2e-board-\(getpid())"

    @Test func withoutAClassDatabaseItRefusesInOneLine() throws {
        let missing = try firedrill(["class", "watch"], environment: ["FIREDRILL_DATABASE_URL": ""])
        #expect(missing.status != 0)
        #expect(missing.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(missing.stderr)")
        #expect(missing.stderr.contains("name the class database with --database URL"), "\(missing.stderr)")
        let cluster = try PostgresCluster.shared()
        let wrong = try firedrill(["class", "watch", "--database", cluster.url(database: try cluster.createDatabase(), password: "wrong")])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("password authentication failed"), "\(wrong.stderr)")
    }

    /// Two trainees in the class database (their rows as their stores write them) and the board
    /// in tmux: both show, and an objective turning green in ada's store shows within a second.
    @Test func theBoardFollowsTwoTraineesLive() throws {
        guard ProcessRunner.which("tmux") else {
            Issue.record("tmux is not installed")
            return
        }
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        let set = try firedrill(["class", "init"], environment: ["FIREDRILL_DATABASE_URL": url])
        try #require(set.status == 0, "\(set.stderr)")
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        _ = try cluster.psql("""
            INSERT INTO player VALUES ('ada', \(now)), ('bob', \(now));
            INSERT INTO run (id, player, level, category, difficulty, state, created_at, live_at, hints)
            VALUES ('payload-too-large-aaaaaa', 'ada', 'payload-too-large', 'http', 1, 'live', \(now - 60_000), \(now - 60_000), 1);
            INSERT INTO event (run, time, kind, detail) VALUES ('payload-too-large-aaaaaa', \(now - 5_000), 'command', 'proxy: nginx -t');
            INSERT INTO assignment (player, level, seed, assigned_at) VALUES ('bob', 'disk-full', 7, \(now));
            """, database: database)

        let tmux = TmuxSession(name: session)
        let environment = "env -u NO_COLOR FIREDRILL_HOME=\(testHome.path) FIREDRILL_ROOT=\(repositoryRoot.path) TERM=tmux-256color LANG=C.UTF-8"
        _ = try tmux.tmux(["kill-session", "-t", session])
        let started = try tmux.tmux(["new-session", "-d", "-s", session, "-x", "160", "-y", "30", "bash --norc --noprofile"])
        try #require(started.succeeded, "\(started.stderr)")
        defer { _ = try? tmux.tmux(["kill-session", "-t", session]) }
        try tmux.type("\(environment) \(firedrillBinary.path) class watch --database '\(url)' --theme standard", "Enter")

        func adaLine(_ screen: String) -> String { screen.split(separator: "\n").first { $0.contains("ada ") }.map(String.init) ?? "" }
        try #require(tmux.waitFor("both trainees on the board", timeout: 30) { screen in
            adaLine(screen).contains("0/4") && adaLine(screen).contains("proxy: nginx -t") && screen.contains("bob ") && screen.contains("→ disk-full") && screen.contains("no run")
        })
        // An objective turns green in ada's store: the board shows it within a second.
        _ = try cluster.psql("""
            INSERT INTO event (run, time, kind, detail) VALUES ('payload-too-large-aaaaaa', \(Int64(Date().timeIntervalSince1970 * 1000)), 'check', 'upload-works passed')
            """, database: database)
        let written = Date()
        var shown = tmux.screen()
        while !adaLine(shown).contains("1/4"), Date().timeIntervalSince(written) < 10 {
            Thread.sleep(forTimeInterval: 0.05)
            shown = tmux.screen()
        }
        let delay = Date().timeIntervalSince(written)
        #expect(adaLine(shown).contains("1/4"), "the board never showed the objective:\n\(shown)")
        #expect(delay < 1.0, "the board took \(delay) s")
        print("class watch: an objective turned green on the board \(Int(delay * 1000)) ms after it was written")

        // Enter runs 'firedrill watch RUN' on this terminal: ada's run, read from the class
        // database; q comes back to the board, whole.
        try tmux.type("Enter")
        tmux.waitFor("ada's run, read-only") { !$0.contains("TRAINEE") && $0.contains("1 Briefing") && $0.contains("Attachments that never arrive") }
        try tmux.type("q")
        tmux.waitFor("the board back") { $0.contains("TRAINEE") && $0.contains("ada ") && $0.contains("bob ") }
        #expect(try cluster.psql("SELECT string_agg(name, ',' ORDER BY name) FROM player", database: database) == "ada,bob",
                "watching made the instructor a player")

        // r reviews ada's submitted postmortem; a approves it in the class database.
        _ = try cluster.psql("""
            INSERT INTO document_field VALUES ('payload-too-large-aaaaaa', 'postmortem', 'payload-too-large', 'summary', 'The proxy refused large uploads.', \(now));
            INSERT INTO submission (run, document, status, submitted_at) VALUES ('payload-too-large-aaaaaa', 'postmortem', 'submitted', \(now));
            """, database: database)
        tmux.waitFor("the postmortem submitted") { adaLine($0).contains("submitted") }
        try tmux.type("r")
        tmux.waitFor("the review") { $0.contains("Postmortem · ada") && $0.contains("The proxy refused large uploads.") }
        try tmux.type("a")
        tmux.waitFor("the approval on the board") { adaLine($0).contains("approved") }
        #expect(try cluster.psql("SELECT status FROM submission WHERE document = 'postmortem'", database: database) == "approved")

        try tmux.type("?")
        tmux.waitFor("the help") { $0.contains("Help · firedrill class watch") }
        try tmux.type("x", "q")
        tmux.waitFor("the shell back") { !$0.contains("TRAINEE") }
    }
}
}
