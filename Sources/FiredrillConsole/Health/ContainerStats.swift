import Foundation

/// One frame of Docker's container stats stream (`GET /containers/ID/stats?stream=true`), the
/// raw counters the Engine API gives once a second.
public struct ContainerStatsFrame: Sendable, Equatable {
    public var read: Date?
    public var cpuTotal: UInt64
    public var systemCPU: UInt64
    public var previousCPUTotal: UInt64
    public var previousSystemCPU: UInt64
    public var onlineCPUs: Int
    /// Memory in use less the page cache, as `docker stats` shows it.
    public var memoryUsed: UInt64
    public var memoryLimit: UInt64
    public var pids: Int
    public var pidsLimit: Int?
    public var networkReceived: UInt64
    public var networkSent: UInt64
    public var blockRead: UInt64
    public var blockWritten: UInt64

    /// CPU use as `docker stats` computes it: share of the host's CPU time since the previous
    /// frame, times the CPUs online (100% = one core).
    public var cpuPercent: Double? {
        guard cpuTotal >= previousCPUTotal, systemCPU > previousSystemCPU, previousSystemCPU > 0 else { return nil }
        return Double(cpuTotal - previousCPUTotal) / Double(systemCPU - previousSystemCPU) * Double(max(1, onlineCPUs)) * 100
    }

    public var memoryPercent: Double? {
        memoryLimit > 0 ? Double(memoryUsed) / Double(memoryLimit) * 100 : nil
    }

    private struct Raw: Decodable {
        struct CPU: Decodable {
            struct Usage: Decodable {
                var total_usage: UInt64?
                var percpu_usage: [UInt64]?
            }
            var cpu_usage: Usage?
            var system_cpu_usage: UInt64?
            var online_cpus: Int?
        }
        struct Memory: Decodable {
            var usage: UInt64?
            var limit: UInt64?
            var stats: [String: UInt64]?
        }
        struct Pids: Decodable {
            var current: Int?
            var limit: UInt64?
        }
        struct Network: Decodable {
            var rx_bytes: UInt64?
            var tx_bytes: UInt64?
        }
        struct Blkio: Decodable {
            struct Entry: Decodable {
                var op: String?
                var value: UInt64?
            }
            var io_service_bytes_recursive: [Entry]?
        }
        var read: String?
        var cpu_stats: CPU?
        var precpu_stats: CPU?
        var memory_stats: Memory?
        var pids_stats: Pids?
        var networks: [String: Network]?
        var blkio_stats: Blkio?
    }

    /// Parses one line of the stream; nil for anything that is not a stats object (a partial
    /// line, an error message, garbage).
    public static func parse(_ line: some StringProtocol) -> ContainerStatsFrame? {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("{"), let raw = try? JSONDecoder().decode(Raw.self, from: Data(trimmed.utf8)),
              let cpu = raw.cpu_stats, let total = cpu.cpu_usage?.total_usage else { return nil }
        // A stopped container streams empty frames dated year 1.
        if raw.read?.hasPrefix("0001-") == true { return nil }
        let memory = raw.memory_stats
        let stats = memory?.stats ?? [:]
        // cgroup v1 counts the page cache in usage ("total_inactive_file", else "cache"); v2 has "inactive_file".
        let cache = stats["total_inactive_file"] ?? stats["inactive_file"] ?? stats["cache"] ?? 0
        let usage = memory?.usage ?? 0
        let blkio = raw.blkio_stats?.io_service_bytes_recursive ?? []
        func blk(_ op: String) -> UInt64 { blkio.filter { $0.op?.lowercased() == op }.reduce(0) { $0 + ($1.value ?? 0) } }
        let networks = raw.networks?.values.map { $0 } ?? []
        // A limit of "no limit" is reported as a huge number.
        let pidsLimit = raw.pids_stats?.limit.flatMap { $0 > 0 && $0 < 1 << 31 ? Int($0) : nil }
        return ContainerStatsFrame(
            read: raw.read.flatMap(parseDate),
            cpuTotal: total, systemCPU: cpu.system_cpu_usage ?? 0,
            previousCPUTotal: raw.precpu_stats?.cpu_usage?.total_usage ?? 0,
            previousSystemCPU: raw.precpu_stats?.system_cpu_usage ?? 0,
            onlineCPUs: cpu.online_cpus ?? cpu.cpu_usage?.percpu_usage?.count ?? 1,
            memoryUsed: usage > cache ? usage - cache : usage, memoryLimit: memory?.limit ?? 0,
            pids: raw.pids_stats?.current ?? 0, pidsLimit: pidsLimit,
            networkReceived: networks.reduce(0) { $0 + ($1.rx_bytes ?? 0) },
            networkSent: networks.reduce(0) { $0 + ($1.tx_bytes ?? 0) },
            blockRead: blk("read"), blockWritten: blk("write"))
    }

    nonisolated(unsafe) private static let fractional: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    private static func parseDate(_ text: String) -> Date? {
        // Docker writes nanoseconds; the formatter takes at most milliseconds.
        var text = text
        if let dot = text.firstIndex(of: "."), let end = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
            let digits = text[text.index(after: dot)..<end]
            if digits.count > 3 { text = String(text[..<text.index(dot, offsetBy: 4)]) + String(text[end...]) }
        }
        return fractional.date(from: text)
    }
}

/// What the Health pane shows of an instance: the latest figures, rates from the previous frame,
/// and about a minute of history for each figure.
public struct InstanceHealth: Sendable, Equatable {
    public var name: String
    public var state: String
    public var running: Bool
    public var cpuPercent: Double?
    public var memoryUsed: UInt64 = 0
    public var memoryLimit: UInt64 = 0
    public var pids: Int = 0
    public var pidsLimit: Int?
    public var networkRate: (rx: Double, tx: Double) = (0, 0)
    public var blockRate: (read: Double, write: Double) = (0, 0)
    public var cpuHistory = History()
    public var memoryHistory = History()
    public var pidsHistory = History()
    public var networkHistory = History()
    public var blockHistory = History()
    public var last: ContainerStatsFrame?
    public var lastAt: Double?

    public init(name: String, state: String = "unknown", running: Bool = false) {
        self.name = name
        self.state = state
        self.running = running
    }

    public var memoryPercent: Double? { memoryLimit > 0 ? Double(memoryUsed) / Double(memoryLimit) * 100 : nil }
    public var pidsPercent: Double? { pidsLimit.map { $0 > 0 ? Double(pids) / Double($0) * 100 : 0 } }

    public static func == (a: InstanceHealth, b: InstanceHealth) -> Bool {
        a.name == b.name && a.state == b.state && a.running == b.running && a.cpuPercent == b.cpuPercent
            && a.memoryUsed == b.memoryUsed && a.memoryLimit == b.memoryLimit && a.pids == b.pids
            && a.networkRate == b.networkRate && a.blockRate == b.blockRate && a.cpuHistory == b.cpuHistory
            && a.memoryHistory == b.memoryHistory
    }

    /// Takes a frame that arrived at `time` (monotonic seconds).
    public mutating func record(_ frame: ContainerStatsFrame, at time: Double) {
        if let previous = last, let previousTime = lastAt, time > previousTime {
            let seconds = time - previousTime
            func rate(_ new: UInt64, _ old: UInt64) -> Double { new >= old ? Double(new - old) / seconds : 0 }
            networkRate = (rate(frame.networkReceived, previous.networkReceived), rate(frame.networkSent, previous.networkSent))
            blockRate = (rate(frame.blockRead, previous.blockRead), rate(frame.blockWritten, previous.blockWritten))
        }
        cpuPercent = frame.cpuPercent ?? cpuPercent
        memoryUsed = frame.memoryUsed
        memoryLimit = frame.memoryLimit
        pids = frame.pids
        pidsLimit = frame.pidsLimit
        cpuHistory.append(cpuPercent ?? 0)
        memoryHistory.append(memoryPercent ?? 0)
        pidsHistory.append(Double(pids))
        networkHistory.append(networkRate.rx + networkRate.tx)
        blockHistory.append(blockRate.read + blockRate.write)
        last = frame
        lastAt = time
        running = true
        state = "running"
    }
}

/// What the Health pane shows of the host.
public struct HostHealth: Sendable, Equatable {
    public var cpuPercent: Double?
    public var cpuCount: Int = 1
    public var load: [Double] = []
    public var memoryTotal: UInt64 = 0
    public var memoryUsed: UInt64 = 0
    public var diskTotal: UInt64 = 0
    public var diskUsed: UInt64 = 0
    public var cpuHistory = History()
    public var memoryHistory = History()
    public var loadHistory = History()
    public var diskHistory = History()
    var lastCPU: CPUTimes?

    public init() {}

    public var memoryPercent: Double? { memoryTotal > 0 ? Double(memoryUsed) / Double(memoryTotal) * 100 : nil }
    public var diskPercent: Double? { diskTotal > 0 ? Double(diskUsed) / Double(diskTotal) * 100 : nil }

    public mutating func record(_ sample: HostSample) {
        if let old = lastCPU, let new = sample.cpu { cpuPercent = CPUTimes.percent(from: old, to: new) ?? cpuPercent }
        lastCPU = sample.cpu ?? lastCPU
        cpuCount = sample.cpuCount
        load = sample.load
        memoryTotal = sample.memoryTotal
        memoryUsed = sample.memoryTotal - min(sample.memoryTotal, sample.memoryAvailable)
        diskTotal = sample.diskTotal
        diskUsed = sample.diskTotal - min(sample.diskTotal, sample.diskAvailable)
        if let cpuPercent { cpuHistory.append(cpuPercent) }
        memoryHistory.append(memoryPercent ?? 0)
        loadHistory.append(load.first ?? 0)
        diskHistory.append(diskPercent ?? 0)
    }
}

/// "3.0M", "512K", "1.2G": bytes in the fewest characters.
public func formatBytes(_ value: Double) -> String {
    let units = ["B", "K", "M", "G", "T"]
    var v = value
    var unit = 0
    while v >= 1024, unit < units.count - 1 {
        v /= 1024
        unit += 1
    }
    if unit == 0 { return "\(Int(v))B" }
    return v >= 100 ? "\(Int(v.rounded()))\(units[unit])" : String(format: "%.1f%@", v, units[unit])
}
