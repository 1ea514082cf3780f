import Foundation

/// A shell command run inside an instance (`sh -c`).
public struct CommandCheck: Sendable, Equatable {
    public var instance: String
    public var run: String
    public var user: String?
    public var exit: Int = 0
    public var output: String?
    public var outputExcludes: String?
    public var timeout: Double = 30
}

extension CommandCheck: ParsedCheckKind {
    static let key = "command"

    public var instances: [String] { [instance] }

    static func parse(_ value: YAMLReader.Value) -> CommandCheck? {
        guard let f = value.mapping(["instance", "run", "user", "exit", "output", "output_excludes", "timeout"]),
              let instance = f.required("instance")?.string(), let run = f.required("run")?.string() else { return nil }
        var check = CommandCheck(instance: instance, run: run)
        check.user = f["user"]?.string()
        check.exit = f["exit"]?.int(in: 0...255) ?? 0
        check.output = f["output"]?.regex()
        check.outputExcludes = f["output_excludes"]?.regex()
        check.timeout = f["timeout"]?.duration() ?? 30
        return check
    }

    public func evaluate(in context: CheckContext) throws -> CheckResult {
        let output = try context.exec(instance, ["sh", "-c", run], user: user, timeout: timeout)
        return CheckEvaluator.judge(output, exit: exit, output: self.output, excludes: outputExcludes, what: "`\(CheckEvaluator.headline(run))` on \(instance)")
    }
}

extension Check {
    public static func command(_ check: CommandCheck) -> Check { .kind(check) }
}
