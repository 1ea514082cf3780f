import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine

@Suite struct CheckEvaluatorTests {
    func evaluator(_ runtime: FakeRuntime = FakeRuntime(), verify: Bool = false, clock: ManualClock = ManualClock(),
                   http: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse = { _ in HTTPResponse(status: 200, headers: [:], body: "ok", seconds: 0.01) }) -> CheckEvaluator {
        var evaluator = CheckEvaluator(runtime: runtime, http: FakeHTTP(handler: http), project: "p", ports: ["api": 4000],
                                       workspace: URL(fileURLWithPath: "/nonexistent"), allowDisruption: verify)
        evaluator.clock = clock
        return evaluator
    }

    @Test func httpGoesToTheNamedPortAndJudgesStatus() {
        let check = Check.http(HTTPCheck(port: "api", path: "/api/health", status: [413]))
        let result = evaluator(http: { request in
            HTTPResponse(status: request.url == "http://127.0.0.1:4000/api/health" ? 413 : 500, headers: [:], body: "", seconds: 0.01)
        }).evaluate(check)
        #expect(result.passed, "\(result.detail)")
        let wrong = evaluator().evaluate(check)
        #expect(!wrong.passed)
        #expect(wrong.detail.contains("status 200, expected 413"))
    }

    /// Refused: the first request got a 4xx, so the server took nothing in.
    @Test func aRequestTheServerRefusedFirstIsARefusal() {
        let upload = Check.http(HTTPCheck(port: "api", method: "POST", status: [200, 201]))
        func answering(_ statuses: [Int]) -> CheckEvaluator {
            let answers = Counter(values: statuses.map(Double.init))
            return evaluator(http: { _ in HTTPResponse(status: Int(answers.next()), headers: [:], body: "", seconds: 0.01) })
        }
        #expect(answering([413]).evaluate(upload).refused)
        #expect(!answering([502]).evaluate(upload).refused, "a 5xx may have been taken in")
        #expect(!answering([200]).evaluate(upload).refused)
        var twice = HTTPCheck(port: "api", method: "POST", status: [200])
        twice.samples = 2
        #expect(!answering([200, 429]).evaluate(.http(twice)).refused, "the first sample was taken in")
        #expect(!answering([200, 413]).evaluate(.all([upload, upload])).refused, "the first member was taken in")
        #expect(answering([413]).evaluate(.all([upload, upload])).refused)
    }

    @Test func httpLatencyUsesTheMedianOfTheSamples() {
        let times = Counter(values: [0.01, 0.5, 0.02])
        var check = HTTPCheck(port: "api")
        check.latency = 0.05
        check.samples = 3
        let result = evaluator(http: { _ in HTTPResponse(status: 200, headers: [:], body: "", seconds: times.next()) }).evaluate(.http(check))
        #expect(result.passed, "\(result.detail)")
        check.latency = 0.015
        let slow = evaluator(http: { _ in HTTPResponse(status: 200, headers: [:], body: "", seconds: 0.02) }).evaluate(.http(check))
        #expect(!slow.passed)
        #expect(slow.detail.contains("over the 15 ms bound"))
    }

    @Test func httpLatencyStopsOnceTheMedianIsOverTheBound() {
        let times = Counter(values: [0.2, 0.01, 0.3, 0.4, 0.01])
        var check = HTTPCheck(port: "api")
        check.latency = 0.05
        check.samples = 5
        let result = evaluator(http: { _ in HTTPResponse(status: 200, headers: [:], body: "", seconds: times.next()) }).evaluate(.http(check))
        #expect(!result.passed)
        #expect(result.detail.contains("over the 50 ms bound"))
        #expect(times.taken == 4)
    }

    @Test func httpHeadersMustMatchOrBeAbsent() {
        var check = HTTPCheck(port: "api")
        check.responseHeaders = ["Access-Control-Allow-Origin": "^http://127\\.0\\.0\\.1:\\d+$"]
        check.absentHeaders = ["X-Debug"]
        let ok = HTTPResponse(status: 200, headers: ["access-control-allow-origin": "http://127.0.0.1:81"], body: "", seconds: 0)
        #expect(HTTPCheck.problem(with: ok, check: check) == nil)
        let star = HTTPResponse(status: 200, headers: ["Access-Control-Allow-Origin": "*"], body: "", seconds: 0)
        #expect(HTTPCheck.problem(with: star, check: check)?.contains("does not match") == true)
        let debug = HTTPResponse(status: 200, headers: ["Access-Control-Allow-Origin": "http://127.0.0.1:81", "X-Debug": "1"], body: "", seconds: 0)
        #expect(HTTPCheck.problem(with: debug, check: check) == "unexpected X-Debug: 1")
        let none = HTTPResponse(status: 0, headers: [:], body: "", seconds: 0, error: "connection refused")
        #expect(HTTPCheck.problem(with: none, check: check)?.contains("connection refused") == true)
    }

    @Test func commandJudgesExitAndOutput() {
        let runtime = FakeRuntime()
        runtime.execHandler = { _, command, _ in
            command.last == "true" ? ProcessOutput(status: 0, stdout: "fine\n", stderr: "") : ProcessOutput(status: 3, stdout: "", stderr: "broken\n")
        }
        let evaluator = evaluator(runtime)
        #expect(evaluator.evaluate(.command(CommandCheck(instance: "backend", run: "true", output: "fin"))).passed)
        let mismatch = evaluator.evaluate(.command(CommandCheck(instance: "backend", run: "true", output: "nope")))
        #expect(!mismatch.passed)
        #expect(mismatch.detail.hasSuffix("output does not match /nope/ (last line: fine)"))
        #expect(!evaluator.evaluate(.command(CommandCheck(instance: "backend", run: "true", outputExcludes: "fine"))).passed)
        let failed = evaluator.evaluate(.command(CommandCheck(instance: "backend", run: "false")))
        #expect(!failed.passed)
        #expect(failed.detail.contains("exit 3, expected 0 (broken)"))
        #expect(evaluator.evaluate(.command(CommandCheck(instance: "backend", run: "false", exit: 3))).passed)
    }

    @Test func aScriptIsNamedByItsFirstLine() {
        let runtime = FakeRuntime()
        runtime.execHandler = { _, _, _ in ProcessOutput(status: 1, stdout: "sends: 42\n", stderr: "") }
        let script = "# what the lookup sends\npython3 - <<'PY'\nprint(42)\nPY\n"
        let result = evaluator(runtime).evaluate(.command(CommandCheck(instance: "backend", run: script)))
        #expect(result.detail == "`# what the lookup sends …` on backend: exit 1, expected 0 (sends: 42)")
        #expect(CheckEvaluator.headline("nginx -t") == "nginx -t")
    }

    @Test func processChecksIgnoreZombies() {
        let runtime = FakeRuntime()
        runtime.execHandler = { _, _, _ in ProcessOutput(status: 0, stdout: "42\n", stderr: "") }
        let result = evaluator(runtime).evaluate(.process(ProcessCheck(instance: "backend", name: "gzip", user: "app")))
        #expect(result.passed)
        #expect(runtime.calls == ["exec backend pgrep -r D,R,S,T,t,I -u app -x gzip"])
    }

    @Test func compositionAllAnyNot() {
        let yes = Check.command(CommandCheck(instance: "b", run: "true"))
        let no = Check.command(CommandCheck(instance: "b", run: "false"))
        let runtime = FakeRuntime()
        runtime.execHandler = { _, command, _ in ProcessOutput(status: command.last == "true" ? 0 : 1, stdout: "", stderr: "") }
        let evaluator = evaluator(runtime)
        #expect(evaluator.evaluate(.all([yes, yes])).passed)
        #expect(!evaluator.evaluate(.all([yes, no])).passed)
        #expect(evaluator.evaluate(.any([no, yes])).passed)
        #expect(!evaluator.evaluate(.any([no, no])).passed)
        #expect(evaluator.evaluate(.not(no)).passed)
        #expect(!evaluator.evaluate(.not(yes)).passed)
    }

    @Test func disruptiveChecksWaitForVerify() {
        let runtime = FakeRuntime()
        let check = Check.after([.restart(instance: "backend"), .remove(instance: "backend", path: "/var/app/tmp")],
                                .command(CommandCheck(instance: "backend", run: "true")))
        let polled = evaluator(runtime).evaluate(check)
        #expect(!polled.passed)
        #expect(polled.deferred)
        #expect(runtime.calls.isEmpty)
        // `not` of a deferred check stays deferred rather than passing.
        #expect(evaluator(runtime).evaluate(.not(check)).deferred)

        let verified = evaluator(runtime, verify: true).evaluate(check)
        #expect(verified.passed, "\(verified.detail)")
        #expect(runtime.calls == ["restart backend", "exec backend rm -rf -- /var/app/tmp", "exec backend sh -c true"])
    }

    /// The check after a disruption is tried once a second until it holds or the settle time is
    /// over; a wait disruption waits on the same clock.
    @Test func aCheckThatNeverSettlesFailsAfterExactlyTheSettleTime() {
        let runtime = FakeRuntime()
        runtime.execHandler = { _, _, _ in ProcessOutput(status: 1, stdout: "", stderr: "") }
        let never = Check.command(CommandCheck(instance: "backend", run: "false"))
        func tries() -> Int { runtime.calls.filter { $0 == "exec backend sh -c false" }.count }

        let clock = ManualClock()
        let settled = evaluator(runtime, verify: true, clock: clock).evaluate(.after([.restart(instance: "backend")], never))
        #expect(!settled.passed)
        #expect(clock.slept == 45)
        #expect(tries() == 46)

        let within = ManualClock()
        #expect(!evaluator(runtime, verify: true, clock: within).evaluate(.after([.wait(seconds: 5)], never, within: 10)).passed)
        #expect(within.slept == 5 + 10)
        #expect(tries() == 46 + 11)
    }

    @Test func fileChecksOwnerModeAndWriteAccess() {
        let runtime = FakeRuntime()
        runtime.execHandler = { _, command, user in
            switch command[0] {
            case "stat": return ProcessOutput(status: 0, stdout: "root:root 777\n", stderr: "")
            case "test": return ProcessOutput(status: user == "app" ? 0 : 1, stdout: "", stderr: "")
            default: return ProcessOutput(status: 1, stdout: "", stderr: "")
            }
        }
        let evaluator = evaluator(runtime)
        var check = FileCheck(instance: "backend", path: "/var/app/tmp")
        check.writableBy = "app"
        #expect(evaluator.evaluate(.file(check)).passed)
        check.worldWritable = false
        let result = evaluator.evaluate(.file(check))
        #expect(!result.passed)
        #expect(result.detail.contains("writable by everyone"))
        check.worldWritable = nil
        check.owner = "app"
        #expect(evaluator.evaluate(.file(check)).detail.contains("owner root:root, expected app"))
    }

    @Test func workspaceFilesMatchByGlobAndContent() {
        let scratch = ScratchDirectory()
        scratch.write("backend/app/migrations/0001_a.sql", "CREATE TABLE t (id INT);")
        scratch.write("backend/app/migrations/0003_b.sql", "CREATE INDEX i ON t (customer_id);")
        var evaluator = evaluator()
        evaluator.workspace = scratch.url
        let check = FileCheck(path: "backend/app/migrations/*.sql", contains: "(?i)create index[^;]*customer_id")
        #expect(evaluator.evaluate(.file(check)).passed)
        #expect(!evaluator.evaluate(.file(FileCheck(path: "backend/app/migrations/*.sql", contains: "status"))).passed)
        #expect(!evaluator.evaluate(.file(FileCheck(path: "nothing/*.sql"))).passed)
    }

    @Test func resourceChecksReadStatsAndDf() {
        let runtime = FakeRuntime()
        runtime.statsHandler = { _ in InstanceStats(cpuPercent: 49, memoryPercent: 92, memoryBytes: 0, pids: 4) }
        runtime.execHandler = { _, _, _ in
            ProcessOutput(status: 0, stdout: "Filesystem 1024-blocks Used Available Capacity Mounted on\ntmpfs 16384 16384 0 100% /var/app\n", stderr: "")
        }
        let evaluator = evaluator(runtime)
        #expect(!evaluator.evaluate(.resource(ResourceCheck(instance: "backend", memoryBelow: 80))).passed)
        #expect(evaluator.evaluate(.resource(ResourceCheck(instance: "backend", cpuBelow: 50))).passed)
        let disk = evaluator.evaluate(.resource(ResourceCheck(instance: "backend", diskPath: "/var/app", diskFreeAbove: 20)))
        #expect(!disk.passed)
        #expect(disk.detail.contains("0% free"))
        #expect(ResourceCheck.dfUsedPercent("bad") == nil)
    }

    @Test func curlOutputParsesPastAContinueBlock() {
        let stdout = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 413 Request Entity Too Large\r\nServer: nginx\r\nContent-Type: text/html\r\n\r\n<html>too large</html>" + CurlHTTPClient.marker + "413 0.004"
        let response = CurlHTTPClient.parse(ProcessOutput(status: 0, stdout: stdout, stderr: ""))
        #expect(response.status == 413)
        #expect(response.header("server") == "nginx")
        #expect(response.body == "<html>too large</html>")
        #expect(response.seconds == 0.004)
        let refused = CurlHTTPClient.parse(ProcessOutput(status: 7, stdout: CurlHTTPClient.marker + "000 0.0", stderr: "curl: (7) Failed to connect\n"))
        #expect(refused.status == 0)
        #expect(refused.error == "curl: (7) Failed to connect")
    }
}

/// Hands out values in turn, for fakes that answer differently each call.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double]
    private var index = 0
    init(values: [Double]) { self.values = values }
    var taken: Int { lock.withLock { index } }
    func next() -> Double {
        lock.withLock {
            defer { index += 1 }
            return values[index % values.count]
        }
    }
}
