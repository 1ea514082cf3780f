import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine

/// `hold`: after the disruptions, `then` must keep holding on every sample once it first held.
extension CheckEvaluatorTests {
    func verify(_ check: Check, service: FlappingService, runtime: FakeRuntime, clock: ManualClock) -> CheckResult {
        runtime.restartHandler = { _ in service.restart() }
        var evaluator = CheckEvaluator(runtime: runtime, http: service.http, project: "p", ports: ["api": 4000],
                                       workspace: URL(fileURLWithPath: "/nonexistent"), allowDisruption: true)
        evaluator.clock = clock
        return evaluator.evaluate(check)
    }

    static let health = Check.http(HTTPCheck(port: "api", path: "/api/health"))

    /// Up 3 s after the restart, down again from 7 s to 8 s: `after` alone takes the first 200,
    /// `hold: 10s` sees the flap and says when.
    @Test func aServiceThatFlapsAfterTheRestartFailsTheHold() {
        let flaps: @Sendable (Double) -> Bool = { $0 >= 3 && !($0 >= 7 && $0 < 8) }
        let clock = ManualClock()
        let first = verify(.after([.restart(instance: "backend")], Self.health), service: FlappingService(clock: clock, up: flaps), runtime: FakeRuntime(), clock: clock)
        #expect(first.passed, "without hold the first 200 is enough: \(first.detail)")
        #expect(clock.slept == 3)

        let held = ManualClock()
        let result = verify(.after([.restart(instance: "backend")], Self.health, within: 30, hold: 10),
                            service: FlappingService(clock: held, up: flaps), runtime: FakeRuntime(), clock: held)
        #expect(result.outcome == .failed)
        #expect(result.detail == "after restart backend: failed 4s into the 10s hold: GET /api/health: status 502, expected 200", "\(result.detail)")
        #expect(held.slept == 3 + 4, "the hold stops at the first sample that fails")
    }

    /// A service that stays up holds for the whole window, sampled every half second.
    @Test func aServiceThatStaysUpHoldsForTheWholeWindow() {
        let clock = ManualClock()
        let runtime = FakeRuntime()
        let result = verify(.after([.restart(instance: "backend")], Self.health, hold: 10),
                            service: FlappingService(clock: clock, up: { $0 >= 2 }), runtime: runtime, clock: clock)
        #expect(result.passed, "\(result.detail)")
        #expect(result.detail == "after restart backend: GET /api/health: 200 in 10 ms (held 10s)")
        #expect(clock.slept == 2 + 10)
    }

    /// A sample that cannot be made during the hold is an error, never a pass nor a plain fail.
    @Test func aSampleInErrorDuringTheHoldIsAnError() {
        let clock = ManualClock()
        let runtime = FakeRuntime()
        let start = clock.now
        runtime.execHandler = { _, _, _ in
            if clock.now.timeIntervalSince(start) >= 5.5 { throw Self.notRunning }
            return ProcessOutput(status: 0, stdout: "", stderr: "")
        }
        let check = Check.after([.restart(instance: "backend")], .command(CommandCheck(instance: "backend", run: "true")), hold: 10)
        let result = verify(check, service: FlappingService(clock: clock, up: { _ in true }), runtime: runtime, clock: clock)
        #expect(result.outcome == .error)
        #expect(result.detail == "error: after restart backend: failed 5.5s into the 10s hold: could not run a command on backend: Error response from daemon: Container 3c7d is not running")
    }
}

extension LevelLoaderTests {
    @Test func holdIsADurationThatGoesWithAfter() throws {
        let held = try load(Self.valid.replacingOccurrences(of: "within: 10s\n", with: "within: 10s\n      hold: 8s\n"))
        guard case let .after(_, _, within, hold) = held.objectives[1].check else { Issue.record("not after"); return }
        #expect(within == 10 && hold == 8)
        let alone = problems(Self.valid.replacingOccurrences(of: "{sql: {query: \"SELECT 1\", output: \"^1\"}}", with: "{sql: {query: \"SELECT 1\"}, hold: 5s}"))
        #expect(alone.map(\.message) == ["'hold' needs 'after'"])
        #expect(problems(Self.valid.replacingOccurrences(of: "within: 10s\n", with: "within: 10s\n      hold: 0s\n")).map(\.message) == ["must be longer than 0s"])
    }
}
