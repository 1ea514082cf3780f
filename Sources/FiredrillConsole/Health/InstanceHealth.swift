import FiredrillEngine
import Foundation

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
            && a.memoryUsed == b.memoryUsed && a.memoryLimit == b.memoryLimit && a.pids == b.pids && a.pidsLimit == b.pidsLimit
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
