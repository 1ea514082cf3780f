import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine

/// The engine's run lifecycle against a fake runtime: no Docker, pure state.
@Suite struct EngineTests {
    let rig = MiniRig()
    var scratch: ScratchDirectory { rig.scratch }
    var runtime: FakeRuntime { rig.runtime }
    var world: MiniRig.World { rig.world }

    func engine(http: any HTTPClient = CurlHTTPClient()) -> Engine { rig.engine(http: http) }

    /// A level whose one objective is checked at most every 60 s.
    func writeSlowLevel() {
        scratch.write("Levels/slow/level.yaml", """
        id: slow
        title: Slow
        scenario: mini
        category: app
        difficulty: 1
        par: 10m
        briefing: It is slow to check.
        objectives:
          - {id: works, title: Works, every: 60s, check: {command: {instance: backend, run: works}}}
        """)
    }

    @Test func aRunGoesFromBootToLiveToMitigatedToStopped() throws {
        let engine = engine()
        let run = try engine.start(levelID: "broken")
        #expect(run.state == .live)
        #expect(run.liveAt != nil)
        #expect(run.project.name.hasPrefix("firedrill-broken-"))
        // The answer is sealed: a salted hash of its normalized form, never the text in run.json.
        #expect(run.capturedAnswers.isEmpty)
        #expect(run.sealedAnswers?.matches("42", question: "q") == true)
        let runFile = try String(contentsOf: engine.store.directory(of: run.id).appendingPathComponent("run.json"), encoding: .utf8)
        #expect(!runFile.contains("session 42"))
        #expect(runFile.contains(run.sealedAnswers?.hashes["q"] ?? "no hash"))
        #expect(runtime.calls.contains("build mini/app"))
        #expect(runtime.calls.contains("up \(run.project.name)"))
        #expect(runtime.calls.contains("exec db sh -c inject"))

        // The workspace: the scenario without its images, the fault applied, the ports for compose.
        let workspace = run.workspace
        #expect(try String(contentsOf: workspace.appendingPathComponent("app/settings.conf"), encoding: .utf8) == "limit = 1m\n")
        #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent("images").path))
        let env = try String(contentsOf: workspace.appendingPathComponent(".env"), encoding: .utf8)
        #expect(env.contains("FD_API_PORT=\(run.ports["api"]!)"))
        #expect(env.contains("COMPOSE_PROJECT_NAME=\(run.project.name)\n"))
        #expect(env.contains("FD_API_ORIGIN=http://127.0.0.1:\(run.ports["api"]!)"))

        let broken = try engine.check(run, verify: false)
        #expect(!broken.mitigated && !broken.solved)
        #expect(broken.objectives[1].deferred)

        world.fixed = true
        let polled = try engine.check(run, verify: false)
        #expect(polled.mitigated)
        #expect(!polled.solved)
        #expect(!runtime.calls.contains("restart backend"))
        #expect(try engine.store.load(run.id).state == .mitigated)

        let verified = try engine.check(run, verify: true)
        #expect(verified.solved)
        #expect(runtime.calls.contains("restart backend"))

        try engine.stop(run)
        let stopped = try engine.store.load(run.id)
        #expect(stopped.state == .stopped)
        #expect(runtime.projectsUp.isEmpty)
        let events = engine.store.events(of: run.id)
        #expect(events.map(\.kind) == ["booting", "up", "ready", "fault", "live", "check", "mitigated", "check", "verify", "stopped"])
        #expect(events.filter { $0.kind == "check" || $0.kind == "verify" }.map(\.detail) == ["works passed", "lasts passed", "solved 2/2"])
        #expect(stopped.costlyDetected ?? [] == [])
    }

    @Test func anObjectiveWithEveryIsCheckedAtMostThatOftenButAlwaysOnVerify() throws {
        writeSlowLevel()
        let engine = engine()
        let run = try engine.start(levelID: "slow")
        func checks() -> Int { runtime.calls.filter { $0 == "exec backend sh -c works" }.count }
        #expect(try !engine.check(run, verify: false).mitigated)
        world.fixed = true
        let cached = try engine.check(run, verify: false)
        #expect(!cached.mitigated, "answered from the check a moment ago")
        #expect(checks() == 1)
        #expect(try engine.check(run, verify: true).solved)
        #expect(checks() == 2)
        #expect(try engine.check(run, verify: false).mitigated, "the verify's result is the one reused")
        #expect(checks() == 2)
    }

    /// On the rig's manual clock: the cached answer ages with the clock and expires at `every`.
    @Test func aCachedObjectiveIsCheckedAgainOnceItsEveryHasPassed() throws {
        writeSlowLevel()
        let engine = engine()
        let run = try engine.start(levelID: "slow")
        func checks() -> Int { runtime.calls.filter { $0 == "exec backend sh -c works" }.count }
        _ = try engine.check(run, verify: false)
        world.fixed = true
        rig.clock.advance(59)
        let cached = try engine.check(run, verify: false)
        #expect(!cached.mitigated)
        #expect(cached.objectives[0].detail.hasSuffix("(checked 59 s ago; at most every 60 s, v checks now)"))
        #expect(checks() == 1)
        rig.clock.advance(1)
        #expect(try engine.check(run, verify: false).mitigated)
        #expect(checks() == 2)
        #expect(try engine.store.load(run.id).mitigatedAt == rig.clock.now)
    }

    @Test func aBootThatNeverGetsReadyFailsAfterExactlyTheReadyTimeout() throws {
        let previous = runtime.execHandler
        runtime.execHandler = { instance, command, user in
            try command.last == "ready" ? ProcessOutput(status: 1, stdout: "", stderr: "") : previous(instance, command, user)
        }
        let engine = engine()
        #expect(throws: EngineError.bootFailed("not ready after 90 s: `ready` on backend: exit 1, expected 0")) { try engine.start(levelID: "broken") }
        let record = try #require(engine.store.all().first)
        #expect(record.state == .failed)
        #expect(record.stoppedAt == record.createdAt.addingTimeInterval(engine.readyTimeout))
        #expect(rig.clock.slept == engine.readyTimeout)
        #expect(!runtime.calls.contains("exec db sh -c inject"), "no fault is injected into a scenario that is not ready")
    }

    @Test func symptomsThatNeverShowFailTheBootAfterExactlyTheSymptomTimeout() throws {
        world.fixed = true
        let engine = engine()
        #expect(throws: EngineError.symptomsNotLive(["Symptom: `symptom` on backend: exit 1, expected 0"])) { try engine.start(levelID: "broken") }
        let record = try #require(engine.store.all().first)
        #expect(record.stoppedAt == record.createdAt.addingTimeInterval(engine.symptomTimeout))
        #expect(rig.clock.slept == engine.symptomTimeout)
    }

    /// A symptom written as `not` of what the fix restores: when docker cannot run its check,
    /// nothing is known, so the symptom is not confirmed and boot fails rather than go live.
    @Test func aSymptomThatCannotBeCheckedIsNotConfirmed() throws {
        scratch.write("Levels/unseen/level.yaml", """
        id: unseen
        title: Unseen
        scenario: mini
        category: app
        difficulty: 1
        par: 10m
        briefing: It broke.
        symptoms:
          - {id: down, title: The app is down, check: {not: {command: {instance: backend, run: gone}}}}
        objectives:
          - {id: works, title: Works, check: {command: {instance: backend, run: works}}}
        """)
        let previous = runtime.execHandler
        runtime.execHandler = { instance, command, user in
            if command.last == "gone" { throw EngineError.execFailed(instance: instance, detail: "Error response from daemon: Container c1 is not running") }
            return try previous(instance, command, user)
        }
        let engine = engine()
        #expect(throws: EngineError.symptomsNotLive(["The app is down: error: could not run a command on backend: Error response from daemon: Container c1 is not running"])) {
            try engine.start(levelID: "unseen")
        }
    }

    /// An objective that cannot be checked does not hold: no mitigation, no solve, and a
    /// disruption that fails is named in its objective's detail.
    @Test func errorsNeitherMitigateNorSolve() throws {
        let engine = engine()
        let run = try engine.start(levelID: "broken")
        world.fixed = true
        let previous = runtime.execHandler
        runtime.execHandler = { instance, command, user in
            if command.last == "works" { throw EngineError.execFailed(instance: instance, detail: "Error response from daemon: Container c1 is not running") }
            return try previous(instance, command, user)
        }
        let down = try engine.check(run, verify: false)
        #expect(!down.mitigated)
        #expect(down.objectives[0].detail.hasPrefix("error: "))
        #expect(try engine.store.load(run.id).state == .live)

        runtime.execHandler = previous
        runtime.restartHandler = { _ in throw EngineError.bootFailed("restart of backend: Error response from daemon: Cannot restart container c1") }
        let verified = try engine.check(run, verify: true)
        #expect(verified.objectives[0].passed)
        #expect(!verified.solved && !verified.mitigated)
        #expect(verified.objectives[1].detail.hasPrefix("error: after restart backend: the disruption `restart backend` failed: "))
        let restart = try #require(runtime.calls.lastIndex(of: "restart backend"))
        #expect(!runtime.calls[restart...].contains("exec backend sh -c works"), "then is not checked after a failed restart")
    }

    /// The level and its scenario are read from their files once, however often the run is
    /// checked, saved, shelled into and stopped.
    @Test func aRunsLevelIsReadOnce() throws {
        let engine = engine()
        engine.journal = FakeJournal()
        let run = try engine.start(levelID: "broken")
        world.fixed = true
        for _ in 0..<3 { _ = try engine.check(run, verify: false) }
        _ = try engine.check(run, verify: true)
        _ = try engine.shellCommand(run, instance: "db", command: [], tty: false)
        try engine.stop(run)
        #expect(engine.catalog.reads == 2, "level.yaml and scenario.yaml, once each")
    }

    /// Another process (the console's hint key, the command line) saves the run while a check runs.
    @Test func aHintRevealedWhileAVerifyRunsIsKept() throws {
        let engine = engine()
        let run = try engine.start(levelID: "broken")
        let other = self.engine()
        let previous = runtime.execHandler
        let first = MiniRig.World()
        runtime.execHandler = { instance, command, user in
            if command.last == "works", !first.fixed {
                first.fixed = true
                _ = try? other.revealHint(run)
            }
            return try previous(instance, command, user)
        }
        world.fixed = true
        #expect(try engine.check(run, verify: true).solved)
        #expect(first.fixed)
        #expect(try engine.store.load(run.id).hintsRevealed == 1)
    }

    @Test func aCostlyFixIsRecordedOnceWhenItsProbeChanges() throws {
        let engine = engine()
        let journal = FakeJournal()
        engine.journal = journal
        let run = try engine.start(levelID: "broken", seed: 7)
        #expect(run.costlyBaseline == ["db-restart": "started 1"])
        #expect(run.seed == 7)
        world.fixed = true
        world.dbRestarted = true
        _ = try engine.check(run, verify: false)
        _ = try engine.check(run, verify: true)
        let record = try engine.store.load(run.id)
        #expect(record.costlyDetected == ["db-restart"])
        let costly = engine.store.events(of: run.id).filter { $0.kind == EventKind.costly }
        #expect(costly.map(\.detail) == ["db-restart: Restarted the database"])
        // The journal saw the same events and the record's last state.
        #expect(journal.events(run.id).map(\.kind) == engine.store.events(of: run.id).map(\.kind))
        #expect(journal.last(run.id)?.state == .mitigated)
        try engine.stop(run)
        // Stopping imports the commands typed in the instances' shells, once.
        let commands = journal.events(run.id).filter { $0.kind == EventKind.command }
        #expect(commands.map(\.detail) == ["backend: SHOW PROCESSLIST;", "db: SHOW PROCESSLIST;", "backend: KILL 42;", "db: KILL 42;"])
        #expect(commands.first?.time == Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func aFixThatLeavesTheProbeAloneIsNotCostly() throws {
        let engine = engine()
        let run = try engine.start(levelID: "broken")
        world.fixed = true
        _ = try engine.check(run, verify: true)
        #expect(try engine.store.load(run.id).costlyDetected == nil)
        #expect(!engine.store.events(of: run.id).contains { $0.kind == EventKind.costly })
    }

    @Test func shellHistoryParsesTimestampsAndMultiLineCommands() {
        let text = "ls\n#1700000000\nmysql -e 'SHOW\nPROCESSLIST'\n#notatime\n#1700000010\n\n#1700000020\ncat x\n"
        let events = ShellHistory.parse(text, source: "db")
        #expect(events.map(\.detail) == ["db: mysql -e 'SHOW\nPROCESSLIST'\n#notatime", "db: cat x"])
        #expect(events.map(\.time.timeIntervalSince1970) == [1_700_000_000, 1_700_000_020])
        #expect(ShellHistory.environment(path: "/h")["PROMPT_COMMAND"] == "history -a")
    }

    @Test func aFaultThatNeverShowsFailsTheBootAndCleansUp() throws {
        world.fixed = true  // the symptom never shows
        let engine = engine()
        #expect(throws: EngineError.self) { try engine.start(levelID: "broken") }
        let record = try #require(engine.store.all().first)
        #expect(record.state == .failed)
        #expect(runtime.projectsUp.isEmpty)
        #expect(throws: EngineError.noLiveRun) { try engine.run(nil) }
    }

    @Test func dockerStoppedIsSaidBeforeAnythingStarts() {
        runtime.available = false
        #expect(throws: EngineError.dockerStopped(detail: "fake")) { try engine().start(levelID: "broken") }
        #expect(runtime.calls.isEmpty)
        #expect("\(EngineError.dockerStopped(detail: "x"))".contains("make docker"))
    }

    @Test func leftoversAreCrashedBootsAndOrphanProjectsButNotLiveRuns() throws {
        let engine = engine()
        let live = try engine.start(levelID: "broken")
        let crashed = RunRecord(id: "broken-dead00", level: live.level, scenario: live.scenario,
                                project: Project(name: "firedrill-broken-dead00", directory: live.workspace, composeFile: live.project.composeFile),
                                state: .booting, ports: live.ports, createdAt: live.createdAt,
                                ownerPID: 999_999_999 % 4_000_000 + 3_000_000)  // no such process
        try engine.store.save(crashed)
        try runtime.up(project: crashed.project)
        try runtime.up(project: Project(name: "firedrill-orphan-123456", directory: scratch.url, composeFile: "x"))
        try runtime.up(project: Project(name: "someone-else", directory: scratch.url, composeFile: "x"))
        // A run of another store: its workspace exists, so it is not an orphan.
        try runtime.up(project: Project(name: "firedrill-elsewhere-abcdef", directory: scratch.url, composeFile: "x"))
        runtime.workingDirectories["firedrill-elsewhere-abcdef"] = scratch.url.path
        runtime.workingDirectories["firedrill-orphan-123456"] = "/nonexistent/workspace"

        #expect(Set(engine.leftovers()) == ["firedrill-broken-dead00", "firedrill-orphan-123456"])
        engine.removeLeftovers()
        #expect(runtime.projectsUp == [live.project.name, "someone-else", "firedrill-elsewhere-abcdef"])
        #expect(try engine.store.load("broken-dead00").state == .stopped)
        #expect(try engine.run(nil).id == live.id)
    }

    @Test func anotherStoresBootUnderWayIsNoLeftover() throws {
        let engine = engine()
        // Networks made, no container yet: no working directory to tell whose it is.
        try runtime.up(project: Project(name: "firedrill-booting-abcdef", directory: scratch.url, composeFile: "x"))
        try runtime.up(project: Project(name: "firedrill-stale-123456", directory: scratch.url, composeFile: "x"))
        runtime.created["firedrill-booting-abcdef"] = engine.clock.now.addingTimeInterval(-5)
        runtime.created["firedrill-stale-123456"] = engine.clock.now.addingTimeInterval(-3600)
        #expect(engine.leftovers() == ["firedrill-stale-123456"])
    }

    @Test func stopAllLeavesTheRunsOfAnotherDataDirectoryAlone() throws {
        let engine = engine()
        let live = try engine.start(levelID: "broken")
        try runtime.up(project: Project(name: "firedrill-orphan-123456", directory: scratch.url, composeFile: "x"))
        try runtime.up(project: Project(name: "firedrill-elsewhere-abcdef", directory: scratch.url, composeFile: "x"))
        runtime.workingDirectories["firedrill-elsewhere-abcdef"] = scratch.url.path
        runtime.workingDirectories["firedrill-orphan-123456"] = "/nonexistent/workspace"

        #expect(Set(try engine.stopAll()) == [live.id, "orphan-123456"])
        #expect(runtime.projectsUp == ["firedrill-elsewhere-abcdef"])
        #expect(try engine.store.load(live.id).state == .stopped)
    }

    @Test func unknownLevelListsTheKnownOnes() {
        #expect(throws: EngineError.unknownLevel("nope", known: ["broken"])) { try engine().start(levelID: "nope") }
    }
}

@Suite struct RunPiecesTests {
    @Test func stateTransitions() {
        #expect(RunState.booting.canMove(to: .live))
        #expect(RunState.live.canMove(to: .mitigated))
        #expect(RunState.mitigated.canMove(to: .stopped))
        #expect(!RunState.stopped.canMove(to: .live))
        #expect(!RunState.live.canMove(to: .booting))
        #expect(!RunState.mitigated.canMove(to: .live))
        #expect(RunState.allCases.filter(\.isActive) == [.booting, .live, .mitigated])
    }

    /// Every move `canMove(to:)` allows is made, with its time; every other is refused and
    /// leaves the record as it was.
    @Test func aRunMovesOnlyAsItsStateAllows() throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let booting = RunRecord(id: "r", level: "l", scenario: "s", project: Project(name: "p", directory: URL(fileURLWithPath: "/w"), composeFile: "c"),
                                state: .booting, ports: [:], createdAt: start)
        let paths: [RunState: [RunState]] = [.booting: [], .warm: [.warm], .live: [.live], .mitigated: [.live, .mitigated], .failed: [.failed],
                                             .stopped: [.stopped]]
        for (state, path) in paths {
            var from = booting
            for (index, next) in path.enumerated() { try from.move(to: next, at: start.addingTimeInterval(Double(index + 1))) }
            #expect(from.state == state)
            for next in RunState.allCases {
                var moved = from
                let at = start.addingTimeInterval(100)
                do {
                    try moved.move(to: next, at: at)
                    #expect(state.canMove(to: next), "\(state) → \(next) was made")
                    #expect(moved.state == next)
                    let stamp = [RunState.warm: moved.warmAt, .live: moved.liveAt, .mitigated: moved.mitigatedAt, .stopped: moved.stoppedAt, .failed: moved.stoppedAt][next]
                    #expect(stamp == at, "\(next) is stamped")
                } catch {
                    #expect(!state.canMove(to: next), "\(state) → \(next) was refused")
                    #expect(error as? EngineError == .illegalMove(run: "r", from: state, to: next))
                    #expect(moved == from)
                }
            }
        }
        var run = booting
        try run.move(to: .live, at: start.addingTimeInterval(5))
        try run.move(to: .mitigated, at: start.addingTimeInterval(9))
        #expect(run.liveAt == start.addingTimeInterval(5) && run.mitigatedAt == start.addingTimeInterval(9) && run.stoppedAt == nil)
        #expect(throws: EngineError.illegalMove(run: "r", from: .mitigated, to: .live)) { try run.move(to: .live, at: start) }
        #expect("\(EngineError.illegalMove(run: "r", from: .stopped, to: .live))" == "run r cannot go from stopped to live")
    }

    @Test func freePortsAreDistinctAndBindable() throws {
        let ports = try PortAllocator.freePorts(8)
        #expect(Set(ports).count == 8)
        #expect(ports.allSatisfy { $0 > 1024 && $0 < 65536 })
    }

    @Test func composeFlavourDetection() {
        #expect(ComposeFlavour.detect(pluginVersion: "Docker Compose version v2.24.0", standaloneVersion: nil) == .plugin)
        #expect(ComposeFlavour.detect(pluginVersion: nil, standaloneVersion: "docker-compose version 1.29.2, build unknown") == .standalone)
        #expect(ComposeFlavour.detect(pluginVersion: nil, standaloneVersion: nil) == nil)
        #expect(ComposeFlavour.standalone.command == ["docker-compose"])
        #expect(ComposeFlavour.plugin.command == ["docker", "compose"])
    }

    @Test func storeDefaultsFollowXDG() {
        #expect(RunStore.defaultRoot(environment: ["FIREDRILL_HOME": "/x"]).path == "/x")
        #expect(RunStore.defaultRoot(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]).path == "/d/firedrill")
        #expect(RunStore.defaultRoot(environment: ["HOME": "/h"]).path == "/h/.local/share/firedrill")
    }

    @Test func processRunnerCapturesBothStreamsAndTimesOut() throws {
        let output = try ProcessRunner.run(["sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(output == ProcessOutput(status: 3, stdout: "out\n", stderr: "err\n"))
        let slow = try ProcessRunner.run(["sleep", "5"], timeout: 0.3)
        #expect(slow.timedOut)
        let big = try ProcessRunner.run(["sh", "-c", "head -c 300000 /dev/zero | tr '\\\\0' x"])
        #expect(big.stdout.count == 300_000)
    }

    @Test func processRunnerPassesInputDirectoryAndEnvironment() throws {
        let scratch = ScratchDirectory()
        let output = try ProcessRunner.run(["sh", "-c", "cat; pwd; echo $GREETING"], input: "typed\n",
                                           environment: ["GREETING": "hello", "PATH": "/usr/bin:/bin"], directory: scratch.url)
        #expect(output.stdout == "typed\n\(scratch.url.resolvingSymlinksInPath().path)\nhello\n")
        #expect(try ProcessRunner.run(["sh", "-c", "kill -9 $$"]).status == 128 + 9)
    }

    @Test func processRunnerLeaksNoDescriptorIntoTheChild() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { fds.forEach { close($0) } }
        let listed = try ProcessRunner.run(["sh", "-c", "ls /proc/$$/fd"]).stdout.split(separator: "\n").compactMap { Int32($0) }
        #expect(!listed.contains(fds[0]) && !listed.contains(fds[1]), "the child sees \(listed)")
    }

    /// Many children at once from many threads, as the console's workers start them: every one
    /// is reaped and returns (Foundation's Process lost an exit now and then here).
    @Test func processRunnerReapsEveryChildUnderConcurrency() {
        let finished = Counter()
        DispatchQueue.concurrentPerform(iterations: 400) { index in
            if let output = try? ProcessRunner.run(["sh", "-c", "exit \(index % 7)"], timeout: 30), output.status == Int32(index % 7), !output.timedOut {
                finished.add()
            }
        }
        #expect(finished.value == 400)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}
