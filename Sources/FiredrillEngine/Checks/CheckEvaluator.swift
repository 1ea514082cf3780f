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
    /// It failed on the server's refusal of its first request (a 4xx status): the server took
    /// nothing in, so asking again costs it nothing.
    public var refused: Bool = false

    public var passed: Bool { outcome == .passed }

    public init(outcome: CheckOutcome, detail: String, deferred: Bool = false, refused: Bool = false) {
        self.outcome = outcome
        self.detail = detail
        self.deferred = deferred
        self.refused = refused
    }

    public init(passed: Bool, detail: String, deferred: Bool = false, refused: Bool = false) {
        self.init(outcome: passed ? .passed : .failed, detail: detail, deferred: deferred, refused: refused)
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

    /// What the kinds reach the run through.
    public var context: CheckContext {
        CheckContext(runtime: runtime, http: http, project: project, ports: ports, workspace: workspace)
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
        case let .kind(check): return try check.evaluate(in: context)
        case let .all(checks):
            // A member that fails makes the whole fail; otherwise one that could not be made
            // leaves it unknown (an error), and one left for verify leaves it deferred.
            var details: [String] = []
            var unknown: CheckResult?
            for check in checks {
                let result = evaluate(check)
                switch result.outcome {
                case .passed: details.append(result.detail)
                case .failed where !result.deferred:
                    // Refused only if nothing before it was taken in.
                    var result = result
                    result.refused = result.refused && details.isEmpty && unknown == nil
                    return result
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

    // MARK: - What the kinds share

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

    /// Why a tool's output is no answer: it timed out, or exited with a status that is not one of
    /// its answers. Nil when it answered.
    static func unanswered(_ output: ProcessOutput, answers: Set<Int32>, what: String) -> String? {
        if output.timedOut { return "\(what) timed out" }
        guard !answers.contains(output.status) else { return nil }
        return "\(what) exited \(output.status) (\(ComposeRuntime.firstLine(output.stderr + output.stdout)))"
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
