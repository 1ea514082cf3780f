import Foundation

/// What a check found: it held, it did not, or it could not be made (an instance down, docker
/// failing to run the command, a timeout), in which case nothing is known about the system and
/// the check says so rather than guessing either way.
public enum CheckOutcome: String, Sendable, Codable {
    case passed
    case failed
    case error
}

/// The result of one check: its outcome, and what was seen, in words a trainee can read.
public struct CheckResult: Sendable, Equatable, Codable {
    public var outcome: CheckOutcome
    public var detail: String
    /// The check disrupts the run and was left for an explicit verify.
    public var deferred: Bool = false

    public var passed: Bool { outcome == .passed }

    public init(outcome: CheckOutcome, detail: String, deferred: Bool = false) {
        self.outcome = outcome
        self.detail = detail
        self.deferred = deferred
    }

    public init(passed: Bool, detail: String, deferred: Bool = false) {
        self.init(outcome: passed ? .passed : .failed, detail: detail, deferred: deferred)
    }

    /// A check that could not be made; its detail starts with "error: ".
    public static func error(_ reason: String) -> CheckResult {
        CheckResult(outcome: .error, detail: "error: \(reason)")
    }
}

/// Sends HTTP requests for checks. The real one uses curl; tests may use a fake.
public protocol HTTPClient: Sendable {
    /// Throws when the request cannot be sent at all (a malformed URL, no client); a request
    /// sent that gets no answer (refused, timed out) is a response with status 0.
    func send(_ request: HTTPRequest) throws -> HTTPResponse
}

public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: String?
    public var upload: Int?
    public var timeout: Double
}

public struct HTTPResponse: Sendable, Equatable {
    /// 0 when no response came (connection refused, timeout).
    public var status: Int
    public var headers: [String: String]
    public var body: String
    public var seconds: Double
    public var error: String?

    public init(status: Int, headers: [String: String], body: String, seconds: Double, error: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.seconds = seconds
        self.error = error
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Evaluates checks against one run.
public struct CheckEvaluator: Sendable {
    public var runtime: any Runtime
    public var http: any HTTPClient
    public var project: String
    public var ports: [String: Int]
    public var workspace: URL
    /// Disruptive checks (`after`) run only when this is set, on an explicit verify.
    public var allowDisruption: Bool
    /// How long the check after a disruption may take to come true (an instance restarting),
    /// unless the check says less with `within`.
    public var settleTime: Double = 45
    /// Times the settling and the waits of disruptions.
    public var clock: any Clock = SystemClock()

    public init(runtime: any Runtime, http: any HTTPClient, project: String, ports: [String: Int], workspace: URL, allowDisruption: Bool) {
        self.runtime = runtime
        self.http = http
        self.project = project
        self.ports = ports
        self.workspace = workspace
        self.allowDisruption = allowDisruption
    }

    public func evaluate(_ check: Check) -> CheckResult {
        do {
            return try evaluateThrowing(check)
        } catch {
            return .error("\(error)")
        }
    }

    private func evaluateThrowing(_ check: Check) throws -> CheckResult {
        switch check {
        case let .http(check): return try http(check)
        case let .command(check): return try command(check)
        case let .sql(check): return try sql(check)
        case let .process(check): return try process(check)
        case let .file(check): return try file(check)
        case let .resource(check): return try resource(check)
        case let .all(checks):
            // A member that fails makes the whole fail; otherwise one that could not be made
            // leaves it unknown (an error), and one left for verify leaves it deferred.
            var details: [String] = []
            var unknown: CheckResult?
            for check in checks {
                let result = evaluate(check)
                switch result.outcome {
                case .passed: details.append(result.detail)
                case .failed where !result.deferred: return result
                case .error: if unknown?.outcome != .error { unknown = result }
                case .failed: if unknown == nil { unknown = result }
                }
            }
            return unknown ?? CheckResult(passed: true, detail: details.joined(separator: "; "))
        case let .any(checks):
            // One member that holds is enough; otherwise one left for verify may still hold, and
            // one that could not be made leaves the whole unknown (an error).
            var details: [String] = []
            var deferred = false, unknown = false
            for check in checks {
                let result = evaluate(check)
                if result.passed { return result }
                deferred = deferred || result.deferred
                unknown = unknown || result.outcome == .error
                details.append(result.detail)
            }
            let detail = "none held: " + details.joined(separator: "; ")
            if deferred { return CheckResult(passed: false, detail: detail, deferred: true) }
            return CheckResult(outcome: unknown ? .error : .failed, detail: detail)
        case let .not(inner):
            // A check that could not be made says nothing either way: not(error) is an error.
            let result = evaluate(inner)
            if result.deferred || result.outcome == .error { return result }
            return CheckResult(passed: !result.passed, detail: "not expected: \(result.detail)")
        case let .after(disruptions, then, within, hold):
            let prefix = "after \(disruptions.map(\.summary).joined(separator: ", ")): "
            guard allowDisruption else {
                return CheckResult(passed: false, detail: "checked on verify (\(disruptions.map(\.summary).joined(separator: ", ")))", deferred: true)
            }
            for disruption in disruptions {
                // `then` on a system the disruption did not disturb proves nothing.
                do { try disrupt(disruption) } catch {
                    return .error(prefix + "the disruption `\(disruption.summary)` failed: \(error)")
                }
            }
            let deadline = clock.now.addingTimeInterval(within ?? settleTime)
            var result = evaluate(then)
            while !result.passed, clock.now < deadline {
                clock.sleep(1)
                result = evaluate(then)
            }
            guard result.passed, let hold else { return CheckResult(outcome: result.outcome, detail: prefix + result.detail) }
            return holding(then, for: hold, first: result, prefix: prefix)
        }
    }

    /// How often `then` is sampled while it must hold.
    static let holdInterval = 0.5

    /// Samples `then`, which has just held, for `hold` seconds more: one sample that fails (or is
    /// an error) ends it, saying at which second of the hold and why.
    private func holding(_ then: Check, for hold: Double, first: CheckResult, prefix: String) -> CheckResult {
        let start = clock.now
        func seconds(_ value: Double) -> String { String(format: value == value.rounded() ? "%.0fs" : "%.1fs", value) }
        while clock.now.timeIntervalSince(start) < hold {
            clock.sleep(Self.holdInterval)
            let sample = evaluate(then)
            if !sample.passed {
                let when = "failed \(seconds(clock.now.timeIntervalSince(start))) into the \(seconds(hold)) hold: "
                guard sample.outcome == .error else { return CheckResult(passed: false, detail: prefix + when + sample.detail) }
                return .error(prefix + when + sample.detail.replacingOccurrences(of: "error: ", with: "", options: .anchored))
            }
        }
        return CheckResult(passed: true, detail: prefix + first.detail + " (held \(seconds(hold)))")
    }

    /// Throws when the disruption could not be made: the runtime failed, or its command (rm, a
    /// `run`) exited non-zero or timed out.
    private func disrupt(_ disruption: Disruption) throws {
        func ran(_ output: ProcessOutput, _ what: String) throws {
            if output.timedOut { throw CheckError("\(what) timed out") }
            if output.status != 0 {
                let line = ComposeRuntime.firstLine(output.stderr.isEmpty ? output.stdout : output.stderr)
                throw CheckError("\(what) exited \(output.status) (\(line))")
            }
        }
        switch disruption {
        case let .restart(instance):
            try runtime.restart(project: project, instance: instance)
        case let .remove(instance, path):
            try ran(runtime.exec(project: project, instance: instance, command: ["rm", "-rf", "--", path], user: nil, detach: false, timeout: 60), "rm")
        case let .wait(seconds):
            clock.sleep(seconds)
        case let .run(instance, command, user):
            try ran(runtime.exec(project: project, instance: instance, command: ["sh", "-c", command], user: user, detach: false, timeout: 120), "the command")
        }
    }

    // MARK: - Kinds

    private func http(_ check: HTTPCheck) throws -> CheckResult {
        let url: String
        if let name = check.port {
            guard let port = ports[name] else { return .error("the run has no port '\(name)'") }
            url = "http://127.0.0.1:\(port)\(check.path)"
        } else {
            url = check.url ?? ""
        }
        let request = HTTPRequest(method: check.method, url: url, headers: check.headers, body: check.body,
                                  upload: check.upload, timeout: check.timeout)
        var responses: [HTTPResponse] = []
        for _ in 0..<check.samples {
            let response: HTTPResponse
            if let instance = check.instance {
                response = try InstanceHTTP(runtime: runtime, project: project, instance: instance).send(request)
            } else {
                response = try http.send(request)
            }
            responses.append(response)
            if let problem = Self.problem(with: response, check: check) {
                return CheckResult(passed: false, detail: "\(check.method) \(check.path): \(problem)")
            }
        }
        let times = responses.map(\.seconds).sorted()
        let median = times[times.count / 2]
        let timing = String(format: "%.0f ms", median * 1000)
        if let bound = check.latency, median > bound {
            return CheckResult(passed: false, detail: "\(check.method) \(check.path): \(responses[0].status) in \(timing), over the \(Int(bound * 1000)) ms bound")
        }
        return CheckResult(passed: true, detail: "\(check.method) \(check.path): \(responses[0].status) in \(timing)")
    }

    /// What is wrong with a response, or nil when it is what the check expects.
    static func problem(with response: HTTPResponse, check: HTTPCheck) -> String? {
        if response.status == 0 { return "no response (\(response.error ?? "connection failed"))" }
        if !check.status.contains(response.status) {
            return "status \(response.status), expected \(check.status.map(String.init).joined(separator: " or "))"
        }
        if let pattern = check.bodyMatches, !matches(pattern, response.body) { return "body does not match /\(pattern)/" }
        if let pattern = check.bodyExcludes, matches(pattern, response.body) { return "body matches /\(pattern)/" }
        for (name, pattern) in check.responseHeaders.sorted(by: { $0.key < $1.key }) {
            guard let value = response.header(name) else { return "no \(name) header" }
            if !matches(pattern, value) { return "\(name): \(value) does not match /\(pattern)/" }
        }
        for name in check.absentHeaders {
            if let value = response.header(name) { return "unexpected \(name): \(value)" }
        }
        return nil
    }

    private func exec(_ instance: String, _ script: String, user: String? = nil, timeout: Double = 30) throws -> ProcessOutput {
        try runtime.exec(project: project, instance: instance, command: ["sh", "-c", script], user: user, detach: false, timeout: timeout)
    }

    private func command(_ check: CommandCheck) throws -> CheckResult {
        let output = try exec(check.instance, check.run, user: check.user, timeout: check.timeout)
        return Self.judge(output, exit: check.exit, output: check.output, excludes: check.outputExcludes, what: "`\(Self.headline(check.run))` on \(check.instance)")
    }

    /// How a command is named in a check's detail: its first line, and an ellipsis when a script
    /// follows (a multi-line check begins with a comment that says what it proves).
    static func headline(_ script: String) -> String {
        let lines = script.split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.first else { return "" }
        return lines.count > 1 ? first + " …" : first
    }

    /// Judges a command's output against an expected exit status and patterns.
    /// A command that timed out was not judged: an error, not a status.
    static func judge(_ output: ProcessOutput, exit: Int, output pattern: String?, excludes: String?, what: String) -> CheckResult {
        if output.timedOut { return .error("\(what): timed out") }
        let text = output.stdout + output.stderr
        let summary = text.split(separator: "\n").last.map { String($0.prefix(160)) } ?? ""
        if Int(output.status) != exit {
            return CheckResult(passed: false, detail: "\(what): exit \(output.status), expected \(exit)\(summary.isEmpty ? "" : " (\(summary))")")
        }
        let seen = summary.isEmpty ? " (no output)" : " (last line: \(summary))"
        if let pattern, !matches(pattern, text) { return CheckResult(passed: false, detail: "\(what): output does not match /\(pattern)/\(seen)") }
        if let excludes, matches(excludes, text) { return CheckResult(passed: false, detail: "\(what): output matches /\(excludes)/\(seen)") }
        return CheckResult(passed: true, detail: "\(what): ok\(summary.isEmpty ? "" : " (\(summary))")")
    }

    private func sql(_ check: SQLCheck) throws -> CheckResult {
        let output = try runtime.exec(project: project, instance: check.instance, command: Self.client(for: check),
                                      user: check.engine == .postgresql ? "postgres" : nil, detach: false, timeout: check.timeout)
        // The client exits non-zero when the query got no answer (no server, a syntax error, no
        // such table): the check could not be made.
        if !output.timedOut, output.status != 0 {
            return .error("SQL on \(check.instance): \(check.engine.client) exited \(output.status) (\(ComposeRuntime.firstLine(output.stderr + output.stdout)))")
        }
        return Self.judge(output, exit: 0, output: check.output, excludes: check.outputExcludes, what: "SQL on \(check.instance)")
    }

    /// The client's command line: tab-separated rows, no headers, no user settings read; psql
    /// stops at the first error, so a failing statement is a non-zero exit.
    static func client(for check: SQLCheck) -> [String] {
        switch check.engine {
        case .mariadb:
            return ["mysql", "--batch", "--skip-column-names", "-e", check.query] + (check.database.map { [$0] } ?? [])
        case .postgresql:
            return ["psql", "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", check.query]
                + (check.database.map { ["-d", $0] } ?? [])
        }
    }

    /// Zombies (state Z) are not counted: a killed process lingers as one until it is reaped.
    private func process(_ check: ProcessCheck) throws -> CheckResult {
        var command = ["pgrep", "-r", "D,R,S,T,t,I"]
        if let user = check.user { command += ["-u", user] }
        command += check.name.map { ["-x", $0] } ?? ["-f", check.pattern ?? ""]
        let output = try runtime.exec(project: project, instance: check.instance, command: command, user: nil, detach: false, timeout: 30)
        let what = check.name ?? check.pattern ?? ""
        // pgrep: 0 found, 1 none; anything else (a bad pattern, a timeout) is no answer.
        if let problem = Self.unanswered(output, answers: [0, 1], what: "pgrep") {
            return .error("process \(what) on \(check.instance): \(problem)")
        }
        let found = output.status == 0
        let detail = "process \(what) on \(check.instance): \(found ? "running" : "not running")"
        return CheckResult(passed: found == check.present, detail: detail)
    }

    private func file(_ check: FileCheck) throws -> CheckResult {
        guard let instance = check.instance else { return workspaceFile(check) }
        let path = check.path
        let stat = try runtime.exec(project: project, instance: instance, command: ["stat", "-c", "%U:%G %a", path], user: nil, detach: false, timeout: 30)
        // Absent only when stat says so; any other failure of stat is no answer.
        let missing = stat.status == 1 && (stat.stderr.contains("No such file or directory") || stat.stderr.contains("Not a directory"))
        if !missing, let problem = Self.unanswered(stat, answers: [0], what: "stat") {
            return .error("\(path) on \(instance): \(problem)")
        }
        let exists = stat.status == 0
        if exists != check.exists {
            return CheckResult(passed: false, detail: "\(path) on \(instance): \(exists ? "exists" : "does not exist")")
        }
        guard exists else { return CheckResult(passed: true, detail: "\(path) on \(instance): absent") }
        let parts = stat.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        let owner = parts.first ?? "", mode = parts.count > 1 ? parts[1] : ""
        if let expected = check.owner {
            let actual = expected.contains(":") ? owner : String(owner.split(separator: ":").first ?? "")
            if actual != expected { return CheckResult(passed: false, detail: "\(path) on \(instance): owner \(owner), expected \(expected)") }
        }
        if let expected = check.mode, Int(expected, radix: 8) != Int(mode, radix: 8) {
            return CheckResult(passed: false, detail: "\(path) on \(instance): mode \(mode), expected \(expected)")
        }
        if let expected = check.worldWritable {
            let writable = ((Int(mode, radix: 8) ?? 0) & 0o002) != 0
            if writable != expected {
                return CheckResult(passed: false, detail: "\(path) on \(instance): \(writable ? "writable by everyone" : "not writable by everyone") (mode \(mode))")
            }
        }
        if let user = check.writableBy {
            let test = try runtime.exec(project: project, instance: instance, command: ["test", "-w", path], user: user, detach: false, timeout: 30)
            if let problem = Self.unanswered(test, answers: [0, 1], what: "test -w") { return .error("\(path) on \(instance): \(problem)") }
            if test.status != 0 { return CheckResult(passed: false, detail: "\(path) on \(instance): not writable by \(user)") }
        }
        if let pattern = check.contains {
            let grep = try runtime.exec(project: project, instance: instance, command: ["grep", "-Eq", "--", pattern, path], user: nil, detach: false, timeout: 30)
            // grep: 0 a line matches, 1 none; 2 is an unreadable file or a bad pattern.
            if let problem = Self.unanswered(grep, answers: [0, 1], what: "grep") { return .error("\(path) on \(instance): \(problem)") }
            if grep.status != 0 { return CheckResult(passed: false, detail: "\(path) on \(instance): no line matches /\(pattern)/") }
        }
        return CheckResult(passed: true, detail: "\(path) on \(instance): \(owner) \(mode)")
    }

    private func workspaceFile(_ check: FileCheck) -> CheckResult {
        let matchesFound = WorkspaceGlob.files(matching: check.path, in: workspace)
        if matchesFound.isEmpty {
            return CheckResult(passed: !check.exists, detail: "no file \(check.path) in the workspace")
        }
        if !check.exists { return CheckResult(passed: false, detail: "\(matchesFound[0]) exists in the workspace") }
        guard let pattern = check.contains else { return CheckResult(passed: true, detail: "\(matchesFound[0]) exists") }
        for relative in matchesFound {
            let text = (try? String(contentsOf: workspace.appendingPathComponent(relative), encoding: .utf8)) ?? ""
            if Self.matches(pattern, text) { return CheckResult(passed: true, detail: "\(relative) matches /\(pattern)/") }
        }
        return CheckResult(passed: false, detail: "no \(check.path) in the workspace matches /\(pattern)/")
    }

    private func resource(_ check: ResourceCheck) throws -> CheckResult {
        var details: [String] = []
        if check.memoryBelow != nil || check.cpuBelow != nil {
            let stats = try runtime.stats(project: project, instance: check.instance)
            if let bound = check.memoryBelow {
                let text = String(format: "memory %.0f%% of the limit", stats.memoryPercent)
                if stats.memoryPercent >= bound { return CheckResult(passed: false, detail: "\(check.instance): \(text), over \(Int(bound))%") }
                details.append(text)
            }
            if let bound = check.cpuBelow {
                let text = String(format: "CPU %.0f%%", stats.cpuPercent)
                if stats.cpuPercent >= bound { return CheckResult(passed: false, detail: "\(check.instance): \(text), over \(Int(bound))%") }
                details.append(text)
            }
        }
        if let path = check.diskPath, let bound = check.diskFreeAbove {
            let output = try runtime.exec(project: project, instance: check.instance, command: ["df", "-P", path], user: nil, detach: false, timeout: 30)
            guard output.succeeded, let used = Self.dfUsedPercent(output.stdout) else {
                return .error("\(check.instance): cannot read free space of \(path)\(output.timedOut ? " (df timed out)" : "")")
            }
            let free = 100 - used
            let text = "\(path) \(Int(free))% free"
            if free <= bound { return CheckResult(passed: false, detail: "\(check.instance): \(text), need over \(Int(bound))%") }
            details.append(text)
        }
        return CheckResult(passed: true, detail: "\(check.instance): " + details.joined(separator: ", "))
    }

    /// Why a tool's output is no answer: it timed out, or exited with a status that is not one of
    /// its answers. Nil when it answered.
    static func unanswered(_ output: ProcessOutput, answers: Set<Int32>, what: String) -> String? {
        if output.timedOut { return "\(what) timed out" }
        guard !answers.contains(output.status) else { return nil }
        return "\(what) exited \(output.status) (\(ComposeRuntime.firstLine(output.stderr + output.stdout)))"
    }

    /// The use percentage from `df -P` output.
    static func dfUsedPercent(_ text: String) -> Double? {
        let lines = text.split(separator: "\n")
        guard lines.count >= 2 else { return nil }
        let columns = lines[lines.count - 1].split(separator: " ", omittingEmptySubsequences: true)
        guard columns.count >= 5 else { return nil }
        return Double(columns[4].replacingOccurrences(of: "%", with: ""))
    }

    static func matches(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

/// Why a check could not be made, where no engine error says it.
struct CheckError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Relative paths of workspace files matching a glob (`*` within a segment, `**` across them).
enum WorkspaceGlob {
    static func files(matching pattern: String, in root: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var found: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if fnmatch(pattern, relative, FNM_PATHNAME) == 0 || (pattern.contains("**") && fnmatch(pattern.replacingOccurrences(of: "**/", with: "*"), relative, 0) == 0) {
                found.append(relative)
            }
        }
        return found.sorted()
    }
}
