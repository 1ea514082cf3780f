import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine

/// Three outcomes: a check holds, does not, or could not be made. An error is never a pass.
extension CheckEvaluatorTests {
    static let notRunning = EngineError.execFailed(instance: "backend", detail: "Error response from daemon: Container 3c7d is not running")

    /// One check of every kind that reaches an instance, each as a level would write it.
    static var kinds: [(String, Check)] {
        var disk = ResourceCheck(instance: "backend")
        disk.diskPath = "/var/app"
        disk.diskFreeAbove = 10
        var writable = FileCheck(instance: "backend", path: "/var/app/tmp")
        writable.writableBy = "app"
        return [
            ("command", .command(CommandCheck(instance: "backend", run: "grep -q upload /var/log/access.log"))),
            ("command expecting exit 1", .command(CommandCheck(instance: "backend", run: "grep -q upload /var/log/access.log", exit: 1))),
            ("sql", .sql(SQLCheck(query: "SELECT 1", output: "1"))),
            ("process", .process(ProcessCheck(instance: "backend", name: "gunicorn"))),
            ("process absent", .process(ProcessCheck(instance: "backend", name: "gunicorn", present: false))),
            ("file", .file(writable)),
            ("file absent", .file(FileCheck(instance: "backend", path: "/var/app/tmp", exists: false))),
            ("resource disk", .resource(disk)),
            ("resource memory", .resource(ResourceCheck(instance: "backend", memoryBelow: 70))),
            ("http from an instance", .http(HTTPCheck(instance: "backend", url: "http://proxy:8080/api/health"))),
        ]
    }

    @Test func anExecDockerCannotRunIsAnErrorOfEveryKindAndOfItsNot() {
        let runtime = FakeRuntime()
        runtime.execHandler = { _, _, _ in throw Self.notRunning }
        runtime.statsHandler = { _ in throw EngineError.instanceNotRunning("backend") }
        let evaluator = evaluator(runtime)
        for (name, check) in Self.kinds {
            let result = evaluator.evaluate(check)
            #expect(result.outcome == .error, "\(name): \(result.detail)")
            #expect(!result.passed, "\(name)")
            #expect(result.detail.hasPrefix("error: "), "\(name): \(result.detail)")
            let negated = evaluator.evaluate(.not(check))
            #expect(negated.outcome == .error, "not \(name): \(negated.detail)")
        }
    }

    /// A tool that answers neither yes nor no (pgrep's, stat's, grep's and test's other statuses,
    /// mysql failing, a timeout) is no answer: an error, never "absent" or an expected exit.
    @Test func aToolThatCannotAnswerIsAnErrorNotAnAbsence() {
        /// `output` answers every exec; a file check's stat finds the file unless told otherwise.
        func outcome(_ check: Check, _ output: ProcessOutput, stat: ProcessOutput = ProcessOutput(status: 0, stdout: "app:app 755\n", stderr: "")) -> CheckOutcome {
            let runtime = FakeRuntime()
            runtime.execHandler = { _, command, _ in command[0] == "stat" ? stat : output }
            return evaluator(runtime).evaluate(check).outcome
        }
        let timedOut = ProcessOutput(status: 143, stdout: "", stderr: "", timedOut: true)
        let absent = Check.process(ProcessCheck(instance: "backend", name: "gunicorn", present: false))
        #expect(outcome(absent, ProcessOutput(status: 1, stdout: "", stderr: "")) == .passed)
        #expect(outcome(absent, ProcessOutput(status: 2, stdout: "", stderr: "pgrep: invalid user name: nobody2")) == .error)
        #expect(outcome(absent, timedOut) == .error)

        let noFile = Check.file(FileCheck(instance: "backend", path: "/var/app/tmp", exists: false))
        func stat(_ stderr: String) -> ProcessOutput { ProcessOutput(status: 1, stdout: "", stderr: "stat: cannot statx '/var/app/tmp': \(stderr)") }
        #expect(outcome(noFile, stat("No such file or directory"), stat: stat("No such file or directory")) == .passed)
        #expect(outcome(noFile, stat("Permission denied"), stat: stat("Permission denied")) == .error)
        #expect(outcome(noFile, timedOut, stat: timedOut) == .error)
        var grep = FileCheck(instance: "backend", path: "/var/log/app.log")
        grep.contains = "ERROR"
        #expect(outcome(.file(grep), ProcessOutput(status: 1, stdout: "", stderr: "")) == .failed)
        #expect(outcome(.file(grep), ProcessOutput(status: 2, stdout: "", stderr: "grep: /var/log/app.log: Permission denied")) == .error)
        var writable = FileCheck(instance: "backend", path: "/var/app/tmp")
        writable.writableBy = "app"
        #expect(outcome(.file(writable), ProcessOutput(status: 1, stdout: "", stderr: "")) == .failed)
        #expect(outcome(.file(writable), ProcessOutput(status: 2, stdout: "", stderr: "test: too many arguments")) == .error)

        let exitOne = Check.command(CommandCheck(instance: "backend", run: "grep -q upload /var/log/access.log", exit: 1))
        #expect(outcome(exitOne, ProcessOutput(status: 1, stdout: "", stderr: "")) == .passed)
        #expect(outcome(exitOne, timedOut) == .error)
        #expect(outcome(.not(exitOne), timedOut) == .error)

        let sql = Check.sql(SQLCheck(query: "SELECT COUNT(*) FROM t", outputExcludes: "^0"))
        #expect(outcome(sql, ProcessOutput(status: 0, stdout: "3\n", stderr: "")) == .passed)
        #expect(outcome(sql, ProcessOutput(status: 1, stdout: "", stderr: "ERROR 2002 (HY000): Can't connect to local server through socket")) == .error)

        var disk = ResourceCheck(instance: "backend")
        disk.diskPath = "/var/app"
        disk.diskFreeAbove = 10
        #expect(outcome(.not(.resource(disk)), ProcessOutput(status: 1, stdout: "", stderr: "df: /var/app: No such file or directory")) == .error)
    }

    /// No answer from the app is the app being down: a fail of "it answers", so `not` of it
    /// holds. A request that cannot even be sent is an error.
    @Test func httpWithoutAnswerFailsAndHttpThatCannotBeSentIsAnError() {
        let check = Check.http(HTTPCheck(port: "api", path: "/api/health"))
        let down = evaluator(http: { _ in HTTPResponse(status: 0, headers: [:], body: "", seconds: 0, error: "curl: (7) Failed to connect") })
        #expect(down.evaluate(check).outcome == .failed)
        #expect(down.evaluate(.not(check)).outcome == .passed, "not over a real fail still passes")

        let unsent = evaluator(http: { _ in throw EngineError.requestNotSent("GET http://127.0.0.1:4000/api/health: curl exited 3 (URL malformed)") })
        #expect(unsent.evaluate(check).outcome == .error)
        #expect(unsent.evaluate(.not(check)).outcome == .error)

        let unknownPort = Check.http(HTTPCheck(port: "admin", path: "/"))
        let result = evaluator().evaluate(.not(unknownPort))
        #expect(result.outcome == .error)
        #expect(result.detail == "error: the run has no port 'admin'")

        // From an instance: curl unable to start is an error, curl refused is a fail.
        let runtime = FakeRuntime()
        let inside = Check.http(HTTPCheck(instance: "backend", url: "http://proxy:8080/api/health"))
        runtime.execHandler = { _, _, _ in ProcessOutput(status: 127, stdout: "", stderr: "sh: 1: curl: not found") }
        #expect(evaluator(runtime).evaluate(.not(inside)).outcome == .error)
        runtime.execHandler = { _, _, _ in ProcessOutput(status: 7, stdout: CurlHTTPClient.marker + "000 0.001", stderr: "curl: (7) Failed to connect to proxy port 8080") }
        #expect(evaluator(runtime).evaluate(inside).outcome == .failed)
        #expect(evaluator(runtime).evaluate(.not(inside)).outcome == .passed)
    }

    @Test func notAllAndAnyCombineThreeOutcomes() {
        let runtime = FakeRuntime()
        runtime.execHandler = { _, command, _ in
            switch command.last {
            case "pass": return ProcessOutput(status: 0, stdout: "", stderr: "")
            case "fail": return ProcessOutput(status: 1, stdout: "", stderr: "")
            default: throw Self.notRunning
            }
        }
        let evaluator = evaluator(runtime)
        let pass = Check.command(CommandCheck(instance: "backend", run: "pass"))
        let fail = Check.command(CommandCheck(instance: "backend", run: "fail"))
        let error = Check.command(CommandCheck(instance: "backend", run: "error"))
        func outcome(_ check: Check) -> CheckOutcome { evaluator.evaluate(check).outcome }

        #expect(outcome(.not(pass)) == .failed)
        #expect(outcome(.not(fail)) == .passed)
        #expect(outcome(.not(error)) == .error)
        #expect(outcome(.not(.not(error))) == .error)

        #expect(outcome(.all([pass, pass])) == .passed)
        #expect(outcome(.all([pass, error])) == .error)
        #expect(outcome(.all([error, pass])) == .error)
        #expect(outcome(.all([error, fail])) == .failed, "a member that fails makes the whole fail")
        #expect(outcome(.all([fail, error])) == .failed)
        #expect(outcome(.all([pass, .not(error)])) == .error)

        #expect(outcome(.any([error, pass])) == .passed)
        #expect(outcome(.any([fail, pass])) == .passed)
        #expect(outcome(.any([fail, error])) == .error)
        #expect(outcome(.any([error, fail])) == .error)
        #expect(outcome(.any([fail, fail])) == .failed)
        #expect(outcome(.not(.any([fail, error]))) == .error)

        // A check left for verify stays deferred, unless a member that can be checked now fails.
        let later = Check.after([.restart(instance: "backend")], pass)
        #expect(evaluator.evaluate(.all([later, pass])).deferred)
        #expect(outcome(.all([later, fail])) == .failed)
        #expect(!evaluator.evaluate(.all([later, fail])).deferred)
        #expect(outcome(.all([later, error])) == .error)
        #expect(evaluator.evaluate(.any([later, error])).deferred)
    }

    /// A disruption that fails leaves `then` proving nothing: the objective is an error naming it,
    /// and `then` is not checked on an undisturbed system.
    @Test func aDisruptionThatFailsMakesAfterAnError() {
        func verify(_ disruption: Disruption, _ runtime: FakeRuntime) -> (CheckResult, FakeRuntime) {
            let check = Check.after([disruption], .command(CommandCheck(instance: "backend", run: "works")))
            return (evaluator(runtime, verify: true).evaluate(check), runtime)
        }
        let restartFails = FakeRuntime()
        restartFails.restartHandler = { _ in throw EngineError.bootFailed("restart of backend: Error response from daemon: Cannot restart container") }
        let (restarted, _) = verify(.restart(instance: "backend"), restartFails)
        #expect(restarted.outcome == .error)
        #expect(restarted.detail.hasPrefix("error: after restart backend: the disruption `restart backend` failed: "), "\(restarted.detail)")
        #expect(!restartFails.calls.contains("exec backend sh -c works"), "then is not checked on an undisturbed system")

        let removeFails = FakeRuntime()
        removeFails.execHandler = { _, command, _ in
            ProcessOutput(status: command[0] == "rm" ? 1 : 0, stdout: "", stderr: command[0] == "rm" ? "rm: cannot remove '/var/app/tmp': Device or resource busy" : "")
        }
        let (removed, _) = verify(.remove(instance: "backend", path: "/var/app/tmp"), removeFails)
        #expect(removed.outcome == .error)
        #expect(removed.detail.contains("`remove /var/app/tmp on backend` failed: rm exited 1 (rm: cannot remove"), "\(removed.detail)")

        let runGone = FakeRuntime()
        runGone.execHandler = { _, command, _ in
            if command.last == "load test" { throw Self.notRunning }
            return ProcessOutput(status: 0, stdout: "", stderr: "")
        }
        let (ran, _) = verify(.run(instance: "backend", command: "load test", user: nil), runGone)
        #expect(ran.outcome == .error)
        #expect(ran.detail.contains("is not running"))
        #expect(!runGone.calls.contains("exec backend sh -c works"))

        let runFails = FakeRuntime()
        runFails.execHandler = { _, command, _ in ProcessOutput(status: command.last == "load test" ? 2 : 0, stdout: "", stderr: "") }
        #expect(verify(.run(instance: "backend", command: "load test", user: nil), runFails).0.outcome == .error)

        // The disruptions that work leave `then` to decide, as before.
        #expect(verify(.restart(instance: "backend"), FakeRuntime()).0.outcome == .passed)
    }
}
