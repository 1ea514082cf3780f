import Foundation
import Testing
import FiredrillEngine
import FiredrillPostgres
import FiredrillRules
import FiredrillStore
import FiredrillTestSupport

extension EndToEnd {
/// A class seen from the instructor's machine: two trainees' runs reach the class database
/// (written through the store, as their consoles do, without Docker), and the instructor's
/// commands, from a data directory of their own where no run file exists, cover both.
@Suite struct ClassAcrossMachinesTests {
    struct Row: Decodable { var player: String; var score: Int; var passed: Int }
    struct Standing: Decodable {
        struct Played: Decodable { var run: String; var passed: Bool; var reportSubmitted: Bool; var postmortem: String? }
        var player: String
        var runs: [Played]
    }

    /// A data directory of its own: one machine.
    func machine(_ name: String) throws -> String {
        let home = testHome.appendingPathComponent("class-\(name)-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return home.path
    }

    /// A trainee's run as their console leaves it in the class database: live, fixed, commands
    /// typed, an objective green, the report and the postmortem submitted.
    func play(_ store: PostgresStore, run: String, player: String, fixedBy command: String) throws {
        let start = Date().addingTimeInterval(-600)
        var stored = StoredRun(id: run, player: player, level: "payload-too-large", category: .http, difficulty: 1, seed: 7,
                               state: "live", createdAt: start, liveAt: start.addingTimeInterval(20))
        try store.upsertRun(stored)
        try store.append([
            RunEvent(time: start.addingTimeInterval(20), kind: EventKind.live, detail: "fault live"),
            RunEvent(time: start.addingTimeInterval(60), kind: EventKind.command, detail: "proxy: \(command)"),
            RunEvent(time: start.addingTimeInterval(90), kind: EventKind.check, detail: "upload-works passed",
                     payload: .check(objective: "upload-works", passed: true)),
        ], run: run)
        stored.state = "mitigated"
        stored.mitigatedAt = start.addingTimeInterval(90)
        try store.upsertRun(stored)
        for (field, value) in ["title": "Uploads refused by \(player)'s proxy", "impact": "uploads failed", "root_cause": "body limit"] {
            try store.saveField(run: run, level: "payload-too-large", document: .report, field: field, value: value)
        }
        try store.submit(run: run, document: .report, at: start.addingTimeInterval(200))
        try store.saveField(run: run, level: "payload-too-large", document: .postmortem, field: "summary", value: "\(player) raised the limit")
        try store.submit(run: run, document: .postmortem, at: start.addingTimeInterval(300))
    }

    @Test func theInstructorsCommandsCoverTraineesOfOtherMachines() throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase()
        let instructor = ["FIREDRILL_DATABASE_URL": cluster.url(database: database), "FIREDRILL_HOME": try machine("instructor")]
        #expect(try firedrill(["class", "init"], environment: instructor).status == 0)
        let suffix = String(database.suffix(6))
        var trainees: [(name: String, url: String, home: String)] = []
        for name in ["ada_\(suffix)", "bob_\(suffix)"] {
            let added = try firedrill(["class", "add", name], environment: instructor)
            let url = try #require(added.stdout.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces))
            trainees.append((name, url, try machine(name)))
        }
        let (ada, bob) = (trainees[0], trainees[1])
        // The level and seed their runs are on, assigned by the class.
        #expect(try firedrill(["class", "assign", "payload-too-large", "--seed", "7"], environment: instructor).status == 0)
        try play(PostgresStore(url: ada.url), run: "ada-run-\(suffix)", player: ada.name, fixedBy: "sed -i s/1m/20m/ billing.conf")
        try play(PostgresStore(url: bob.url), run: "bob-run-\(suffix)", player: bob.name, fixedBy: "nginx -s reload")
        // Scored where the trainees cannot change it.
        let grader = try PostgresStore(url: cluster.url(database: database))
        try grader.saveScore(run: "ada-run-\(suffix)", card: ScoreCard(lines: [], total: 900, passed: true), at: Date())
        try grader.saveScore(run: "bob-run-\(suffix)", card: ScoreCard(lines: [], total: 400, passed: false), at: Date())

        let waiting = try firedrill(["review"], environment: instructor)
        #expect(waiting.status == 0, "\(waiting.stderr)")
        #expect(waiting.stdout.contains(ada.name) && waiting.stdout.contains(bob.name), "\(waiting.stdout)")

        // Bob's postmortem and report, with the commands he typed, read where his run files are not.
        let postmortem = try firedrill(["review", "bob-run-\(suffix)"], environment: instructor)
        #expect(postmortem.status == 0, "\(postmortem.stderr)")
        #expect(postmortem.stdout.contains("\(bob.name) raised the limit"), "\(postmortem.stdout)")
        #expect(postmortem.stdout.contains("nginx -s reload"), "\(postmortem.stdout)")
        let report = try firedrill(["report", "show", "--run", "ada-run-\(suffix)"], environment: instructor)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("Uploads refused by \(ada.name)'s proxy"), "\(report.stdout)")
        let approved = try firedrill(["review", "ada-run-\(suffix)", "--approve"], environment: instructor)
        #expect(approved.status == 0, "\(approved.stderr)")

        let board = try decode([Row].self, try firedrill(["leaderboard", "--json"], environment: instructor).stdout)
        #expect(board.map(\.player) == [ada.name, bob.name])
        #expect(board.map(\.score) == [900, 400])

        let standing = try firedrill(["progress", "--player", ada.name, "--json"], environment: instructor)
        #expect(standing.status == 0, "\(standing.stderr)")
        let progress = try decode(Standing.self, standing.stdout)
        #expect(progress.runs.map(\.run) == ["ada-run-\(suffix)"])
        #expect(progress.runs.first?.passed == true)
        #expect(progress.runs.first?.reportSubmitted == true)
        #expect(progress.runs.first?.postmortem == "approved")
        let certificate = try firedrill(["certificate", "--player", bob.name], environment: instructor)
        #expect(certificate.status == 2, "\(certificate.stderr)")
        #expect(certificate.stdout.hasPrefix("\(bob.name) is not certified yet."), "\(certificate.stdout)")

        // The instructor's commands made no player of the instructor.
        #expect(try grader.players().sorted() == [ada.name, bob.name].sorted())

        // Each trainee, on their own machine, sees their own standing only.
        let own = try firedrill(["leaderboard", "--json"], environment: ["FIREDRILL_DATABASE_URL": bob.url, "FIREDRILL_HOME": bob.home,
                                                                         "FIREDRILL_PLAYER": bob.name])
        #expect(try decode([Row].self, own.stdout).map(\.player) == [bob.name], "\(own.stdout) \(own.stderr)")
    }

    /// The instructor's `watch` follows a run of another machine from the class database, and
    /// shows a change within a second of it (a notification, not the two-second re-read).
    @Test func aRunOfAnotherMachineIsWatchedLive() throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase()
        let roles = try ClassRoles(url: cluster.url(database: database))
        try roles.initialize()
        let name = "cy_\(database.suffix(6))"
        let trainee = try PostgresStore(url: cluster.url(database: database, user: name, password: try roles.addTrainee(name)))
        try PostgresStore(url: cluster.url(database: database)).assign(level: "payload-too-large", seed: 7, to: [name], at: Date())
        let run = "cy-run-\(database.suffix(6))"
        let start = Date().addingTimeInterval(-120)
        try trainee.upsertRun(StoredRun(id: run, player: name, level: "payload-too-large", category: .http, difficulty: 1, seed: 7,
                                        state: "live", createdAt: start, liveAt: start))
        try trainee.append(RunEvent(time: start, kind: EventKind.live, detail: "fault live"), run: run)

        let watcher = TmuxSession(name: "firedrill-e2e-class-watch-\(getpid())")
        try #require(try watcher.openShell().succeeded)
        defer { _ = try? watcher.tmux(["kill-session", "-t", watcher.name]) }
        let environment = "env -u NO_COLOR FIREDRILL_HOME=\(try machine("watcher")) FIREDRILL_ROOT=\(repositoryRoot.path) "
            + "FIREDRILL_DATABASE_URL='\(cluster.url(database: database))' TERM=tmux-256color LANG=C.UTF-8"
        try watcher.tmux(["send-keys", "-t", watcher.name, "-l", "\(environment) \(firedrillBinary.path) watch \(run) --theme standard"])
        try watcher.tmux(["send-keys", "-t", watcher.name, "Enter"])
        try #require(watcher.waitFor("the watcher on the run from the class database", timeout: 30) {
            $0.contains("Timeline · watching") && $0.contains("Fault live") && $0.contains("0/4 objectives")
        })
        // Let the first re-reads pass, so that what follows is told by a notification.
        Thread.sleep(forTimeInterval: 2.5)

        try trainee.append([RunEvent(time: Date(), kind: EventKind.command, detail: "proxy: nginx -s reload"),
                            RunEvent(time: Date(), kind: EventKind.check, detail: "upload-works passed",
                                     payload: .check(objective: "upload-works", passed: true))], run: run)
        watcher.waitFor("the command typed and the objective, within a second", timeout: 1.2) {
            $0.contains("nginx -s reload") && $0.contains("1/4 objectives")
        }
        // At once again: a re-read on a timer would have just passed.
        try trainee.saveField(run: run, level: "payload-too-large", document: .report, field: "title", value: "Uploads refused")
        watcher.waitFor("the report's title as typed, within a second", timeout: 1.2) { $0.contains("Uploads refused") }
        // The class database away past a timed re-read, then back: the watcher catches up.
        cluster.stop()
        Thread.sleep(forTimeInterval: 12)
        try cluster.start()
        try trainee.saveField(run: run, level: "payload-too-large", document: .report, field: "impact", value: "Uploads failed for an hour")
        watcher.waitFor("the report's impact, once the server is back", timeout: 5) { $0.contains("Uploads failed for an hour") }
        try watcher.type("q")
        watcher.waitFor("the watcher gone") { !$0.contains("Timeline · watching") }
        // The watcher wrote nothing of the trainee's.
        #expect(try trainee.fields(run: run, document: .report) == ["title": "Uploads refused", "impact": "Uploads failed for an hour"])
        #expect(try trainee.fields(run: run, document: .postmortem) == [:])
    }
}
}
