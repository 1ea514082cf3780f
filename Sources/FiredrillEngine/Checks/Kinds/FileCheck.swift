import Foundation

/// A file or directory, inside an instance or (without `instance`) in the run's workspace, where
/// `path` may be a glob.
public struct FileCheck: Sendable, Equatable {
    public var instance: String?
    public var path: String
    public var exists: Bool = true
    public var owner: String?
    public var mode: String?
    public var worldWritable: Bool?
    public var writableBy: String?
    public var contains: String?
}

extension FileCheck: ParsedCheckKind {
    static let key = "file"

    public var instances: [String] { instance.map { [$0] } ?? [] }

    static func parse(_ value: YAMLReader.Value) -> FileCheck? {
        guard let f = value.mapping(["instance", "path", "exists", "owner", "mode", "world_writable", "writable_by", "contains"]),
              let path = f.required("path")?.string() else { return nil }
        var check = FileCheck(path: path)
        check.instance = f["instance"]?.string()
        if check.instance == nil, !LevelLoader.isRelativeInside(path) {
            f["path"]?.error("without 'instance' the path is in the run's workspace: make it relative, without '..'")
        }
        check.exists = f["exists"]?.bool() ?? true
        check.owner = f["owner"]?.string()
        if let mode = f["mode"]?.string() {
            if Int(mode, radix: 8) == nil || mode.count > 4 { f["mode"]?.error("expected an octal mode such as 755") }
            check.mode = mode
        }
        check.worldWritable = f["world_writable"]?.bool()
        check.writableBy = f["writable_by"]?.string()
        check.contains = f["contains"]?.regex()
        if check.instance == nil, check.owner != nil || check.mode != nil || check.worldWritable != nil || check.writableBy != nil {
            value.error("owner, mode and write access are checked inside an instance: add 'instance'")
        }
        return check
    }

    public func evaluate(in context: CheckContext) throws -> CheckResult {
        guard let instance else { return workspaceFile(in: context) }
        let stat = try context.exec(instance, ["stat", "-c", "%U:%G %a", path], timeout: 30)
        // Absent only when stat says so; any other failure of stat is no answer.
        let missing = stat.status == 1 && (stat.stderr.contains("No such file or directory") || stat.stderr.contains("Not a directory"))
        if !missing, let problem = CheckEvaluator.unanswered(stat, answers: [0], what: "stat") {
            return .error("\(path) on \(instance): \(problem)")
        }
        let exists = stat.status == 0
        if exists != self.exists {
            return CheckResult(passed: false, detail: "\(path) on \(instance): \(exists ? "exists" : "does not exist")")
        }
        guard exists else { return CheckResult(passed: true, detail: "\(path) on \(instance): absent") }
        let parts = stat.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        let owner = parts.first ?? "", mode = parts.count > 1 ? parts[1] : ""
        if let expected = self.owner {
            let actual = expected.contains(":") ? owner : String(owner.split(separator: ":").first ?? "")
            if actual != expected { return CheckResult(passed: false, detail: "\(path) on \(instance): owner \(owner), expected \(expected)") }
        }
        if let expected = self.mode, Int(expected, radix: 8) != Int(mode, radix: 8) {
            return CheckResult(passed: false, detail: "\(path) on \(instance): mode \(mode), expected \(expected)")
        }
        if let expected = worldWritable {
            let writable = ((Int(mode, radix: 8) ?? 0) & 0o002) != 0
            if writable != expected {
                return CheckResult(passed: false, detail: "\(path) on \(instance): \(writable ? "writable by everyone" : "not writable by everyone") (mode \(mode))")
            }
        }
        if let user = writableBy {
            let test = try context.exec(instance, ["test", "-w", path], user: user, timeout: 30)
            if let problem = CheckEvaluator.unanswered(test, answers: [0, 1], what: "test -w") { return .error("\(path) on \(instance): \(problem)") }
            if test.status != 0 { return CheckResult(passed: false, detail: "\(path) on \(instance): not writable by \(user)") }
        }
        if let pattern = contains {
            let grep = try context.exec(instance, ["grep", "-Eq", "--", pattern, path], timeout: 30)
            // grep: 0 a line matches, 1 none; 2 is an unreadable file or a bad pattern.
            if let problem = CheckEvaluator.unanswered(grep, answers: [0, 1], what: "grep") { return .error("\(path) on \(instance): \(problem)") }
            if grep.status != 0 { return CheckResult(passed: false, detail: "\(path) on \(instance): no line matches /\(pattern)/") }
        }
        return CheckResult(passed: true, detail: "\(path) on \(instance): \(owner) \(mode)")
    }

    private func workspaceFile(in context: CheckContext) -> CheckResult {
        let matchesFound = WorkspaceGlob.files(matching: path, in: context.workspace)
        if matchesFound.isEmpty {
            return CheckResult(passed: !exists, detail: "no file \(path) in the workspace")
        }
        if !exists { return CheckResult(passed: false, detail: "\(matchesFound[0]) exists in the workspace") }
        guard let pattern = contains else { return CheckResult(passed: true, detail: "\(matchesFound[0]) exists") }
        for relative in matchesFound {
            let text = (try? String(contentsOf: context.workspace.appendingPathComponent(relative), encoding: .utf8)) ?? ""
            if CheckEvaluator.matches(pattern, text) { return CheckResult(passed: true, detail: "\(relative) matches /\(pattern)/") }
        }
        return CheckResult(passed: false, detail: "no \(path) in the workspace matches /\(pattern)/")
    }
}

extension Check {
    public static func file(_ check: FileCheck) -> Check { .kind(check) }
}
