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
        let started = try tmux.openShell(rows: 30)
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

    /// Two trainees, each on a login and a data directory of their own, play the level the class
    /// assigned in two tmux sessions; the instructor's board in a third shows both, and shows
    /// ada's objectives turning green within a second of her console recording it.
    @Test func twoTraineesPlayingOnTheirOwnMachinesAreFollowedLive() throws {
        guard ProcessRunner.which("tmux") else {
            Issue.record("tmux is not installed")
            return
        }
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        let instructor = ["FIREDRILL_DATABASE_URL": url, "FIREDRILL_HOME": testHome.appendingPathComponent("class-board-instructor").path]
        try #require(try firedrill(["class", "init"], environment: instructor).status == 0)
        let suffix = String(database.suffix(6))
        var trainees: [(name: String, login: String, tmux: TmuxSession, home: URL)] = []
        for name in ["ada_\(suffix)", "bob_\(suffix)"] {
            let added = try firedrill(["class", "add", name], environment: instructor)
            let login = try #require(added.stdout.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces))
            trainees.append((name, login, TmuxSession(name: "firedrill-e2e-\(name)"), testHome.appendingPathComponent("class-\(name)")))
        }
        try #require(try firedrill(["class", "assign", "payload-too-large"], environment: instructor).status == 0)
        let board = TmuxSession(name: session + "-two")
        defer {
            for trainee in trainees {
                _ = try? trainee.tmux.tmux(["kill-session", "-t", trainee.tmux.name])
                _ = try? firedrill(["stop", "--all"], environment: ["FIREDRILL_HOME": trainee.home.path])
            }
            _ = try? board.tmux(["kill-session", "-t", board.name])
        }
        for trainee in trainees {
            try #require(try trainee.tmux.openShell().succeeded)
            // `play` with no level: the class's assignment, on the trainee's own login.
            try trainee.tmux.text("env -u NO_COLOR FIREDRILL_HOME=\(trainee.home.path) FIREDRILL_ROOT=\(repositoryRoot.path) "
                + "FIREDRILL_DATABASE_URL='\(trainee.login)' TERM=tmux-256color LANG=C.UTF-8 \(firedrillBinary.path) play --shell proxy")
            try trainee.tmux.type("Enter")
        }
        for trainee in trainees {
            try #require(trainee.tmux.waitFor("\(trainee.name)'s console with a shell on the proxy", timeout: 300) {
                $0.contains("3 Shell · proxy") && $0.contains("root@proxy")
            })
        }
        try #require(try board.openShell(rows: 30).succeeded)
        try board.type("env -u NO_COLOR FIREDRILL_HOME=\(instructor["FIREDRILL_HOME"]!) FIREDRILL_ROOT=\(repositoryRoot.path) TERM=tmux-256color "
            + "LANG=C.UTF-8 \(firedrillBinary.path) class watch --database '\(url)' --theme standard", "Enter")
        func line(_ name: String, _ screen: String) -> String { screen.split(separator: "\n").first { $0.contains(name + " ") }.map(String.init) ?? "" }
        let (ada, bob) = (trainees[0], trainees[1])
        try #require(board.waitFor("both trainees live on the board", timeout: 30) { screen in
            [ada.name, bob.name].allSatisfy { line($0, screen).contains("payload-too-large") && line($0, screen).contains("/4") }
                && !line(ada.name, screen).contains("4/4")
        })

        // Ada fixes the proxy in her console; her routine check turns the objectives green.
        try ada.tmux.text("sed -i -E 's/client_max_body_size [^;]+;/client_max_body_size 20m;/' /etc/nginx/conf.d/billing.conf && nginx -s reload")
        try ada.tmux.type("Enter")
        var screen = board.screen()
        let deadline = Date().addingTimeInterval(90)
        while !line(ada.name, screen).contains("4/4"), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            screen = board.screen()
        }
        let shown = Date()
        try #require(line(ada.name, screen).contains("4/4"), "the board never showed ada's objectives green:\n\(screen)")
        // From the check her console recorded last to the board showing it.
        let recorded = try #require(Double(try cluster.psql("""
            SELECT max(e.time) FROM event e JOIN run r ON r.id = e.run WHERE r.player = '\(ada.name)' AND e.kind = 'check'
            """, database: database)))
        let delay = shown.timeIntervalSince1970 - recorded / 1000
        #expect(delay < 1.0, "the board showed ada's objectives \(delay) s after her console recorded them")
        print("class watch: two trainees playing; ada's objectives green on the board \(Int(delay * 1000)) ms after her console recorded them")
        #expect(!line(bob.name, screen).contains("4/4"), "bob fixed nothing:\n\(screen)")
        #expect(ada.tmux.waitFor("ada's console mitigated", timeout: 30) { $0.contains("4/4 objectives") })
    }
}
}
