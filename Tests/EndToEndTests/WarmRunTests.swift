import FiredrillEngine
import FiredrillTestSupport
import Foundation
import Testing

extension EndToEnd {
/// Warm runs on the real engine: a level booted ahead waits paused and is no one's play; `play`
/// gives it thawed, its clock started then; a half-booted one left by a killed process is removed
/// by the next start.
@Suite struct WarmRunTests {
    let session = TmuxSession(name: "firedrill-e2e-warm-\(getpid())")
    let player = "warm-\(getpid())"

    struct Warmed: Decodable {
        var run, level: String
        var heldMemoryBytes: Int64?
    }

    /// Each container's state of a project (running, paused, exited…).
    func states(_ project: String) throws -> [String] {
        let output = try ProcessRunner.run(["docker", "ps", "-a", "--filter", "label=com.docker.compose.project=\(project)",
                                            "--format", "{{.State}}"], timeout: 60)
        return output.stdout.split(separator: "\n").map(String.init).sorted()
    }

    @Test func playGivesTheWarmRunThawedAndTheConsoleSaysItWaits() throws {
        guard ProcessRunner.which("tmux") else {
            Issue.record("tmux is not installed")
            return
        }
        let environment = ["FIREDRILL_PLAYER": player]
        let warmed = try firedrill(["warm", "cors", "--json"], environment: environment)
        try #require(warmed.succeeded, "\(warmed.stderr)")
        let ahead = try decode(Warmed.self, warmed.stdout)
        defer { _ = try? firedrill(["stop", "--run", ahead.run]) }
        let waiting = try RunStore(root: testHome).load(ahead.run)
        #expect(waiting.state == .warm && waiting.liveAt == nil && waiting.preparedFor == player)
        #expect(try states(waiting.project.name) == Array(repeating: "paused", count: 4), "frozen while it waits")
        #expect((ahead.heldMemoryBytes ?? 0) > 50 << 20, "the memory it holds: \(ahead.heldMemoryBytes ?? 0)")
        let progress = try firedrill(["progress", "--json"], environment: environment)
        #expect(progress.succeeded && !progress.stdout.contains(ahead.run), "a warm run is no one's play: \(progress.stdout)")
        #expect(try firedrill(["status"], environment: environment).stdout.contains("\(ahead.run)  cors  warm"))

        // Another level named meanwhile boots cold; its console says the next one is ready.
        try session.openShell()
        defer { _ = try? session.tmux(["kill-session", "-t", session.name]) }
        let command = "FIREDRILL_PLAYER=\(player) FIREDRILL_HOME=\(testHome.path) FIREDRILL_ROOT=\(repositoryRoot.path) "
            + "FIREDRILL_CONFIG_HOME=\(testHome.appendingPathComponent("config").path) LANG=C.UTF-8 \(firedrillBinary.path) play"
        try session.text("\(command) payload-too-large")
        try session.type("Enter")
        try #require(session.waitFor("the cold level's console with the next one ready", timeout: 180) {
            $0.contains("payload-too-large") && $0.contains("next: cors ready (")
        })
        try session.type("q")
        session.waitFor("the quit dialog") { $0.contains("Stop the run") }
        try session.type("Enter")
        session.waitFor("the run stopped", timeout: 120) { $0.contains("Stopped.") }
        #expect(try RunStore(root: testHome).load(ahead.run).state == .warm, "still waiting")

        // play without a level gives it at once: thawed, live from now, the game's from now on.
        try session.text("clear; \(command)")
        try session.type("Enter")
        try #require(session.waitFor("the warm run's console", timeout: 60) { $0.contains("booted while you played") || $0.contains("┏━ 1 Briefing") && $0.contains("cors") })
        session.waitFor("the console on cors", timeout: 60) { $0.contains("cors") && $0.contains("objectives") }
        let given = try RunStore(root: testHome).load(ahead.run)
        #expect(given.state == .live)
        #expect(try states(given.project.name) == Array(repeating: "running", count: 4), "never given frozen")
        let warmAt = try #require(given.warmAt), liveAt = try #require(given.liveAt)
        #expect(liveAt > warmAt, "the level's clock starts when it is given")
        let kinds = RunStore(root: testHome).events(of: given.id).map(\.kind)
        #expect(kinds.firstIndex(of: "warm")! < kinds.firstIndex(of: "live")!, "\(kinds)")
        let played = try firedrill(["progress", "--json"], environment: environment)
        #expect(played.stdout.contains(ahead.run), "given, it is the player's run: \(played.stdout)")
        try session.type("q")
        session.waitFor("the quit dialog") { $0.contains("Stop the run") }
        try session.type("Enter")
        session.waitFor("the run stopped", timeout: 120) { $0.contains("Stopped.") }
        #expect(try leftovers(project: given.project.name).isEmpty)
    }

    @Test func aRunHalfBootedAheadByAKilledProcessIsRemovedByTheNextStart() throws {
        let store = RunStore(root: testHome)
        let known = Set(store.all().map(\.id))
        let pid = try spawn(["/usr/bin/env", "FIREDRILL_PLAYER=\(player)", "FIREDRILL_HOME=\(testHome.path)", "FIREDRILL_ROOT=\(repositoryRoot.path)",
                             "FIREDRILL_CONFIG_HOME=\(testHome.appendingPathComponent("config").path)", firedrillBinary.path, "warm", "payload-too-large"])
        // Killed once its instances are up (compose is done), before it is ready.
        var booting: RunRecord?
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let record = store.all().first(where: { !known.contains($0.id) }), store.events(of: record.id).contains(where: { $0.kind == "up" }) {
                booting = record
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        let left = try #require(booting, "the warm boot never made its instances")
        #expect(try store.load(left.id).state == .booting)
        #expect(try !leftovers(project: left.project.name).isEmpty)

        let started = try firedrill(["start", "missing-directory", "--no-warm", "--json"], environment: ["FIREDRILL_PLAYER": player])
        try #require(started.succeeded, "\(started.stderr)")
        #expect(started.stdout.contains("\"warm\" : false"))
        let run = try #require(try JSONSerialization.jsonObject(with: Data(started.stdout.utf8)) as? [String: Any])["run"] as? String
        defer { _ = try? firedrill(["stop", "--run", run ?? ""]) }
        #expect(try leftovers(project: left.project.name).isEmpty, "the half-booted run is gone")
        #expect(try store.load(left.id).state == .stopped)
    }
}
}
