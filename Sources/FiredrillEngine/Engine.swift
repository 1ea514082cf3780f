import Foundation
import Synchronization

/// One objective's result in a check of a run.
public struct ObjectiveResult: Sendable, Codable, Equatable {
    public var id: String
    public var title: String
    public var passed: Bool
    public var detail: String
    /// Checked only on an explicit verify.
    public var deferred: Bool
    /// The check could not be made (Docker's own failure, a timeout): not passed, and not a
    /// proof that the objective fails either.
    public var error: Bool = false
}

public struct CheckReport: Sendable, Codable, Equatable {
    public var run: String
    public var level: String
    public var verified: Bool
    /// Every objective holds; only a verify can say so when some objective is disruptive.
    public var solved: Bool
    /// Every objective that can be checked without disruption holds.
    public var mitigated: Bool
    public var objectives: [ObjectiveResult]
}

/// The scenario engine: boots runs of levels, injects their faults, checks objectives, stops runs.
/// It knows nothing of screens; the CLI and the console are two faces of it.
public final class Engine: @unchecked Sendable {
    public let catalog: Catalog
    public let store: RunStore
    public let runtime: any Runtime
    public let http: any HTTPClient
    /// Compose projects of firedrill runs start with this, so leftovers can be found.
    public static let projectPrefix = "firedrill-"
    /// How long a project may have a network and no container before it counts as left behind.
    static let bootGrace: Double = 300
    /// How long boot waits for the scenario to serve, and then for the symptoms to show.
    public var readyTimeout: Double = 90
    public var symptomTimeout: Double = 60
    /// The game's record of runs and events (players, scores), besides the run files.
    public var journal: (any RunJournal)?
    /// The time of the run's records and the waits of boot and checks.
    public var clock: any Clock = SystemClock()

    public init(catalog: Catalog, store: RunStore, runtime: any Runtime, http: any HTTPClient = CurlHTTPClient()) {
        self.catalog = catalog
        self.store = store
        self.runtime = runtime
        self.http = http
    }

    // MARK: - Images

    /// Builds a scenario's images in order (cached: unchanged images take about a second).
    public func buildImages(scenario: Scenario, force: Bool = false, progress: (String) -> Void = { _ in }) throws {
        for image in scenario.images {
            progress("image \(image.tag)")
            try runtime.buildImage(tag: image.tag, context: scenario.directory.appendingPathComponent(image.context), force: force)
        }
    }

    // MARK: - Starting

    /// Boots a run of a level: workspace, compose up, wait until ready, inject the faults, confirm
    /// the symptoms, capture the report answers. On failure everything of the run is removed.
    /// `answers`, for proofs, is told the expected answers in clear before they are sealed.
    ///
    /// `warm` boots it ahead: once the symptoms show, its instances are paused and it waits as
    /// `warm`, no one's (the journal is not told), until `give` hands it over.
    public func start(levelID: String, seed: UInt64? = nil, warm: Bool = false, progress: (String) -> Void = { _ in },
                      answers: (([String: String]) -> Void)? = nil) throws -> RunRecord {
        let scenario = try catalog.scenario(catalog.level(levelID).scenario)
        try runtime.ensureAvailable()
        removeLeftovers()
        try buildImages(scenario: scenario, progress: { progress("checking \($0)") })

        let id = "\(levelID)-\(Self.shortID())"
        let ports = Dictionary(uniqueKeysWithValues: zip(scenario.ports.map(\.name), try PortAllocator.freePorts(scenario.ports.count)))
        let workspace = store.directory(of: id).appendingPathComponent("workspace")
        var record = RunRecord(id: id, level: levelID, scenario: scenario.id,
                               project: Project(name: Self.projectPrefix + id, directory: workspace, composeFile: scenario.compose),
                               state: .booting, ports: ports, createdAt: clock.now, ownerPID: getpid())
        // Every run draws its own incident; the seed is kept so a run can be replayed.
        record.seed = seed ?? UInt64.random(in: 1...999_999)
        let level = try catalog.level(levelID, bindings: record.bindings)
        let problems = Lint.references(of: level, catalog: catalog)
        guard problems.isEmpty else { throw Diagnostics(problems) }
        if warm, let reason = level.coldOnly { throw EngineError.coldOnly(level: levelID, reason: reason) }
        if warm { unjournaled.withLock { _ = $0.insert(id) } }
        defer { if warm { unjournaled.withLock { _ = $0.remove(id) } } }
        try save(record)
        log(RunEvent(kind: "booting", detail: "level \(level.id)"), to: id)
        do {
            progress("workspace \(workspace.path)")
            try Workspace.create(at: workspace, scenario: scenario, level: level, ports: ports, project: record.project.name)
            let sandbox = Lint.compose(at: workspace.appendingPathComponent(scenario.compose), allowedCapabilities: Set(level.capabilities))
            guard sandbox.isEmpty else { throw EngineError.sandbox(sandbox) }
            progress("starting the instances")
            try runtime.up(project: record.project)
            log(RunEvent(kind: "up", detail: "instances created"), to: id)
            if level.waitForReady {
                try waitUntil(scenario.ready, record: record, timeout: readyTimeout, failure: { EngineError.bootFailed("not ready after \(Int(self.readyTimeout)) s: \($0)") })
                log(RunEvent(kind: "ready", detail: "the scenario serves"), to: id)
            }
            progress("injecting the fault")
            try injectFaults(level, record: record)
            if !level.symptoms.isEmpty {
                try waitUntil(.all(level.symptoms.map(\.check)), record: record, timeout: symptomTimeout, failure: { _ in
                    EngineError.symptomsNotLive(self.failingSymptoms(level, record: record))
                })
            }
            seal(captureAnswers(level, record: record), into: &record, answers: answers)
            record.costlyBaseline = probeCostly(level, record: record)
            if warm {
                progress("pausing it until it is given")
                try runtime.pause(project: record.project.name)
                record.heldMemory = heldMemory(record)
                try record.move(to: .warm, at: clock.now)
                record.ownerPID = nil
                try save(record)
                log(RunEvent(kind: "warm", detail: "fault live, symptoms seen; paused until given"), to: id)
                return record
            }
            try record.move(to: .live, at: clock.now)
            record.ownerPID = nil
            try save(record)
            log(RunEvent(kind: "live", detail: "fault live"), to: id)
            return record
        } catch {
            log(RunEvent(kind: "failed", detail: "\(error)"), to: id)
            try? runtime.down(project: record.project)
            try? record.move(to: .failed, at: clock.now)
            record.ownerPID = nil
            try? save(record)
            throw error
        }
    }

    /// Seals the expected answers captured (replacing those of the same questions), after telling
    /// `answers`, for proofs, what they are in clear.
    private func seal(_ expected: [String: String], into record: inout RunRecord, answers: (([String: String]) -> Void)?) {
        answers?(expected)
        var sealed = record.sealedAnswers ?? SealedAnswers()
        for (question, answer) in expected { sealed.seal(answer, question: question) }
        record.sealedAnswers = sealed
    }

    // MARK: - Warm runs

    /// Hands over a warm run: its instances thawed (and seen running: a run is never given
    /// frozen), the level's `rearm` faults run again, the answers of its `recapture` questions
    /// (those about when the trainee arrives) captured again, and its clock started now. The
    /// journal learns of it here, with its boot's events. On failure the run is removed, and the
    /// caller boots one cold. `answers` is told the answers captured again.
    public func give(_ warm: RunRecord, answers: (([String: String]) -> Void)? = nil) throws -> RunRecord {
        var record = try store.load(warm.id)
        guard record.state == .warm else { throw EngineError.notWarm(run: record.id, state: record.state) }
        do {
            try runtime.ensureAvailable()
            try runtime.unpause(project: record.project.name)
            let instances = try runtime.instances(project: record.project.name)
            let stuck = instances.filter { !$0.running }.map { "\($0.name) (\($0.state))" }
            guard !instances.isEmpty, stuck.isEmpty else {
                throw EngineError.bootFailed("the warm run's instances are not all running: \(stuck.isEmpty ? "none left" : stuck.joined(separator: ", "))")
            }
            let level = try level(of: record)
            for fault in level.rearm {
                guard case let .exec(instance, command, user, background) = fault else { continue }
                let output = try runtime.exec(project: record.project.name, instance: instance, command: ["sh", "-c", command],
                                              user: user, detach: background, timeout: 60)
                guard output.succeeded else {
                    throw EngineError.faultFailed("re-arming `\(command)` on \(instance) exited \(output.status): \(output.stderr.suffix(500))")
                }
            }
            let paused = record.warmAt.map { clock.now.timeIntervalSince($0) } ?? 0
            var again = level
            again.questions = level.questions.filter { level.recapture.contains($0.id) }
            seal(captureAnswers(again, record: record), into: &record, answers: answers)
            try record.move(to: .live, at: clock.now)
            try save(record)
            journal?.adopted(record, level: level, events: store.events(of: record.id))
            log(RunEvent(kind: "live", detail: String(format: "fault live; booted ahead, given after %.0f s paused", paused)), to: record.id)
            return record
        } catch {
            try? stop(record)
            throw error
        }
    }

    /// The warm runs of this data directory, oldest first.
    public func warmRuns() -> [RunRecord] { store.all().filter { $0.state == .warm } }

    /// What a run's instances hold in memory, summed from one stats frame each.
    private func heldMemory(_ record: RunRecord) -> Int64? {
        guard let instances = try? runtime.instances(project: record.project.name), !instances.isEmpty else { return nil }
        let bytes = instances.compactMap { try? runtime.stats(project: record.project.name, instance: $0.name).memoryBytes }
        return bytes.count == instances.count ? Int64(bytes.reduce(0, +)) : nil
    }

    private func evaluator(_ record: RunRecord, allowDisruption: Bool = false) -> CheckEvaluator {
        var evaluator = CheckEvaluator(runtime: runtime, http: http, project: record.project.name, ports: record.ports,
                                       workspace: record.workspace, allowDisruption: allowDisruption)
        evaluator.clock = clock
        return evaluator
    }

    /// How often a boot's waits (ready, symptoms) check again: a check is a curl or a `docker
    /// exec`, cheap beside the boot it shortens (an eighth of a second: timeouts add up exactly).
    static let pollInterval = 0.125

    private func waitUntil(_ check: Check, record: RunRecord, timeout: Double, failure: (String) -> Error) throws {
        let deadline = clock.now.addingTimeInterval(timeout)
        let evaluator = evaluator(record)
        var result = evaluator.evaluate(check)
        while !result.passed {
            if clock.now >= deadline { throw failure(result.detail) }
            clock.sleep(Self.pollInterval)
            result = evaluator.evaluate(check)
        }
    }

    private func failingSymptoms(_ level: Level, record: RunRecord) -> [String] {
        let evaluator = evaluator(record)
        return level.symptoms.compactMap { symptom in
            let result = evaluator.evaluate(symptom.check)
            return result.passed ? nil : "\(symptom.title): \(result.detail)"
        }
    }

    private func injectFaults(_ level: Level, record: RunRecord) throws {
        for fault in level.faults {
            if case let .restart(instance) = fault {
                try runtime.restart(project: record.project.name, instance: instance)
                log(RunEvent(kind: "fault", detail: "restarted \(instance)"), to: record.id)
                continue
            }
            guard case let .exec(instance, command, user, background) = fault else { continue }
            let output = try runtime.exec(project: record.project.name, instance: instance, command: ["sh", "-c", command],
                                          user: user, detach: background, timeout: 300)
            guard output.succeeded else {
                throw EngineError.faultFailed("`\(command)` on \(instance) exited \(output.status): \(output.stderr.suffix(500))")
            }
            log(RunEvent(kind: "fault", detail: "ran on \(instance)\(background ? " (background)" : "")"), to: record.id)
        }
    }

    /// The expected answers, each normalized for its kind (then sealed: `SealedAnswers`); an
    /// answer that is not one of its kind (a command that printed nothing) is left out, and
    /// grades wrong. Text answers are graded with the level's own patterns: nothing to keep.
    private func captureAnswers(_ level: Level, record: RunRecord) -> [String: String] {
        // The commands only read: all at once, so the boot waits for the slowest only.
        let expected = concurrently(level.questions) { question -> String? in
            switch question.answer {
            case let .value(text): return question.kind.normalize(expected: text)
            case .pattern: return nil
            case let .command(instance, command, user):
                let output = try? runtime.exec(project: record.project.name, instance: instance, command: ["sh", "-c", command],
                                               user: user, detach: false, timeout: 60)
                return question.kind.normalize(expected: output?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
            }
        }
        return Dictionary(uniqueKeysWithValues: zip(level.questions.map(\.id), expected).compactMap { id, answer in answer.map { (id, $0) } })
    }

    /// Runs the level's costly-fix probes, all at once; a probe that cannot run (its instance is
    /// down) is left out.
    private func probeCostly(_ level: Level, record: RunRecord) -> [String: String] {
        let outputs = concurrently(level.costly) { fix -> String? in
            guard let output = try? runtime.exec(project: record.project.name, instance: fix.instance, command: ["sh", "-c", fix.probe],
                                                 user: nil, detach: false, timeout: 30), output.succeeded else { return nil }
            return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return Dictionary(uniqueKeysWithValues: zip(level.costly.map(\.id), outputs).compactMap { id, output in output.map { (id, $0) } })
    }

    /// `body` of each item, on as many threads as there are items; the results in their order.
    private func concurrently<Item: Sendable, Result: Sendable>(_ items: [Item], _ body: @Sendable (Item) -> Result?) -> [Result?] {
        let results = Mutex([Result?](repeating: nil, count: items.count))
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            let result = body(items[index])
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0 }
    }

    /// Records each costly fix whose probe answers differently than when the fault went live.
    private func detectCostly(_ level: Level, record: inout RunRecord) -> Bool {
        guard let baseline = record.costlyBaseline, !level.costly.isEmpty else { return false }
        var detected = record.costlyDetected ?? []
        let pending = level.costly.filter { !detected.contains($0.id) && baseline[$0.id] != nil }
        guard !pending.isEmpty else { return false }
        let now = probeCostly(level, record: record)
        for fix in pending where now[fix.id] != nil && now[fix.id] != baseline[fix.id] {
            detected.append(fix.id)
            log(RunEvent(kind: EventKind.costly, detail: "\(fix.id): \(fix.title)", payload: .costly(fix: fix.id, title: fix.title)), to: record.id)
        }
        guard detected.count != (record.costlyDetected ?? []).count else { return false }
        record.costlyDetected = detected
        return true
    }

    // MARK: - Recording

    /// Runs this process is booting ahead: the journal is not told of them until they are given.
    private let unjournaled = Mutex<Set<String>>([])

    private func journals(_ id: String) -> Bool { !unjournaled.withLock { $0.contains(id) } }

    /// Saves the run's file and tells the journal.
    func save(_ record: RunRecord) throws {
        try store.save(record)
        if let journal, record.state != .warm, journals(record.id), let level = try? level(of: record) { journal.recorded(record, level: level) }
    }

    /// Appends an event to the run's log and the journal.
    public func log(_ event: RunEvent, to id: String) {
        store.append(event, to: id)
        if journals(id) { journal?.recorded([event], run: id) }
    }

    /// Counts a revealed hint; returns how many the run has revealed.
    public func revealHint(_ record: RunRecord) throws -> Int {
        var current = try store.load(record.id)
        current.hintsRevealed += 1
        try save(current)
        log(RunEvent(kind: EventKind.hint, detail: "hint \(current.hintsRevealed) revealed", payload: .hint(number: current.hintsRevealed)), to: record.id)
        return current.hintsRevealed
    }

    // MARK: - A live run

    /// The run with this id, or the newest live one.
    public func run(_ id: String?) throws -> RunRecord {
        if let id { return try store.load(id) }
        guard let record = store.newestActive() else { throw EngineError.noLiveRun }
        return record
    }

    /// The run's level, its references bound to the run's seed, ports and id.
    public func level(of record: RunRecord) throws -> Level { try catalog.level(record.level, bindings: record.bindings) }

    /// Checks every objective; disruptive ones only when `verify` is set. Records the first time
    /// the run is mitigated and every verify. `eager`: a command has just ended in a shell and may
    /// have fixed something, so an `every:` objective whose last check the server refused at no
    /// cost (`CheckResult.refused`) is asked again rather than answered from that check.
    public func check(_ record: RunRecord, verify: Bool, eager: Bool = false) throws -> CheckReport {
        if record.state == .warm { throw EngineError.notGiven(run: record.id) }
        let level = try level(of: record)
        try runtime.ensureAvailable()
        let evaluator = evaluator(record, allowDisruption: verify)
        let stored = try store.load(record.id)
        let cached = stored.objectiveChecks ?? [:]
        var fresh: [String: CachedResult] = [:]
        let now = clock.now
        func answer(_ objective: Objective, fromCache: Bool) -> ObjectiveResult {
            // A costly objective checked a moment ago answers from that check, unless verifying.
            if fromCache, !verify, let every = objective.every, let last = cached[objective.id], now.timeIntervalSince(last.at) < every,
               !(eager && last.refused == true) {
                let age = Int(now.timeIntervalSince(last.at))
                return ObjectiveResult(id: objective.id, title: objective.title, passed: last.passed,
                                       detail: "\(last.detail) (checked \(age) s ago; at most every \(Int(every)) s, v checks now)", deferred: false,
                                       error: last.error ?? false)
            }
            let result = evaluator.evaluate(objective.check)
            if objective.every != nil, !result.deferred {
                fresh[objective.id] = CachedResult(at: now, passed: result.passed, detail: result.detail, error: result.outcome == .error,
                                                   refused: result.refused)
            }
            return ObjectiveResult(id: objective.id, title: objective.title, passed: result.passed, detail: result.detail, deferred: result.deferred,
                                   error: result.outcome == .error)
        }
        var results = level.objectives.map { answer($0, fromCache: true) }
        // Everything holds on a live run but something answered from an earlier check: made
        // afresh now (once: the run is then mitigated), so the time of the fix is the time taken.
        if stored.state == .live, results.allSatisfy({ $0.passed || $0.deferred }) {
            for (index, objective) in level.objectives.enumerated() where objective.every != nil && fresh[objective.id] == nil && !results[index].deferred {
                results[index] = answer(objective, fromCache: false)
            }
        }
        // The record as it is now: a hint revealed while the checks ran is kept.
        var updated = try store.load(record.id)
        var changed = !fresh.isEmpty
        if changed { updated.objectiveChecks = (updated.objectiveChecks ?? [:]).merging(fresh) { _, new in new } }
        let mitigated = results.allSatisfy { $0.passed || $0.deferred }
        // Only a check that made every objective afresh mitigates the run: an `every:` objective
        // answered from its last check (so not in `fresh`) may no longer hold.
        let madeAfresh = zip(level.objectives, results).allSatisfy { objective, result in
            objective.every == nil || result.deferred || fresh[objective.id] != nil
        }
        let wasMitigated = updated.state == .mitigated
        // A verify lints the workspace's compose file again: the trainee may have edited it.
        let verdicts = results + (verify ? sandbox(level, record: record) : [])
        let solved = verdicts.allSatisfy(\.passed)
        var states = updated.objectiveStates ?? [:]
        for result in results where !result.deferred && states[result.id] != result.passed {
            // The first routine check records only what holds; later ones every change.
            if states[result.id] != nil || result.passed {
                log(RunEvent(kind: EventKind.check, detail: "\(result.id) \(result.passed ? "passed" : result.error ? "could not be checked" : "failing")",
                             payload: .check(objective: result.id, passed: result.passed)), to: record.id)
            }
            states[result.id] = result.passed
            changed = true
        }
        updated.objectiveStates = states
        if mitigated, madeAfresh, updated.state == .live {
            try updated.move(to: .mitigated, at: clock.now)
            changed = true
            log(RunEvent(kind: EventKind.mitigated, detail: "every objective holds"), to: record.id)
        }
        if verify || (mitigated && changed) {
            changed = detectCostly(level, record: &updated) || changed
        }
        if changed { try save(updated) }
        if verify {
            let passed = verdicts.filter(\.passed).map(\.id)
            let count = "\(passed.count)/\(verdicts.count)"
            log(RunEvent(kind: EventKind.verify, detail: solved ? "solved \(count)" : "not solved \(count) (passed: \(passed.joined(separator: ", ")))",
                         payload: .verify(solved: solved, passed: passed, total: verdicts.count)), to: record.id)
        }
        if verify, !solved, wasMitigated {
            // The run stays mitigated (the time counts), but the timeline says the fix did not last.
            let failing = verdicts.filter { !$0.passed }.map(\.id)
            log(RunEvent(kind: EventKind.unmitigated, detail: "\(failing.joined(separator: ", ")) no longer holding",
                         payload: .unmitigated(failing: failing)), to: record.id)
        }
        return CheckReport(run: record.id, level: level.id, verified: verify, solved: solved, mitigated: mitigated, objectives: verdicts)
    }

    /// The result id of the sandbox rules on verify.
    public static let sandboxID = "sandbox"

    /// The sandbox rules of boot, on the workspace's compose file as it is now: nothing when it
    /// keeps them, else one failing result naming every rule broken (a port published on
    /// 0.0.0.0 is refused on verify as it is at boot).
    private func sandbox(_ level: Level, record: RunRecord) -> [ObjectiveResult] {
        let file = record.project.composeFile
        let problems = Lint.compose(at: record.workspace.appendingPathComponent(file), allowedCapabilities: Set(level.capabilities))
        guard !problems.isEmpty else { return [] }
        let detail = problems.map { problem in
            var problem = problem
            problem.file = file
            return problem.description
        }.joined(separator: "; ")
        return [ObjectiveResult(id: Self.sandboxID, title: "The compose file keeps the sandbox rules", passed: false, detail: detail, deferred: false)]
    }

    public func instances(_ record: RunRecord) throws -> [InstanceStatus] {
        try runtime.ensureAvailable()
        return try runtime.instances(project: record.project.name)
    }

    /// The command line for a shell (or a one-off command) in an instance of a run.
    public func shellCommand(_ record: RunRecord, instance: String, command: [String], tty: Bool) throws -> [String] {
        if record.state == .warm { throw EngineError.notGiven(run: record.id) }
        try runtime.ensureAvailable()
        let scenario = try catalog.scenario(record.scenario)
        guard scenario.instanceNames.contains(instance) else {
            throw EngineError.unknownInstance(instance, known: scenario.instanceNames)
        }
        let oneOff = command.isEmpty ? nil : command.joined(separator: " ")
        log(RunEvent(kind: "shell", detail: oneOff.map { "on \(instance): \($0)" } ?? "shell on \(instance)",
                     payload: .shell(instance: instance, command: oneOff)), to: record.id)
        return try runtime.shellCommand(project: record.project.name, instance: instance, command: command, tty: tty,
                                        environment: command.isEmpty ? ShellHistory.environment(path: ShellHistory.instancePath) : [:])
    }

    /// Imports the commands typed in the run's shells (instances' and the workspace's histories)
    /// into the journal, each once; returns them. Instances that are down are skipped.
    @discardableResult
    public func collectCommands(_ record: RunRecord) -> [RunEvent] {
        guard !record.isRemote else { return [] }
        // One `docker exec` per instance, all at once: stopping waits for the slowest only.
        let histories = concurrently((try? catalog.scenario(record.scenario))?.instanceNames ?? []) { instance -> [RunEvent]? in
            guard let output = try? runtime.exec(project: record.project.name, instance: instance,
                                                 command: ["sh", "-c", "cat \(ShellHistory.instancePath) 2>/dev/null || true"],
                                                 user: nil, detach: false, timeout: 15), output.succeeded else { return nil }
            return ShellHistory.parse(output.stdout, source: instance)
        }
        var events = histories.compactMap { $0 }.flatMap { $0 }
        if let text = try? String(contentsOf: ShellHistory.workspacePath(store.directory(of: record.id)), encoding: .utf8) {
            events += ShellHistory.parse(text, source: "workspace")
        }
        events.sort { $0.time < $1.time }
        if !events.isEmpty { journal?.recorded(events, run: record.id) }
        return events
    }

    // MARK: - Stopping

    /// Removes a run's containers, networks and volumes; its folder stays for the report.
    public func stop(_ record: RunRecord) throws {
        try runtime.ensureAvailable()
        if record.state.isActive { collectCommands(record) }
        try runtime.down(project: record.project)
        var updated = (try? store.load(record.id)) ?? record
        if updated.state != .stopped {
            try updated.move(to: .stopped, at: clock.now)
            updated.ownerPID = nil
            try save(updated)
            log(RunEvent(kind: "stopped", detail: "instances removed"), to: record.id)
        }
    }

    /// Stops every run of this data directory and removes what a crash left behind (`leftovers`).
    /// Runs of another data directory (another user, a test) whose workspace still exists are
    /// left alone.
    @discardableResult
    public func stopAll() throws -> [String] {
        try runtime.ensureAvailable()
        var stopped: [String] = []
        for record in store.all() where record.state.holdsInstances || record.state == .failed {
            try stop(record)
            stopped.append(record.id)
        }
        for project in leftovers() {
            try removeProject(project)
            let id = String(project.dropFirst(Self.projectPrefix.count))
            if !stopped.contains(id) { stopped.append(id) }
        }
        return stopped
    }

    /// Runs left behind by a crash: a boot whose process is gone, a failed run, or a firedrill
    /// project whose run and workspace are gone. Live runs are left alone.
    public func leftovers() -> [String] {
        let records = store.all()
        var found = records.filter { record in
            switch record.state {
            case .failed: return true
            case .booting: return record.ownerPID.map { kill($0, 0) != 0 && errno == ESRCH } ?? true
            default: return false
            }
        }.map(\.project.name)
        // A project of no run of this store is an orphan only when its workspace is gone too:
        // a workspace that still exists belongs to a run of another store (another user, a test).
        // A project without containers yet is another store's boot under way, unless it is old.
        let known = Set(records.map(\.project.name))
        let projects = (try? runtime.projects(prefix: Self.projectPrefix)) ?? []
        found += projects.filter { project in
            guard !known.contains(project) else { return false }
            guard let directory = runtime.workingDirectory(project: project), !directory.isEmpty else {
                return runtime.createdAt(project: project).map { clock.now.timeIntervalSince($0) > Self.bootGrace } ?? true
            }
            return !FileManager.default.fileExists(atPath: directory)
        }
        let existing = Set(projects)
        return found.filter { existing.contains($0) }
    }

    public func removeLeftovers() {
        for project in leftovers() {
            try? removeProject(project)
            let id = String(project.dropFirst(Self.projectPrefix.count))
            if var record = try? store.load(id), record.state != .stopped {
                try? record.move(to: .stopped, at: clock.now)
                try? save(record)
                log(RunEvent(kind: "stopped", detail: "left behind by a crash; removed"), to: id)
            }
        }
    }

    /// Removes a project known only by name: its workspace may be gone, so by its labels.
    private func removeProject(_ name: String) throws {
        try runtime.down(project: Project(name: name, directory: URL(fileURLWithPath: "/nonexistent"), composeFile: "none"))
    }

    static func shortID() -> String {
        String(format: "%06x", UInt32.random(in: 0...0xFF_FFFF))
    }
}

/// A small seeded generator, so `--seed` reproduces a pick on every platform.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

