import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine

/// The run is mitigated only by what a check saw afresh, a verify that fails afterwards is told
/// in its events, and a verify lints the workspace's compose file again.
extension EngineTests {
    /// `stale` is checked at most every 60 s and holds only while the run is broken; `works`
    /// holds only once it is fixed.
    func writeStaleLevel() {
        scratch.write("Levels/stale/level.yaml", """
        id: stale
        title: Stale
        scenario: mini
        category: app
        difficulty: 1
        par: 10m
        briefing: One check is slow.
        objectives:
          - {id: stale, title: Stale, every: 60s, check: {command: {instance: backend, run: symptom}}}
          - {id: works, title: Works, check: {command: {instance: backend, run: works}}}
        """)
    }

    @Test func anObjectiveAnsweredFromItsLastCheckDoesNotMitigate() throws {
        writeStaleLevel()
        let engine = engine()
        let run = try engine.start(levelID: "stale")
        #expect(try !engine.check(run, verify: false).mitigated)
        world.fixed = true
        let cached = try engine.check(run, verify: false)
        #expect(cached.objectives.allSatisfy { $0.passed }, "stale answers from the check before the fix")
        #expect(try engine.store.load(run.id).state == .live, "a cached pass mitigates nothing")
        #expect(!engine.store.events(of: run.id).contains { $0.kind == EventKind.mitigated })

        rig.clock.advance(60)
        let fresh = try engine.check(run, verify: false)
        #expect(!fresh.mitigated, "checked afresh, stale no longer holds")
        #expect(try engine.store.load(run.id).mitigatedAt == nil)
    }

    @Test func aVerifyThatFailsAfterMitigationIsRecorded() throws {
        let engine = engine()
        let run = try engine.start(levelID: "broken")
        world.fixed = true
        #expect(try engine.check(run, verify: false).mitigated)
        world.fixed = false
        #expect(try !engine.check(run, verify: true).solved)
        let events = engine.store.events(of: run.id)
        #expect(events.suffix(2).map(\.kind) == [EventKind.verify, EventKind.unmitigated])
        #expect(events.last?.payload == .unmitigated(failing: ["works", "lasts"]))
        #expect(events.last?.detail == "works, lasts no longer holding")
        #expect(try engine.store.load(run.id).state == .mitigated, "the first mitigation still counts")
    }

    @Test func aVerifyThatFailsBeforeMitigationIsOnlyAVerify() throws {
        let engine = engine()
        let run = try engine.start(levelID: "broken")
        #expect(try !engine.check(run, verify: true).solved)
        #expect(!engine.store.events(of: run.id).contains { $0.kind == EventKind.unmitigated })
    }

    /// A port published on every interface in the workspace's compose file, after boot, keeps a
    /// verify from solving, whatever the objectives say; put back, the verify solves.
    @Test func aVerifyRefusesACompositionThatBreaksTheSandboxRules() throws {
        let engine = engine()
        let run = try engine.start(levelID: "broken")
        world.fixed = true
        let compose = run.workspace.appendingPathComponent("compose.yaml")
        let text = try String(contentsOf: compose, encoding: .utf8)
        try text.replacingOccurrences(of: "127.0.0.1:${FD_API_PORT}:80", with: "${FD_API_PORT}:80").write(to: compose, atomically: true, encoding: .utf8)
        #expect(try engine.check(run, verify: false).objectives.map(\.id) == ["works", "lasts"], "a routine check does not lint")

        let verified = try engine.check(run, verify: true)
        #expect(!verified.solved)
        let sandbox = try #require(verified.objectives.last)
        #expect(sandbox.id == "sandbox" && !sandbox.passed)
        #expect(sandbox.detail == #"compose.yaml:2: services.backend.ports: published ports must bind 127.0.0.1 ("127.0.0.1:HOST:CONTAINER")"#, "\(sandbox.detail)")
        #expect(engine.store.events(of: run.id).last { $0.kind == EventKind.verify }?.payload == .verify(solved: false, passed: ["works", "lasts"], total: 3))

        try text.write(to: compose, atomically: true, encoding: .utf8)
        #expect(try engine.check(run, verify: true).solved)
    }
}
