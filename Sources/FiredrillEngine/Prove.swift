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
/// it, every wrong fix fails the objectives it names and no other, stopping leaves nothing behind,
/// and the report's answers come from the run and change with the seed.
///
/// Solutions live in a folder of their own (never in the level's folder, which trainees browse):
/// `fix.sh` is the reference fix and each `wrong-*.sh` a plausible wrong or partial fix whose header
/// line `# fails: objective, objective` names exactly the objectives it must fail. Scripts run on the
/// host with `firedrill` on PATH, `FIREDRILL_RUN` naming the run, `FIREDRILL_SEED` and each drawn
/// parameter as `FIREDRILL_PARAM_<NAME>`, and act as a trainee would: `firedrill shell INSTANCE --
/// COMMAND`, or by editing files under `FIREDRILL_WORKSPACE`. Each `costly-*.sh` is a fix that works
/// at too high a cost: it must solve the level and be detected by one of the level's `costly` probes.
///
/// The reference fix runs on two seeds whose parameters all differ; the answers captured on the
/// first, copied as a report onto the second, may score at most one question in three (a text
/// question whose pattern does not change with the seed counts as copied right).
public struct Prover {
    public var engine: Engine
    /// The firedrill executable the solution scripts call.
    public var executable: URL
    /// Boot every run ahead and give it (`Engine.give`), as `play` does with a warm run: its
    /// checks must not tell it from one booted cold.
    public var warm = false

    public init(engine: Engine, executable: URL, warm: Bool = false) {
        self.engine = engine
        self.executable = executable
        self.warm = warm
    }

    /// What one reference run left for the seed-swap proof.
    private struct ReferenceRun {
        var level: Level
        var answers: [String: String]
        var sealed: SealedAnswers
    }

    public func prove(levelID: String, solutions: URL, seed: UInt64 = 1, progress: (String) -> Void = { _ in }) -> ProveReport {
        var proofs: [Proof] = []
        func note(_ name: String, _ started: Date, _ passed: Bool, _ detail: String) {
            proofs.append(Proof(name: name, passed: passed, detail: detail, seconds: (engine.clock.now.timeIntervalSince(started) * 10).rounded() / 10))
            progress("\(passed ? "passed" : "FAILED") \(name): \(detail)")
        }
        func scripts(_ prefix: String) -> [URL] {
            ((try? FileManager.default.contentsOfDirectory(atPath: solutions.path)) ?? [])
                .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".sh") }.sorted()
                .map { solutions.appendingPathComponent($0) }
        }
        let fix = solutions.appendingPathComponent("fix.sh")
        guard FileManager.default.fileExists(atPath: fix.path) else {
            note("reference fix", engine.clock.now, false, "no fix.sh in \(solutions.path)")
            return ProveReport(level: levelID, passed: false, proofs: proofs)
        }
        let wrong = scripts("wrong-"), costly = scripts("costly-")
        if wrong.isEmpty { note("wrong fixes", engine.clock.now, false, "no wrong-*.sh in \(solutions.path): at least one is required") }
        let seeds = [seed, (try? secondSeed(levelID, after: seed)) ?? seed &+ 1]

        // The reference fix on each seed: symptom, answers, fix, verify, stop.
        var references: [ReferenceRun] = []
        for (index, seed) in seeds.enumerated() {
            let suffix = index == 0 ? "" : ", second seed"
            guard let run = referenceRun(levelID, seed: seed, fix: fix, suffix: suffix, note: note, progress: progress) else {
                return ProveReport(level: levelID, passed: false, proofs: proofs)
            }
            references.append(run)
        }
        let swap = seedSwap(from: references[0], to: references[1], seeds: seeds)
        note("seed swap", engine.clock.now, swap.passed, swap.detail)

        // Each other script on a fresh run of its own, the seeds taking turns, judged on the verify after it.
        let others: [(URL, String, (RunRecord, CheckReport?, String?) -> (Bool, String))] =
            wrong.map { script in
                let failing = Self.failsHeader(script)
                return (script, "wrong fix \(script.deletingPathExtension().lastPathComponent.dropFirst("wrong-".count))", { _, report, problem in
                    Self.judgeWrongFix(failing, report: report, problem: problem)
                })
            } + costly.map { script in
                (script, "costly fix \(script.deletingPathExtension().lastPathComponent.dropFirst("costly-".count))", { run, report, problem in
                    let detected = (try? engine.store.load(run.id))?.costlyDetected ?? []
                    let solved = report?.solved ?? false
                    return (solved && !detected.isEmpty, !solved ? "does not solve the level: \(Self.describe(report, problem))"
                        : detected.isEmpty ? "solved, but no costly probe saw it" : "solved, and seen as costly: \(detected.joined(separator: ", "))")
                })
            }
        for (index, (script, name, judge)) in others.enumerated() {
            var started = engine.clock.now
            let seed = seeds[(index + 1) % 2]
            progress("booting \(levelID) (seed \(seed)) for \(name)")
            guard let run = boot(levelID, seed: seed, started: started, note: note) else { continue }
            started = engine.clock.now
            let output = runScript(script, record: run)
            if output.succeeded {
                let (report, problem) = verify(run)
                let (passed, detail) = judge(run, report, problem)
                note(name, started, passed, detail)
            } else {
                note(name, started, false, "\(script.lastPathComponent) exited \(output.status): \(output.stderr.suffix(400))")
            }
            stopAndConfirm(run, note: note)
        }
        return ProveReport(level: levelID, passed: proofs.allSatisfy(\.passed), proofs: proofs)
    }

    /// The first seed after `seed` whose draw differs from `seed`'s in every parameter that has
    /// more than one choice (the next seed when the level has none).
    public func secondSeed(_ levelID: String, after seed: UInt64) throws -> UInt64 {
        let parameters = try engine.catalog.level(levelID).parameters.filter { $0.choices.count > 1 }
        let level = levelID
        func differs(_ other: UInt64) -> Bool {
            parameters.allSatisfy { $0.choice(.seed(other), level: level) != $0.choice(.seed(seed), level: level) }
        }
        return (1...10_000).lazy.map { seed &+ UInt64($0) }.first(where: differs) ?? seed &+ 1
    }

    private func referenceRun(_ levelID: String, seed: UInt64, fix: URL, suffix: String,
                              note: (String, Date, Bool, String) -> Void, progress: (String) -> Void) -> ReferenceRun? {
        var started = engine.clock.now
        progress("booting \(levelID) (seed \(seed)) for the reference fix")
        var answers: [String: String] = [:]
        guard let record = boot(levelID, seed: seed, started: started, suffix: suffix, note: note, answers: { answers = $0 }),
              let level = try? engine.level(of: record) else { return nil }
        started = engine.clock.now
        if let report = try? engine.check(record, verify: false), !report.mitigated {
            let failing = report.objectives.filter { !$0.passed && !$0.deferred }.map(\.id)
            note("symptom live\(suffix)", started, true, "after boot the symptoms show and objectives fail: \(failing.joined(separator: ", "))")
        } else {
            note("symptom live\(suffix)", started, false, "objectives already hold before any fix")
        }
        started = engine.clock.now
        let questions = level.questions
        let sealed = (try? engine.store.load(record.id))?.sealedAnswers ?? SealedAnswers()
        let empty = questions.filter { $0.kind != .text && sealed.hashes[$0.id] == nil }.map { "\($0.id) (\($0.kind.rawValue))" }
        let fromRun = questions.filter { if case .command = $0.answer { return true } else { return false } }.map(\.id)
        if questions.isEmpty {
            note("report answers\(suffix)", started, false, "the level asks no report question")
        } else if !empty.isEmpty {
            note("report answers\(suffix)", started, false, "no answer of its kind captured for \(empty.joined(separator: ", "))")
        } else if fromRun.isEmpty {
            note("report answers\(suffix)", started, false, "no question's answer comes from the run")
        } else {
            note("report answers\(suffix)", started, true, "\(questions.count) questions, answers from the run for \(fromRun.joined(separator: ", "))")
        }
        started = engine.clock.now
        let fixOutput = runScript(fix, record: record)
        if fixOutput.succeeded {
            let (report, problem) = verify(record)
            note("reference fix\(suffix)", started, report?.solved ?? false, report?.solved == true ? "every objective holds on verify" : Self.describe(report, problem))
        } else {
            note("reference fix\(suffix)", started, false, "fix.sh exited \(fixOutput.status): \(fixOutput.stderr.suffix(400))")
        }
        stopAndConfirm(record, suffix: suffix, note: note)
        return ReferenceRun(level: level, answers: answers, sealed: sealed)
    }

    /// The answers of the first seed's run, graded as a report on the second's.
    private func seedSwap(from first: ReferenceRun, to second: ReferenceRun, seeds: [UInt64]) -> (passed: Bool, detail: String) {
        var right: [String] = []
        for question in second.level.questions {
            if question.kind == .text {
                let before = first.level.questions.first { $0.id == question.id }
                if before?.answer == question.answer, before?.not == question.not { right.append(question.id) }
            } else if let copied = first.answers[question.id], second.sealed.matches(copied, question: question.id) {
                right.append(question.id)
            }
        }
        let count = second.level.questions.count
        let passed = count > 0 && right.count * 3 <= count
        let which = right.isEmpty ? "none" : right.joined(separator: ", ")
        return (passed, "a report copied from seed \(seeds[0]) scores \(right.count)/\(count) on seed \(seeds[1]) (right: \(which))"
            + (passed ? "" : "; at most one question in three may keep its answer across seeds"))
    }

    /// The objectives a wrong fix's header names: `# fails: a, b` among its first comment lines.
    static func failsHeader(_ script: URL) -> Set<String>? {
        guard let text = try? String(contentsOf: script, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n").prefix(while: { $0.hasPrefix("#") }) {
            let body = line.dropFirst().trimmingCharacters(in: .whitespaces)
            guard body.hasPrefix("fails:") else { continue }
            let names = body.dropFirst("fails:".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return names.isEmpty ? nil : Set(names)
        }
        return nil
    }

    /// A wrong fix proves something only when the verify after it fails exactly the objectives its
    /// header names, each a real failure: an objective that could not be checked proves nothing.
    static func judgeWrongFix(_ named: Set<String>?, report: CheckReport?, problem: String?) -> (Bool, String) {
        guard let named else { return (false, "no '# fails: OBJECTIVE, …' header naming the objectives it must fail") }
        guard let report else { return (false, "verify could not be made: \(problem ?? "unknown error")") }
        let unknown = named.subtracting(report.objectives.map(\.id))
        if !unknown.isEmpty { return (false, "its header names objectives the level does not have: \(unknown.sorted().joined(separator: ", "))") }
        let failing = report.objectives.filter { !$0.passed }
        if failing.isEmpty { return (false, "solved the level, but must not: every objective holds on verify") }
        let errors = failing.filter(\.error)
        if !errors.isEmpty { return (false, "could not be checked, which proves nothing: \(errors.map { "\($0.id): \($0.detail)" }.joined(separator: "; "))") }
        let failed = Set(failing.map(\.id))
        if failed != named {
            var parts: [String] = []
            let extra = failed.subtracting(named), missing = named.subtracting(failed)
            if !extra.isEmpty { parts.append("also fails \(extra.sorted().joined(separator: ", ")) (not in its header)") }
            if !missing.isEmpty { parts.append("does not fail \(missing.sorted().joined(separator: ", ")) (named in its header)") }
            return (false, parts.joined(separator: "; ") + ": " + describe(report, nil))
        }
        return (true, "fails \(failed.sorted().joined(separator: ", ")) as named: \(describe(report, nil))")
    }

    static func describe(_ report: CheckReport?, _ problem: String?) -> String {
        guard let report else { return problem ?? "verify could not be made" }
        let failing = report.objectives.filter { !$0.passed }
        return failing.isEmpty ? "every objective holds on verify" : failing.map { "\($0.id): \($0.detail)" }.joined(separator: "; ")
    }

    private func boot(_ levelID: String, seed: UInt64, started: Date, suffix: String = "", note: (String, Date, Bool, String) -> Void,
                      answers: (([String: String]) -> Void)? = nil) -> RunRecord? {
        do {
            guard warm else {
                let run = try engine.start(levelID: levelID, seed: seed, answers: answers)
                note("boot\(suffix)", started, true, "seed \(seed), live in \(String(format: "%.1f", engine.clock.now.timeIntervalSince(started))) s, symptoms observed")
                return run
            }
            var captured: [String: String] = [:]
            let ahead = try engine.start(levelID: levelID, seed: seed, warm: true, answers: { captured = $0 })
            let given = engine.clock.now
            let run = try engine.give(ahead, answers: { captured.merge($0) { _, again in again } })
            answers?(captured)
            note("boot\(suffix)", started, true, String(format: "seed %llu, booted ahead and paused in %.1f s, given in %.2f s, symptoms observed",
                                                        seed, given.timeIntervalSince(started), engine.clock.now.timeIntervalSince(given)))
            return run
        } catch {
            note("boot\(suffix)", started, false, "seed \(seed): \(error)")
            return nil
        }
    }

    private func verify(_ run: RunRecord) -> (CheckReport?, String?) {
        do {
            return (try engine.check(run, verify: true), nil)
        } catch {
            return (nil, "\(error)")
        }
    }

    private func stopAndConfirm(_ run: RunRecord, suffix: String = "", note: (String, Date, Bool, String) -> Void) {
        let started = engine.clock.now
        do {
            try engine.stop(run)
            let left = try engine.runtime.projects(prefix: run.project.name)
            note("stop leaves nothing\(suffix)", started, left.isEmpty, left.isEmpty ? "no container, network or volume of \(run.id) remains" : "left behind: \(left.joined(separator: ", "))")
        } catch {
            note("stop leaves nothing\(suffix)", started, false, "\(error)")
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
        environment["FIREDRILL_SEED"] = record.seed.map(String.init)
        for (name, value) in (try? engine.level(of: record))?.values ?? [:] where name.hasPrefix("param.") {
            environment["FIREDRILL_PARAM_" + name.dropFirst("param.".count).uppercased().replacingOccurrences(of: ".", with: "_")
                .replacingOccurrences(of: "-", with: "_")] = value
        }
        do {
            return try ProcessRunner.run(["bash", script.path], timeout: 600, environment: environment)
        } catch {
            return ProcessOutput(status: 127, stdout: "", stderr: "\(error)")
        }
    }
}
