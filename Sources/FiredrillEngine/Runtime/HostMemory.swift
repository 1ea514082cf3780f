import Foundation
import Yams

/// What warming a run asks of the host's memory. A paused run keeps what its instances hold, and
/// may grow to their limits once given: warm only while the host can spare those limits and a
/// margin besides.
public enum HostMemory {
    /// Kept free besides the warm run's limits, for the run being played and the rest.
    public static let margin: Int64 = 1 << 30

    /// `MemAvailable` of `/proc/meminfo` (or of the file given), in bytes.
    public static func available(meminfo: String = "/proc/meminfo") -> Int64? {
        guard let text = try? String(contentsOfFile: meminfo, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kilobytes = Int64(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }

    /// The sum of the services' `mem_limit`s in a compose file's text; nil when a service has none.
    public static func limits(composeText text: String) -> Int64? {
        guard let root = try? Yams.compose(yaml: text), let services = root["services"]?.mapping else { return nil }
        var total: Int64 = 0
        for (_, service) in services {
            guard let value = service["mem_limit"]?.string, let bytes = bytes(value) else { return nil }
            total += bytes
        }
        return total
    }

    /// "512m", "1g", "128k", "1048576" in bytes (compose's units, case-insensitive, an optional "b").
    static func bytes(_ text: String) -> Int64? {
        var digits = text.lowercased().trimmingCharacters(in: .whitespaces)
        if digits.hasSuffix("b") { digits.removeLast() }
        let units: [Character: Int64] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        var unit: Int64 = 1
        if let last = digits.last, let scale = units[last] {
            unit = scale
            digits.removeLast()
        }
        return Int64(digits).map { $0 * unit }
    }
}

extension Engine {
    /// Fails when warming a run of the level would leave the host short of memory: the
    /// scenario's memory limits and `HostMemory.margin` must be available.
    public func ensureMemoryToWarm(levelID: String, meminfo: String = "/proc/meminfo") throws {
        let scenario = try catalog.scenario(catalog.level(levelID).scenario)
        guard let text = try? String(contentsOf: scenario.composeFile, encoding: .utf8),
              let limits = HostMemory.limits(composeText: text), let available = HostMemory.available(meminfo: meminfo) else { return }
        let needed = limits + HostMemory.margin
        if available < needed { throw EngineError.notEnoughMemory(needed: needed, available: available) }
    }
}
