import Foundation

/// One proof of a level, passed or failed with the reason.
public struct Proof: Sendable, Codable, Equatable {
    public var name: String
    public var passed: Bool
    public var detail: String
    public var seconds: Double
}

public struct ProveReport: Sendable, Codable, Equatable {
    public var level: String
    public var passed: Bool
    public var proofs: [Proof]
}

/// Proves a level the way `levels.md` asks: the symptom is live after boot, the reference fix solves
/// it, every wrong fix does not, stopping leaves nothing behind, and the report's answers come from
/// the run.
///
/// Solutions live in a folder of their own (never in the level's folder, which trainees browse):
/// `fix.sh` is the reference fix and each `wrong-*.sh` a plausible wrong or partial fix. Scripts run
/// on the host with `firedrill` on PATH and `FIREDRILL_RUN` naming the run, and act as a trainee
/// would: `firedrill shell INSTANCE -- COMMAND`, or by editing files under `FIREDRILL_WORKSPACE`.
/// Each `costly-*.sh` is a fix that works at too high a cost: it must solve the level and be
/// detected by one of the level's `costly` probes.
public struct Prover {
    public var engine: Engine
    /// The firedrill executable the solution scripts call.
    public var executable: URL

    public init(engine: Engine, executable: URL) {
        self.engine = engine
        self.executable = executable
    }

    public func prove(levelID: String, solutions: URL, progress: (String) -> Void = { _ in }) -> ProveReport {
        var proofs: [Proof] = []
        func note(_ name: String, _ started: Date, _ passed: Bool, _ detail: String) {
            proofs.append(Proof(name: name, passed: passed, detail: detail, seconds: (engine.clock.now.timeIntervalSince(started) * 10).rounded() / 10))
            progress("\(passed ? "passed" : "FAILED") \(name): \(detail)")
        }
        let fm = FileManager.default
        let fix = solutions.appendingPathComponent("fix.sh")
        let wrong = ((try? fm.contentsOfDirectory(atPath: solutions.path)) ?? [])
            .filter { $0.hasPrefix("wrong-") && $0.hasSuffix(".sh") }.sorted()
            .map { solutions.appendingPathComponent($0) }
        guard fm.fileExists(atPath: fix.path) else {
            note("reference fix", engine.clock.now, false, "no fix.sh in \(solutions.path)")
            return ProveReport(level: levelID, passed: false, proofs: proofs)
        }
        let costly = ((try? fm.contentsOfDirectory(atPath: solutions.path)) ?? [])
            .filter { $0.hasPrefix("costly-") && $0.hasSuffix(".sh") }.sorted()
            .map { solutions.appendingPathComponent($0) }
        if wrong.isEmpty { note("wrong fixes", engine.clock.now, false, "no wrong-*.sh in \(solutions.path): at least one is required") }

        // The reference run: symptom, answers, fix, verify, stop.
        var started = engine.clock.now
        progress("booting \(levelID) for the reference fix")
        guard let record = boot(levelID, started: started, note: note) else {
            return ProveReport(level: levelID, passed: false, proofs: proofs)
        }
        let level = try? engine.level(of: record)
        if let report = try? engine.check(record, verify: false), !report.mitigated {
            let failing = report.objectives.filter { !$0.passed && !$0.deferred }.map(\.id)
            note("symptom live", started, true, "after boot the symptoms show and objectives fail: \(failing.joined(separator: ", "))")
        } else {
            note("symptom live", started, false, "objectives already hold before any fix")
        }
        started = engine.clock.now
        let questions = level?.questions ?? []
        let sealed = (try? engine.store.load(record.id))?.sealedAnswers ?? SealedAnswers()
        let empty = questions.filter { $0.kind != .text && sealed.hashes[$0.id] == nil }.map { "\($0.id) (\($0.kind.rawValue))" }
        let fromRun = questions.filter { if case .command = $0.answer { return true } else { return false } }.map(\.id)
        if questions.isEmpty {
            note("report answers", started, false, "the level asks no report question")
        } else if !empty.isEmpty {
            note("report answers", started, false, "no answer of its kind captured for \(empty.joined(separator: ", "))")
        } else if fromRun.isEmpty {
            note("report answers", started, false, "no question's answer comes from the run")
        } else {
            note("report answers", started, true, "\(questions.count) questions, answers from the run for \(fromRun.joined(separator: ", "))")
        }
        started = engine.clock.now
        let fixOutput = runScript(fix, record: record)
        if fixOutput.succeeded {
            let verdict = verify(record)
            note("reference fix", started, verdict.solved, verdict.detail)
        } else {
            note("reference fix", started, false, "fix.sh exited \(fixOutput.status): \(fixOutput.stderr.suffix(400))")
        }
        stopAndConfirm(record, note: note)

        // Each other script on a fresh run of its own, judged on the verify that follows it.
        let others: [(URL, String, (RunRecord, (solved: Bool, detail: String)) -> (Bool, String))] =
            wrong.map { script in
                (script, "wrong fix \(script.deletingPathExtension().lastPathComponent.dropFirst("wrong-".count))", { _, verdict in
                    (!verdict.solved, verdict.solved ? "solved the level, but must not: \(verdict.detail)" : "not solved: \(verdict.detail)")
                })
            } + costly.map { script in
                (script, "costly fix \(script.deletingPathExtension().lastPathComponent.dropFirst("costly-".count))", { run, verdict in
                    let detected = (try? engine.store.load(run.id))?.costlyDetected ?? []
                    return (verdict.solved && !detected.isEmpty, !verdict.solved ? "does not solve the level: \(verdict.detail)"
                        : detected.isEmpty ? "solved, but no costly probe saw it" : "solved, and seen as costly: \(detected.joined(separator: ", "))")
                })
            }
        for (script, name, judge) in others {
            started = engine.clock.now
            progress("booting \(levelID) for \(name)")
            guard let run = boot(levelID, started: started, note: note) else { continue }
            started = engine.clock.now
            let output = runScript(script, record: run)
            if output.succeeded {
                let (passed, detail) = judge(run, verify(run))
                note(name, started, passed, detail)
            } else {
                note(name, started, false, "\(script.lastPathComponent) exited \(output.status): \(output.stderr.suffix(400))")
            }
            stopAndConfirm(run, note: note)
        }
        return ProveReport(level: levelID, passed: proofs.allSatisfy(\.passed), proofs: proofs)
    }

    private func boot(_ levelID: String, started: Date, note: (String, Date, Bool, String) -> Void) -> RunRecord? {
        do {
            let run = try engine.start(levelID: levelID)
            note("boot", started, true, "live in \(String(format: "%.1f", engine.clock.now.timeIntervalSince(started))) s, symptoms observed")
            return run
        } catch {
            note("boot", started, false, "\(error)")
            return nil
        }
    }

    private func verify(_ run: RunRecord) -> (solved: Bool, detail: String) {
        do {
            let report = try engine.check(run, verify: true)
            let failing = report.objectives.filter { !$0.passed }
            if failing.isEmpty { return (true, "every objective holds on verify") }
            return (false, failing.map { "\($0.id): \($0.detail)" }.joined(separator: "; "))
        } catch {
            return (false, "\(error)")
        }
    }

    private func stopAndConfirm(_ run: RunRecord, note: (String, Date, Bool, String) -> Void) {
        let started = engine.clock.now
        do {
            try engine.stop(run)
            let left = try engine.runtime.projects(prefix: run.project.name)
            note("stop leaves nothing", started, left.isEmpty, left.isEmpty ? "no container, network or volume of \(run.id) remains" : "left behind: \(left.joined(separator: ", "))")
        } catch {
            note("stop leaves nothing", started, false, "\(error)")
        }
    }

    private func runScript(_ script: URL, record: RunRecord) -> ProcessOutput {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = executable.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["FIREDRILL"] = executable.path
        environment["FIREDRILL_RUN"] = record.id
        environment["FIREDRILL_ROOT"] = engine.catalog.root.path
        environment["FIREDRILL_HOME"] = engine.store.root.path
        environment["FIREDRILL_WORKSPACE"] = record.workspace.path
        for (name, port) in record.ports { environment["FIREDRILL_URL_\(name.uppercased())"] = "http://127.0.0.1:\(port)" }
        do {
            return try ProcessRunner.run(["bash", script.path], timeout: 600, environment: environment)
        } catch {
            return ProcessOutput(status: 127, stdout: "", stderr: "\(error)")
        }
    }
}
