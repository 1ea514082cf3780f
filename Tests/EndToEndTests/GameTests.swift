import FiredrillEngine
import FiredrillSQLite
import FiredrillTestSupport
import FiredrillStore
import Foundation
import Testing

extension EndToEnd {
/// The game end to end, in tmux as a trainee plays it: a level fixed from the console's shell,
/// the incident report filled (its timeline from the run, the commands typed included), graded
/// and scored, the postmortem written past the blamelessness lint, both exported, and progress,
/// review and the leaderboard reflecting it. A second screen watches the run read-only.
@Suite struct GameTests {
    let player = "trainee-\(getpid())"
    let session = "firedrill-game-\(getpid())"
    var console: TmuxSession { TmuxSession(name: session) }
    var watcher: TmuxSession { TmuxSession(name: session + "-watch") }
    var environment: String {
        "env -u NO_COLOR FIREDRILL_HOME=\(testHome.path) FIREDRILL_ROOT=\(repositoryRoot.path) FIREDRILL_PLAYER=\(player) TERM=tmux-256color LANG=C.UTF-8"
    }

    func keys(_ keys: String...) throws { try console.tmux(["send-keys", "-t", session] + keys) }
    func text(_ text: String) throws { try console.text(text) }
    func fill(_ index: Int, _ value: String) throws { try console.fill(index, value) }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let output = try firedrill(arguments, environment: ["FIREDRILL_PLAYER": player])
        try #require(output.succeeded, "\(arguments): \(output.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    /// The document's timeline once `f` has filled it from the run (the commands typed included).
    func filledTimeline(_ store: SQLiteStore, run: String, document: Document) throws -> String {
        let deadline = Date().addingTimeInterval(30)
        var timeline = ""
        repeat {
            timeline = try store.fields(run: run, document: document)["timeline"] ?? ""
            if timeline.contains("client_max_body_size 20m") { break }
            Thread.sleep(forTimeInterval: 0.25)
        } while Date() < deadline
        return timeline
    }

    @Test func playReportPostmortemExportAndProgress() throws {
        guard ProcessRunner.which("tmux") else {
            Issue.record("tmux is not installed")
            return
        }
        // Nothing played yet.
        let before = try json(["progress", "--json"])
        #expect(before["totalScore"] as? Int == 0)

        _ = try console.tmux(["kill-session", "-t", session])
        try #require(try console.tmux(["new-session", "-d", "-s", session, "-x", "160", "-y", "45", "bash --norc --noprofile"]).succeeded)
        defer {
            _ = try? console.tmux(["kill-session", "-t", session])
            _ = try? watcher.tmux(["kill-session", "-t", watcher.name])
        }
        try text("\(environment) \(firedrillBinary.path) play payload-too-large --shell proxy")
        try keys("Enter")
        try #require(console.waitFor("the console with a shell on the proxy", timeout: 300) { $0.contains("3 Shell · proxy") && $0.contains("root@proxy") })
        let run = try #require(RunStore(root: testHome).all().last { $0.level == "payload-too-large" && $0.state.isActive })
        // A failure part way leaves the console gone and the run up: it is stopped either way.
        defer { _ = try? firedrill(["stop", "--run", run.id]) }

        // What the report asks, read from the run as a trainee would, before the fix: the limit the
        // seed drew and the body size the proxy refused.
        let found = try firedrill(["shell", "proxy", "--run", run.id, "--", "sh", "-c", """
            sed -n 's/.*client_max_body_size \\([^;]*\\);.*/\\1/p' /etc/nginx/conf.d/billing.conf
            grep -m 1 -oE '[0-9]+ bytes' /var/log/nginx/error.log
            """]).stdout.split(separator: "\n").map(String.init)
        try #require(found.count == 2, "\(found)")
        let (limit, refused) = (found[0], found[1])

        // A command typed while investigating reaches the game's database with the checks, long
        // before a report or the end of the run asks for the commands.
        try text("grep -c client_max_body_size /etc/nginx/conf.d/billing.conf")
        try keys("Enter")
        let typed = Date().addingTimeInterval(15)
        let database = try SQLiteStore.open(root: testHome)
        var imported = false
        while !imported, Date() < typed {
            imported = try database.events(run: run.id).contains { $0.detail.contains("grep -c client_max_body_size") }
            if !imported { Thread.sleep(forTimeInterval: 0.25) }
        }
        #expect(imported, "the command typed is not in the game's database yet")

        // The fix, typed in the proxy's shell; the objectives turn green.
        try text("sed -i -E 's/client_max_body_size [^;]+;/client_max_body_size 20m;/' /etc/nginx/conf.d/billing.conf && nginx -t && nginx -s reload")
        try keys("Enter")
        try #require(console.waitFor("mitigation", timeout: 90) { $0.contains("4/4 objectives") && $0.contains("mitigated") })

        // A pair's second screen watches, read-only: the command typed shows in its timeline.
        _ = try watcher.tmux(["kill-session", "-t", watcher.name])
        try #require(try watcher.tmux(["new-session", "-d", "-s", watcher.name, "-x", "160", "-y", "45", "bash --norc --noprofile"]).succeeded)
        try watcher.tmux(["send-keys", "-t", watcher.name, "-l", "\(environment) \(firedrillBinary.path) watch \(run.id) --theme standard"])
        try watcher.tmux(["send-keys", "-t", watcher.name, "Enter"])
        watcher.waitFor("the watcher's timeline with the command typed", timeout: 60) {
            $0.contains("Timeline · watching") && $0.contains("client_max_body_size 20m")
        }
        try watcher.tmux(["send-keys", "-t", watcher.name, "v"])
        watcher.waitFor("the watcher refusing to verify") { $0.contains("read-only") }
        try watcher.tmux(["send-keys", "-t", watcher.name, "q"])
        watcher.waitFor("the watcher gone, the run still up") { $0.contains("bash") && !$0.contains("Timeline · watching") }
        #expect(try RunStore(root: testHome).load(run.id).state.isActive)

        // Verify, then the report: typed, filled from the run, submitted, graded, scored.
        try keys("C-]", "v")
        try #require(console.waitFor("the verify", timeout: 120) { $0.contains("Verified: solved") || $0.contains("solved") && $0.contains("last verify") })
        try keys("4")
        console.waitFor("the report focused") { $0.contains("┏━ 4 Incident report") }
        try fill(0, "Uploads over \(limit) rejected by the proxy")
        try fill(4, "Finance could not attach scanned invoices.")
        try fill(7, "The proxy body limit was \(limit).")
        try fill(9, "413")
        try fill(10, limit)
        try fill(11, refused)
        try keys("f")
        let store = try SQLiteStore(url: SQLiteStore.defaultURL(root: testHome))
        let timeline = try filledTimeline(store, run: run.id, document: .report)
        #expect(timeline.contains("on proxy: `sed -i -E 's/client_max_body_size [^;]+;/client_max_body_size 20m;/'"), "timeline: \(timeline)")
        #expect(timeline.contains("Fault live") && timeline.contains("mitigated"), "timeline: \(timeline)")
        try keys("S")
        try #require(console.waitFor("the score", timeout: 60) { $0.contains("Score · payload-too-large") && $0.contains("(passed)") })
        let scored = console.screen()
        #expect(scored.contains("Report 3/3 answers correct"), "\(scored)")
        // With the report in, the next level boots ahead, paused, for this player only, and the
        // status bar says so once it is ready.
        try #require(console.waitFor("the next level ready", timeout: 180) { $0.contains("next: ") && $0.contains(" ready (") && $0.contains("MiB held)") })
        let ahead = try #require(RunStore(root: testHome).all().first { $0.state == .warm && $0.preparedFor == player })
        defer { _ = try? firedrill(["stop", "--run", ahead.id]) }
        #expect(ahead.level != "payload-too-large", "the next level is not the one being played")
        #expect(console.screen().contains("next: \(ahead.level) ready"))

        // The postmortem: blaming words are flagged and block the submission until rewritten.
        try keys("x", "p")
        console.waitFor("the postmortem") { $0.contains("┏━ 4 Postmortem") }
        try fill(0, "Uploads over \(limit) failed at the proxy.")
        try fill(1, "Finance could not attach invoices.")
        try fill(2, "The proxy body limit was below attachment sizes.")
        try fill(3, "A config change lowered the limit.")
        try fill(4, "Support reported it; no alert fired.")
        try fill(5, "Raised the limit and reloaded nginx.")
        try keys("f")
        #expect(try filledTimeline(store, run: run.id, document: .postmortem).contains("Incident report submitted"))
        try fill(7, "P2 | platform team | alert on 413 rates at the proxy")
        try fill(8, "The proxy log named the status at once.")
        try fill(9, "Bob forgot to raise the limit.")
        try fill(10, "It happened before month end.")
        console.waitFor("the blamelessness finding") { $0.contains("⚠ line 1") && $0.contains("Bob forgot") }
        try keys("S")
        console.waitFor("the submission refused") { $0.contains("The postmortem is not ready") }
        try keys("x", "g")
        try console.tmux(["send-keys", "-t", session, "-N", "9", "j"])
        try keys("Enter", "End")
        try console.tmux(["send-keys", "-t", session, "-N", "40", "BSpace"])
        try text("Nothing checked the limit against attachment sizes.")
        try keys("C-]")
        console.waitFor("the rewritten sentence") { $0.contains("Nothing checked the limit") && !$0.contains("⚠") }
        try keys("S")
        console.waitFor("the postmortem submitted") { $0.contains("Postmortem submitted for review") }

        // Quit, stopping the run: the score and the standing are printed.
        try keys("q")
        console.waitFor("the quit dialog") { $0.contains("Stop the run \(run.id)?") }
        try keys("Enter")
        console.waitFor("the run stopped with its score", timeout: 120) { $0.contains("Stopped.") && $0.contains("levels passed") }

        // Both documents exported as Markdown, with the sections a wiki page needs.
        let exportDirectory = testHome.appendingPathComponent("export-\(run.id)")
        let exported = try firedrill(["report", "export", "--run", run.id, "--output", exportDirectory.path], environment: ["FIREDRILL_PLAYER": player])
        try #require(exported.succeeded, "\(exported.stderr)")
        let postmortem = try String(contentsOf: exportDirectory.appendingPathComponent("postmortem.md"), encoding: .utf8)
        for section in ["## Summary", "## Impact", "## Root cause", "## Timeline", "## Action items"] {
            #expect(postmortem.contains(section), "postmortem.md lacks \(section)")
        }
        #expect(postmortem.contains("| P2 | platform team | alert on 413 rates at the proxy |"))
        #expect(postmortem.contains("client_max_body_size 20m"))
        let report = try String(contentsOf: exportDirectory.appendingPathComponent("incident-report.md"), encoding: .utf8)
        #expect(report.contains("# Incident report: Uploads over \(limit) rejected by the proxy"))
        #expect(report.contains("SEV3 minor"), "the severity shown by default is submitted too")
        #expect(report.contains("## Root cause") && report.contains("The proxy body limit was \(limit)."))
        // Submitting also wrote them into the run's workspace.
        #expect(FileManager.default.fileExists(atPath: run.workspace.appendingPathComponent("postmortem.md").path))

        // The report is frozen: submitting again records attempt 2, listed with the first,
        // which keeps counting; the answers' grades show no expected answer.
        let again = try firedrill(["report", "submit", "--run", run.id], environment: ["FIREDRILL_PLAYER": player])
        try #require(again.succeeded, "\(again.stderr)")
        #expect(again.stdout.contains("attempt 2, recorded"), "\(again.stdout)")
        #expect(again.stdout.contains("Report 3/3 answers correct"), "\(again.stdout)")
        let shown = try firedrill(["report", "show", "--run", run.id], environment: ["FIREDRILL_PLAYER": player])
        #expect(shown.stdout.contains("## Attempts") && shown.stdout.contains("attempt 2 · "), "\(shown.stdout)")
        #expect(!shown.stdout.contains("Expected"))

        // Progress: the level passed with its score, http covered, the postmortem counted.
        let progress = try json(["progress", "--json"])
        let levels = try #require(progress["levels"] as? [[String: Any]])
        let row = try #require(levels.first { $0["level"] as? String == "payload-too-large" })
        #expect(row["passed"] as? Bool == true)
        let best = try #require(row["bestScore"] as? Int)
        #expect(best > 500)
        #expect(progress["totalScore"] as? Int == best)
        let certification = try #require(progress["certification"] as? [String: Any])
        #expect((certification["categories"] as? [String: Bool])?["http"] == true)
        #expect(certification["certified"] as? Bool == false)
        let requirements = try #require(certification["requirements"] as? [[String: Any]])
        #expect(requirements.contains { ($0["title"] as? String ?? "").contains("postmortem") && $0["met"] as? Bool == true })

        // The instructor: the postmortem waits for review; sent back, it no longer counts.
        let review = try firedrill(["review"])
        #expect(review.stdout.contains(run.id) && review.stdout.contains(player), "\(review.stdout)")
        #expect(try firedrill(["review", run.id, "--send-back", "Say how the limit came to be 1m."]).succeeded)
        let returned = try json(["progress", "--json"])
        let after = try #require((returned["certification"] as? [String: Any])?["requirements"] as? [[String: Any]])
        #expect(after.contains { ($0["title"] as? String ?? "").contains("postmortem") && $0["met"] as? Bool == false })
        let board = try firedrill(["leaderboard"])
        #expect(board.stdout.contains(player) && board.stdout.contains(String(best)), "\(board.stdout)")
        #expect(try leftovers(project: run.project.name).isEmpty)
    }
}
}
