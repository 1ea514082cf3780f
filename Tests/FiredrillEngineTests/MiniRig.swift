import FiredrillTestSupport
import Foundation
@testable import FiredrillEngine

/// A tiny catalog (scenario "mini": backend and db; level "broken": a patch, a fault, a symptom,
/// an objective that lasts only on verify, a question, a costly fix) on a fake runtime whose
/// instances answer from `world`.
final class MiniRig: @unchecked Sendable {
    let scratch = ScratchDirectory()
    let runtime = FakeRuntime()
    /// The engine's clock: a boot that waits in vain ends at once, its timeout to the second.
    let clock = ManualClock()
    /// What the fake instances answer: the fix flips it.
    let world = World()

    final class World: @unchecked Sendable {
        private let lock = NSLock()
        private var _fixed = false
        private var _dbRestarted = false
        var fixed: Bool {
            get { lock.withLock { _fixed } }
            set { lock.withLock { _fixed = newValue } }
        }
        var dbRestarted: Bool {
            get { lock.withLock { _dbRestarted } }
            set { lock.withLock { _dbRestarted = newValue } }
        }
    }

    init() {
        scratch.write("Levels/categories.yaml", "categories: [{id: app, title: The app}, {id: database, title: Databases}]\n")
        scratch.write("Scenarios/mini/scenario.yaml", """
        id: mini
        title: Mini
        compose: compose.yaml
        images: [{tag: mini/app, context: images/app}]
        instances: [{name: backend, role: the app}, {name: db, role: the data}]
        ports: [{name: api, instance: backend, env: FD_API_PORT}]
        ready: {command: {instance: backend, run: ready}}
        """)
        scratch.write("Scenarios/mini/compose.yaml", """
        services:
          backend: {image: mini/app, mem_limit: 64m, cpus: 0.5, ports: ["127.0.0.1:${FD_API_PORT}:80"], volumes: [./app:/srv/app]}
          db: {image: mini/app, mem_limit: 64m, cpus: 0.5}
        """)
        scratch.write("Scenarios/mini/app/settings.conf", "limit = 20m\n")
        scratch.write("Scenarios/mini/images/app/Dockerfile", "FROM scratch\n")
        scratch.write("Levels/broken/level.yaml", """
        id: broken
        title: Broken
        scenario: mini
        category: app
        difficulty: 1
        par: 10m
        briefing: It broke.
        faults:
          - patch: {file: app/settings.conf, replace: "20m", with: "1m"}
          - exec: {instance: db, run: inject}
        symptoms:
          - {id: s, title: Symptom, check: {command: {instance: backend, run: symptom}}}
        objectives:
          - {id: works, title: Works, check: {command: {instance: backend, run: works}}}
          - id: lasts
            title: Lasts
            check:
              after: [{restart: backend}]
              then: {command: {instance: backend, run: works}}
        questions:
          - {id: q, ask: Which?, kind: number, answer: {command: {instance: db, run: answer}}}
        costly:
          - {id: db-restart, title: Restarted the database, probe: {instance: db, run: probe}}
        """)
        let world = world
        runtime.execHandler = { _, command, _ in
            let script = command.last ?? ""
            switch script {
            case "ready", "inject": return ProcessOutput(status: 0, stdout: "", stderr: "")
            case "symptom": return ProcessOutput(status: world.fixed ? 1 : 0, stdout: "", stderr: "")
            case "works": return ProcessOutput(status: world.fixed ? 0 : 1, stdout: "", stderr: "")
            case "answer": return ProcessOutput(status: 0, stdout: "session 42\n", stderr: "")
            case "probe": return ProcessOutput(status: 0, stdout: world.dbRestarted ? "started 2\n" : "started 1\n", stderr: "")
            case "cat /tmp/.firedrill_history 2>/dev/null || true":
                return ProcessOutput(status: 0, stdout: "#1700000000\nSHOW PROCESSLIST;\n#1700000060\nKILL 42;\n", stderr: "")
            default: return ProcessOutput(status: 127, stdout: "", stderr: "unknown \(script)")
            }
        }
    }

    func engine(http: any HTTPClient = CurlHTTPClient()) -> Engine {
        let engine = Engine(catalog: Catalog(root: scratch.url), store: RunStore(root: scratch.url.appendingPathComponent("home")), runtime: runtime,
                            http: http)
        engine.clock = clock
        return engine
    }

}
