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
        func staleChecks() -> Int { runtime.calls.filter { $0 == "exec backend sh -c symptom" }.count }
        #expect(try !engine.check(run, verify: false).mitigated)
        world.fixed = true
        // Everything else holds: stale's pass from before the fix is made again, and fails.
        let remade = try engine.check(run, verify: false)
        #expect(!remade.mitigated)
        #expect(remade.objectives.map(\.passed) == [false, true])
        #expect(staleChecks() == 2)
        #expect(try engine.store.load(run.id).state == .live, "a cached pass mitigates nothing")
        #expect(!engine.store.events(of: run.id).contains { $0.kind == EventKind.mitigated })
        // Its failure is kept for its 60 s like any other.
        #expect(try !engine.check(run, verify: false).mitigated)
        #expect(staleChecks() == 2)
        rig.clock.advance(60)
        #expect(try !engine.check(run, verify: false).mitigated, "checked afresh, stale no longer holds")
        #expect(try engine.store.load(run.id).mitigatedAt == nil)
    }

    /// `upload` (at most every 60 s) is refused with a 413 until the fix, then accepted; `limit`
    /// (at most every 60 s) always holds; `works` holds once fixed.
    func writeUploadLevel() -> FakeHTTP {
        scratch.write("Levels/upload/level.yaml", """
        id: upload
        title: Upload
        scenario: mini
        category: app
        difficulty: 1
        par: 10m
        briefing: Uploads are refused.
        objectives:
          - {id: upload, title: Upload, every: 60s, check: {http: {port: api, method: POST, path: /upload, status: [200, 201]}}}
          - {id: limit, title: Limit, every: 60s, check: {http: {port: api, method: POST, path: /limit, status: 413}}}
          - {id: works, title: Works, check: {command: {instance: backend, run: works}}}
        """)
        let world = world
        return FakeHTTP { request in
            HTTPResponse(status: request.url.hasSuffix("/limit") ? 413 : world.fixed ? 201 : world.dbRestarted ? 502 : 413,
                         headers: [:], body: "", seconds: 0.01)
        }
    }

    @Test func anEagerCheckAsksAgainWhatTheServerRefusedAtNoCost() throws {
        let http = writeUploadLevel()
        let counting = Counted(http)
        let engine = engine(http: counting)
        let run = try engine.start(levelID: "upload")
        #expect(try !engine.check(run, verify: false).mitigated)
        #expect(counting.count("/upload") == 1)
        world.fixed = true
        // A routine check keeps the refusal for its 60 s.
        #expect(try engine.check(run, verify: false, eager: false).objectives[0].passed == false)
        #expect(counting.count("/upload") == 1)
        // After a command: asked again; with everything holding, limit's pass is made again too,
        // and the run is mitigated there and then.
        let eager = try engine.check(run, verify: false, eager: true)
        #expect(eager.objectives.allSatisfy { $0.passed })
        #expect(eager.mitigated)
        #expect(counting.count("/upload") == 2 && counting.count("/limit") == 2)
        #expect(try engine.store.load(run.id).mitigatedAt == rig.clock.now)
        // A pass is kept for its 60 s, eager or not.
        _ = try engine.check(run, verify: false, eager: true)
        #expect(counting.count("/upload") == 2 && counting.count("/limit") == 2)
    }

    @Test func anEagerCheckKeepsAFailureTheServerMayHaveTakenIn() throws {
        let http = writeUploadLevel()
        let counting = Counted(http)
        let engine = engine(http: counting)
        let run = try engine.start(levelID: "upload")
        world.dbRestarted = true // the upload answers 502
        #expect(try !engine.check(run, verify: false).mitigated)
        world.fixed = true
        #expect(try !engine.check(run, verify: false, eager: true).objectives[0].passed)
        #expect(counting.count("/upload") == 1)
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

/// An HTTP client that counts the requests to each path.
final class Counted: HTTPClient, @unchecked Sendable {
    let inner: any HTTPClient
    private let lock = NSLock()
    private var paths: [String] = []

    init(_ inner: any HTTPClient) { self.inner = inner }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        lock.withLock { paths.append(URL(string: request.url)?.path ?? request.url) }
        return try inner.send(request)
    }

    func count(_ path: String) -> Int { lock.withLock { paths.filter { $0 == path }.count } }
}
