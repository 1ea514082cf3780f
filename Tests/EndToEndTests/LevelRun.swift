import FiredrillEngine
import FiredrillTestSupport
import Foundation
import Testing

/// A run of a level started through the real binary, with what a trainee's scripts get.
struct LevelRun {
    let level: String
    let started: EndToEnd.CommandLineTests.Started

    var id: String { started.run }
    /// The web app's address (the `app` port), the origin the API must trust.
    var app: String { started.urls["app"] ?? "" }

    /// `firedrill start LEVEL`; throws with the binary's error when the run does not go live.
    static func start(_ level: String) throws -> LevelRun {
        let output = try firedrill(["start", level, "--json"])
        guard output.succeeded else { throw Browser.Failure(description: "firedrill start \(level) failed: \(output.stderr)") }
        return LevelRun(level: level, started: try decode(EndToEnd.CommandLineTests.Started.self, output.stdout))
    }

    /// Runs one of the level's scripts under `Tests/Solutions/<level>/` with what `firedrill prove`
    /// gives them (Prover.runScript): firedrill on PATH, the run, its workspace, a URL per port.
    func apply(_ script: String) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = firedrillBinary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["FIREDRILL"] = firedrillBinary.path
        environment["FIREDRILL_RUN"] = id
        environment["FIREDRILL_ROOT"] = repositoryRoot.path
        environment["FIREDRILL_HOME"] = testHome.path
        environment["FIREDRILL_WORKSPACE"] = started.workspace
        for (name, url) in started.urls { environment["FIREDRILL_URL_\(name.uppercased())"] = url }
        let path = repositoryRoot.appendingPathComponent("Tests/Solutions/\(level)/\(script)").path
        let output = try ProcessRunner.run(["bash", path], timeout: 600, environment: environment)
        guard output.succeeded else {
            throw Browser.Failure(description: "\(level)/\(script) exited \(output.status): \(output.stderr.suffix(600))")
        }
    }

    /// `firedrill shell INSTANCE -- sh -c COMMAND`, as a trainee runs one command on an instance.
    @discardableResult
    func shell(_ instance: String, _ command: String) throws -> ProcessOutput {
        try firedrill(["shell", instance, "--run", id, "--", "sh", "-c", command], timeout: 120)
    }

    /// Stops the run in the background: `firedrill stop` (compose down) takes 5-8 s that the next
    /// test's boot need not wait for. `BrowserTests` waits for every stop before it ends.
    func stop() {
        Self.stopping.start(id)
    }

    static let stopping = Stopping()

    /// The `firedrill stop` processes still running, to wait for at the end of a suite.
    final class Stopping: @unchecked Sendable {
        private let lock = NSLock()
        private var pids: [pid_t] = []

        func start(_ run: String) {
            let command = ["env", "FIREDRILL_HOME=\(testHome.path)", "FIREDRILL_ROOT=\(repositoryRoot.path)", firedrillBinary.path, "stop", "--run", run]
                .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            guard let pid = try? spawn(["/bin/sh", "-c", "exec \(command) >/dev/null 2>&1 </dev/null"]) else {
                _ = try? firedrill(["stop", "--run", run])
                return
            }
            lock.lock()
            pids.append(pid)
            lock.unlock()
        }

        func waitForAll() {
            lock.lock()
            let waiting = pids
            pids = []
            lock.unlock()
            for pid in waiting {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            }
        }
    }
}

/// Waits, once the suite has run, for the runs its tests stopped in the background.
struct WaitsForStoppedRuns: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        defer { LevelRun.stopping.waitForAll() }
        try await function()
    }
}

/// Starts a browser and a run of `level`, hands both to `body`, then stops both whatever happens.
/// The browser comes first: without Chromium the test fails before it boots anything.
func withBrowser(on level: String, _ body: (LevelRun, BillingApp) throws -> Void) throws {
    let browser = try Browser()
    defer { browser.quit() }
    let run = try LevelRun.start(level)
    defer { run.stop() }
    try body(run, BillingApp(browser: browser, address: run.app))
}
