import Foundation

/// A process inside an instance, by exact name or by a pattern of its command line.
public struct ProcessCheck: Sendable, Equatable {
    public var instance: String
    public var name: String?
    public var pattern: String?
    public var user: String?
    public var present: Bool = true
}

extension ProcessCheck: ParsedCheckKind {
    static let key = "process"

    public var instances: [String] { [instance] }

    static func parse(_ value: YAMLReader.Value) -> ProcessCheck? {
        guard let f = value.mapping(["instance", "name", "pattern", "user", "present"]),
              let instance = f.required("instance")?.string() else { return nil }
        var check = ProcessCheck(instance: instance)
        check.name = f["name"]?.string()
        check.pattern = f["pattern"]?.string()
        if (check.name == nil) == (check.pattern == nil) { value.error("a process check needs exactly one of 'name' or 'pattern'") }
        check.user = f["user"]?.string()
        check.present = f["present"]?.bool() ?? true
        return check
    }

    /// Zombies (state Z) are not counted: a killed process lingers as one until it is reaped.
    public func evaluate(in context: CheckContext) throws -> CheckResult {
        var command = ["pgrep", "-r", "D,R,S,T,t,I"]
        if let user { command += ["-u", user] }
        command += name.map { ["-x", $0] } ?? ["-f", pattern ?? ""]
        let output = try context.exec(instance, command, timeout: 30)
        let what = name ?? pattern ?? ""
        // pgrep: 0 found, 1 none; anything else (a bad pattern, a timeout) is no answer.
        if let problem = CheckEvaluator.unanswered(output, answers: [0, 1], what: "pgrep") {
            return .error("process \(what) on \(instance): \(problem)")
        }
        let found = output.status == 0
        let detail = "process \(what) on \(instance): \(found ? "running" : "not running")"
        return CheckResult(passed: found == present, detail: detail)
    }
}

extension Check {
    public static func process(_ check: ProcessCheck) -> Check { .kind(check) }
}
