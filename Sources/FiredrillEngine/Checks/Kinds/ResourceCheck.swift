import Foundation

/// A resource figure of one instance against a threshold.
public struct ResourceCheck: Sendable, Equatable {
    public var instance: String
    /// Memory use as a percentage of the instance's limit must stay under this.
    public var memoryBelow: Double?
    /// CPU use as a percentage of one core must stay under this.
    public var cpuBelow: Double?
    /// Free space on the filesystem holding `diskPath` must stay above this percentage.
    public var diskPath: String?
    public var diskFreeAbove: Double?
}

extension ResourceCheck: ParsedCheckKind {
    static let key = "resource"

    public var instances: [String] { [instance] }

    static func parse(_ value: YAMLReader.Value) -> ResourceCheck? {
        guard let f = value.mapping(["instance", "memory_below", "cpu_below", "disk"]),
              let instance = f.required("instance")?.string() else { return nil }
        var check = ResourceCheck(instance: instance)
        check.memoryBelow = percent(f["memory_below"])
        check.cpuBelow = percent(f["cpu_below"])
        if let disk = f["disk"]?.mapping(["path", "free_above"]) {
            check.diskPath = disk.required("path")?.string()
            check.diskFreeAbove = percent(disk.required("free_above"))
        }
        if check.memoryBelow == nil, check.cpuBelow == nil, check.diskPath == nil {
            value.error("a resource check needs memory_below, cpu_below or disk")
        }
        return check
    }

    public func evaluate(in context: CheckContext) throws -> CheckResult {
        var details: [String] = []
        if memoryBelow != nil || cpuBelow != nil {
            let stats = try context.runtime.stats(project: context.project, instance: instance)
            if let bound = memoryBelow {
                let text = String(format: "memory %.0f%% of the limit", stats.memoryPercent)
                if stats.memoryPercent >= bound { return CheckResult(passed: false, detail: "\(instance): \(text), over \(Int(bound))%") }
                details.append(text)
            }
            if let bound = cpuBelow {
                let text = String(format: "CPU %.0f%%", stats.cpuPercent)
                if stats.cpuPercent >= bound { return CheckResult(passed: false, detail: "\(instance): \(text), over \(Int(bound))%") }
                details.append(text)
            }
        }
        if let path = diskPath, let bound = diskFreeAbove {
            let output = try context.exec(instance, ["df", "-P", path], timeout: 30)
            guard output.succeeded, let used = Self.dfUsedPercent(output.stdout) else {
                return .error("\(instance): cannot read free space of \(path)\(output.timedOut ? " (df timed out)" : "")")
            }
            let free = 100 - used
            let text = "\(path) \(Int(free))% free"
            if free <= bound { return CheckResult(passed: false, detail: "\(instance): \(text), need over \(Int(bound))%") }
            details.append(text)
        }
        return CheckResult(passed: true, detail: "\(instance): " + details.joined(separator: ", "))
    }

    /// The use percentage from `df -P` output.
    static func dfUsedPercent(_ text: String) -> Double? {
        let lines = text.split(separator: "\n")
        guard lines.count >= 2 else { return nil }
        let columns = lines[lines.count - 1].split(separator: " ", omittingEmptySubsequences: true)
        guard columns.count >= 5 else { return nil }
        return Double(columns[4].replacingOccurrences(of: "%", with: ""))
    }

    private static func percent(_ value: YAMLReader.Value?) -> Double? {
        guard let value, let text = value.string() else { return nil }
        guard let percent = Units.percent(text) else {
            value.error("expected a percentage such as 80%")
            return nil
        }
        return percent
    }
}

extension Check {
    public static func resource(_ check: ResourceCheck) -> Check { .kind(check) }
}
