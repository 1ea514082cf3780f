import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine

/// `prove` on a fake runtime whose instances answer from marker files the solution scripts write,
/// so the scripts run for real (bash on the host) and the verdicts are the prover's own.
@Suite struct ProveTests {
    /// The mini scenario of the engine tests, with a level of its own.
    let rig = MiniRig()
    var scratch: ScratchDirectory { rig.scratch }
    var runtime: FakeRuntime { rig.runtime }

    init() {
        scratch.write("Levels/proven/level.yaml", """
        id: proven
        title: Proven
        scenario: mini
        category: app
        difficulty: 1
        par: 10m
        params:
          limit: [1m, 2m, 3m, 4m]
        briefing: It broke at ${param.limit}.
        faults:
          - exec: {instance: backend, run: "rm -rf MARK"}
        symptoms:
          - {id: s, title: Symptom, check: {not: {command: {instance: backend, run: "test -e MARK/works"}}}}
        objectives:
          - {id: works, title: Works, check: {command: {instance: backend, run: "test -e MARK/works"}}}
          - {id: lasts, title: Lasts, check: {command: {instance: backend, run: "test -e MARK/lasts"}}}
        questions:
          - {id: limit, ask: Which limit?, kind: size, answer: {command: {instance: backend, run: "echo ${param.limit}"}}}
          - {id: why, ask: Why?, kind: text, answer: {pattern: "limit"}}
          - {id: what, ask: What?, kind: text, answer: {pattern: "${param.limit}"}}
        """.replacingOccurrences(of: "MARK", with: scratch.url.appendingPathComponent("marks").path))
        // The fake instance runs each check's command on the host, so marker files decide it.
        runtime.execHandler = { _, command, _ in
            let script = command.last ?? ""
            if script == "ready" { return ProcessOutput(status: 0, stdout: "", stderr: "") }
            return try ProcessRunner.run(["sh", "-c", script], timeout: 10, environment: ProcessInfo.processInfo.environment)
        }
    }

    func solutions(_ scripts: [String: String]) -> URL {
        let folder = scratch.url.appendingPathComponent("solutions-\(UUID().uuidString)")
        for (name, body) in scripts { scratch.write("\(folder.lastPathComponent)/\(name)", body) }
        return folder
    }

    func prove(_ scripts: [String: String]) -> ProveReport {
        try? FileManager.default.removeItem(at: scratch.url.appendingPathComponent("marks"))
        let prover = Prover(engine: rig.engine(), executable: URL(fileURLWithPath: "/bin/true"))
        return prover.prove(levelID: "proven", solutions: solutions(scripts))
    }

    var marks: String { scratch.url.appendingPathComponent("marks").path }
    var fix: String { "mkdir -p \(marks) && touch \(marks)/works \(marks)/lasts\n" }
    /// Each run starts broken: its fault removes the markers.
    func scriptThat(_ body: String) -> String { "set -e\nmkdir -p \(marks)\n\(body)\n" }

    func proof(_ report: ProveReport, _ name: String) -> Proof? { report.proofs.first { $0.name == name } }

    @Test func aWrongFixThatFailsExactlyWhatItsHeaderNamesIsProven() {
        let report = prove(["fix.sh": fix, "wrong-half.sh": "# A half fix.\n# fails: lasts\n" + scriptThat("touch \(marks)/works")])
        #expect(proof(report, "wrong fix half")?.passed == true, "\(report.proofs)")
        #expect(proof(report, "reference fix")?.passed == true)
        #expect(proof(report, "reference fix, second seed")?.passed == true)
        #expect(report.passed, "\(report.proofs.filter { !$0.passed })")
    }

    @Test func aNoOpWrongFixFailsItsProof() {
        let report = prove(["fix.sh": fix, "wrong-noop.sh": "# fails: lasts\n" + scriptThat("true")])
        let noop = proof(report, "wrong fix noop")
        #expect(noop?.passed == false)
        #expect(noop?.detail.hasPrefix("also fails works (not in its header)") == true, "\(noop?.detail ?? "")")
        #expect(!report.passed)
    }

    @Test func aWrongFixWithoutHeaderOrThatSolvesFailsItsProof() {
        let report = prove(["fix.sh": fix, "wrong-bare.sh": scriptThat("true"), "wrong-solves.sh": "# fails: works\n" + fix])
        #expect(proof(report, "wrong fix bare")?.detail == "no '# fails: OBJECTIVE, …' header naming the objectives it must fail")
        #expect(proof(report, "wrong fix solves")?.detail == "solved the level, but must not: every objective holds on verify")
    }

    @Test func theSecondSeedDrawsEveryParameterDifferentlyAndACopiedReportScoresAThird() throws {
        let report = prove(["fix.sh": fix, "wrong-half.sh": "# fails: lasts\n" + scriptThat("touch \(marks)/works")])
        let boots = report.proofs.filter { $0.name.hasPrefix("boot") }.map(\.detail)
        #expect(boots.first?.hasPrefix("seed 1,") == true)
        let swap = proof(report, "seed swap")
        // The captured limit changes with the seed; the pattern of `why` does not (a copier gets it);
        // `what` names the limit.
        #expect(swap?.passed == true)
        #expect(swap?.detail.contains("scores 1/3") == true, "\(swap?.detail ?? "")")
        #expect(swap?.detail.contains("(right: why)") == true)
    }

    @Test func aLevelWhoseAnswersDoNotChangeWithTheSeedFailsTheSwap() throws {
        let level = scratch.url.appendingPathComponent("Levels/proven/level.yaml")
        let text = try String(contentsOf: level, encoding: .utf8)
        try text.replacingOccurrences(of: "run: \"echo ${param.limit}\"", with: "run: \"echo 1m\"")
            .write(to: level, atomically: true, encoding: .utf8)
        let swap = proof(prove(["fix.sh": fix, "wrong-half.sh": "# fails: lasts\n" + scriptThat("touch \(marks)/works")]), "seed swap")
        #expect(swap?.passed == false)
        #expect(swap?.detail.contains("scores 2/3") == true, "\(swap?.detail ?? "")")
    }

    @Test func headersAreReadFromTheLeadingComments() {
        let folder = solutions(["wrong-a.sh": "# Why this is wrong.\n# fails: a, b ,c\nset -e\n", "wrong-b.sh": "set -e\n# fails: a\n"])
        #expect(Prover.failsHeader(folder.appendingPathComponent("wrong-a.sh")) == ["a", "b", "c"])
        #expect(Prover.failsHeader(folder.appendingPathComponent("wrong-b.sh")) == nil)
    }

    @Test func anObjectiveThatCouldNotBeCheckedProvesNothing() {
        let errored = CheckReport(run: "r", level: "l", verified: true, solved: false, mitigated: false, objectives: [
            ObjectiveResult(id: "works", title: "", passed: false, detail: "error: exec failed", deferred: false, error: true),
        ])
        let (passed, detail) = Prover.judgeWrongFix(["works"], report: errored, problem: nil)
        #expect(!passed)
        #expect(detail == "could not be checked, which proves nothing: works: error: exec failed")
        #expect(Prover.judgeWrongFix(["works"], report: nil, problem: "Docker is not running").1 == "verify could not be made: Docker is not running")
        #expect(Prover.judgeWrongFix(["nope"], report: errored, problem: nil).1 == "its header names objectives the level does not have: nope")
    }
}
