import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine

/// Warm runs on the fake runtime: booted ahead and paused, no one's until given, their clock
/// started when given, never given frozen.
@Suite struct WarmRunTests {
    let rig = MiniRig()
    var runtime: FakeRuntime { rig.runtime }

    func engine(journal: FakeJournal? = nil) -> Engine {
        let engine = rig.engine()
        engine.journal = journal
        return engine
    }

    func writeLevel(_ id: String, warm: String) {
        rig.scratch.write("Levels/\(id)/level.yaml", """
        id: \(id)
        title: \(id)
        scenario: mini
        category: app
        difficulty: 1
        par: 10m
        briefing: It broke.
        faults:
          - exec: {instance: db, run: inject}
        objectives:
          - {id: works, title: Works, check: {command: {instance: backend, run: works}}}
        \(warm)
        """)
    }

    @Test func aWarmRunWaitsPausedAndNoOnesThenItsClockStartsWhenGiven() throws {
        let journal = FakeJournal()
        let engine = engine(journal: journal)
        let warm = try engine.start(levelID: "broken", warm: true)
        #expect(warm.state == .warm)
        #expect(warm.liveAt == nil)
        #expect(warm.warmAt != nil)
        #expect(runtime.paused == [warm.project.name])
        #expect(warm.heldMemory == 2, "one byte per fake instance, measured once paused")
        // Booted and faulted, its symptoms seen and its answers captured, as a cold boot does, but
        // not yet anyone's run.
        #expect(runtime.calls.contains("exec db sh -c inject"))
        #expect(runtime.calls.contains("exec backend sh -c symptom"))
        #expect(warm.sealedAnswers?.matches("42", question: "q") == true)
        #expect(journal.last(warm.id) == nil)
        #expect(journal.events(warm.id).isEmpty)
        #expect(engine.warmRuns().map(\.id) == [warm.id])
        #expect(throws: EngineError.noLiveRun) { try engine.run(nil) }
        #expect(throws: EngineError.notGiven(run: warm.id)) { try engine.check(warm, verify: false) }
        #expect(throws: EngineError.notGiven(run: warm.id)) { try engine.shellCommand(warm, instance: "db", command: [], tty: false) }

        rig.clock.advance(3600)
        let given = try engine.give(warm)
        #expect(given.state == .live)
        #expect(given.liveAt == rig.clock.now, "the level's clock starts when the trainee gets it")
        #expect(runtime.paused.isEmpty)
        #expect(runtime.calls.filter { $0 == "exec db sh -c answer" }.count == 1, "no question to capture again")
        #expect(given.sealedAnswers?.matches("42", question: "q") == true)
        #expect(journal.last(warm.id)?.state == .live)
        #expect(journal.events(warm.id).map(\.kind) == ["booting", "up", "ready", "fault", "warm", "live"])
        #expect(engine.warmRuns().isEmpty)
        #expect(try engine.run(nil).id == warm.id)
        #expect(throws: EngineError.notWarm(run: warm.id, state: .live)) { try engine.give(given) }
    }

    @Test func aLevelThatSaysItCannotSurviveAPauseIsNeverWarmed() throws {
        writeLevel("frozen", warm: "warm: {cold: the fault counts seconds}")
        let engine = engine()
        #expect(throws: EngineError.coldOnly(level: "frozen", reason: "the fault counts seconds")) {
            try engine.start(levelID: "frozen", warm: true)
        }
        #expect(runtime.projectsUp.isEmpty)
        #expect(try engine.start(levelID: "frozen").state == .live, "it boots when asked")
    }

    @Test func rearmedFaultsRunAgainWhenTheRunIsGiven() throws {
        writeLevel("timed", warm: "warm: {rearm: [{exec: {instance: db, run: inject}}]}")
        let engine = engine()
        let warm = try engine.start(levelID: "timed", warm: true)
        #expect(runtime.calls.filter { $0 == "exec db sh -c inject" }.count == 1)
        _ = try engine.give(warm)
        #expect(runtime.calls.filter { $0 == "exec db sh -c inject" }.count == 2)
        #expect(runtime.calls.lastIndex(of: "exec db sh -c inject")! > runtime.calls.firstIndex(of: "unpause \(warm.project.name)")!)
    }

    @Test func answersAboutWhenTheTraineeArrivesAreCapturedAgainWhenGiven() throws {
        writeLevel("dated", warm: """
        questions:
          - {id: today, ask: Which day?, kind: number, answer: {command: {instance: db, run: answer}}}
          - {id: fixed, ask: Which zone?, kind: identifier, answer: {value: UTC}}
        warm: {recapture: [today]}
        """)
        let engine = engine()
        var told: [[String: String]] = []
        let warm = try engine.start(levelID: "dated", warm: true, answers: { told.append($0) })
        #expect(runtime.calls.filter { $0 == "exec db sh -c answer" }.count == 1)
        let given = try engine.give(warm, answers: { told.append($0) })
        #expect(runtime.calls.filter { $0 == "exec db sh -c answer" }.count == 2)
        #expect(runtime.calls.lastIndex(of: "exec db sh -c answer")! > runtime.calls.firstIndex(of: "unpause \(warm.project.name)")!)
        #expect(told == [["today": "42", "fixed": "utc"], ["today": "42"]])
        #expect(given.sealedAnswers?.matches("utc", question: "fixed") == true, "the others stay as captured")
    }

    @Test func aWarmRunThatCannotBeGivenIsRemovedAndNeverGivenFrozen() throws {
        writeLevel("timed", warm: "warm: {rearm: [{exec: {instance: db, run: rearm}}]}")
        let engine = engine()
        let warm = try engine.start(levelID: "timed", warm: true)
        #expect(throws: EngineError.self) { try engine.give(warm) }
        #expect(try engine.store.load(warm.id).state == .stopped)
        #expect(runtime.projectsUp.isEmpty)
        #expect(runtime.paused.isEmpty)
    }

    @Test func stoppingEverythingRemovesTheWarmRunToo() throws {
        let engine = engine()
        let live = try engine.start(levelID: "broken")
        let warm = try engine.start(levelID: "broken", warm: true)
        #expect(Set(try engine.stopAll()) == [live.id, warm.id])
        #expect(runtime.projectsUp.isEmpty)
        #expect(try engine.store.load(warm.id).state == .stopped)
    }

    @Test func aLevelFileSaysWhatWarmingItNeedsStrictly() throws {
        let folder = rig.scratch.url.appendingPathComponent("Levels/bad")
        for (warm, field) in [("warm: {rearm: [{exec: {instance: db, run: x}}], later: true}", "warm.later"),
                              ("warm: {rearm: [{restart: db}]}", "warm.rearm"),
                              ("warm: {cold: why, rearm: [{exec: {instance: db, run: x}}]}", "warm.cold"),
                              ("warm: {recapture: [nothing]}", "warm.recapture")] {
            writeLevel("bad", warm: warm)
            let error = try #require(throws: Diagnostics.self) { try LevelLoader.level(at: folder) }
            #expect(error.items.contains { $0.field.hasPrefix(field) && $0.line == 12 }, "\(warm): \(error)")
        }
        writeLevel("bad", warm: "warm: {cold: it counts seconds}")
        #expect(try LevelLoader.level(at: folder).coldOnly == "it counts seconds")
    }

    @Test func warmingAsksForTheScenariosLimitsAndAMarginOfFreeMemory() throws {
        #expect(HostMemory.limits(composeText: "services:\n  a: {mem_limit: 512m}\n  b: {mem_limit: 1g}\n") == 1536 << 20)
        #expect(HostMemory.limits(composeText: "services:\n  a: {mem_limit: 512m}\n  b: {image: x}\n") == nil)
        #expect(HostMemory.bytes("128k") == 128 << 10)
        let meminfo = rig.scratch.write("meminfo", "MemTotal:       24000000 kB\nMemFree:  100 kB\nMemAvailable:    1100000 kB\n")
        #expect(HostMemory.available(meminfo: meminfo.path) == Int64(1_100_000 * 1024))
        // The mini scenario's limits: 2 × 64 MiB; with the 1 GiB margin, 1,152 MiB.
        let engine = engine()
        #expect(throws: EngineError.notEnoughMemory(needed: (128 << 20) + HostMemory.margin, available: 1_100_000 * 1024)) {
            try engine.ensureMemoryToWarm(levelID: "broken", meminfo: meminfo.path)
        }
        rig.scratch.write("meminfo", "MemAvailable:    1300000 kB\n")
        try engine.ensureMemoryToWarm(levelID: "broken", meminfo: meminfo.path)
    }

    @Test func settingsTurnWarmingOffFromTheFileOrTheEnvironment() throws {
        let file = rig.scratch.url.appendingPathComponent("settings.yaml")
        #expect(try Settings.load(file: file, environment: [:]).warm, "on by default, without a file")
        rig.scratch.write("settings.yaml", "warm: false\n")
        #expect(try !Settings.load(file: file, environment: [:]).warm)
        #expect(try Settings.load(file: file, environment: ["FIREDRILL_WARM": "1"]).warm)
        rig.scratch.write("settings.yaml", "# mine\nwarm: yes please\n")
        let error = try #require(throws: Diagnostics.self) { try Settings.load(file: file, environment: [:]) }
        #expect(error.description.contains("settings.yaml:2"))
        rig.scratch.write("settings.yaml", "wram: false\n")
        #expect(throws: Diagnostics.self) { try Settings.load(file: file, environment: [:]) }
        #expect(throws: Diagnostics.self) { try Settings.load(file: file, environment: ["FIREDRILL_WARM": "maybe"]) }
    }
}
