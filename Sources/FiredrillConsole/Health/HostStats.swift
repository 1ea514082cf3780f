import Foundation

/// Cumulative CPU time from the first line of /proc/stat, in clock ticks.
public struct CPUTimes: Sendable, Equatable {
    public var busy: UInt64
    public var idle: UInt64
    public var total: UInt64 { busy + idle }

    public init(busy: UInt64, idle: UInt64) {
        self.busy = busy
        self.idle = idle
    }

    /// Busy share of the time between two readings, 0-100 (nil when no time passed).
    public static func percent(from old: CPUTimes, to new: CPUTimes) -> Double? {
        guard new.total > old.total, new.busy >= old.busy else { return nil }
        return min(100, Double(new.busy - old.busy) / Double(new.total - old.total) * 100)
    }
}

/// Parsers of the /proc files the Health pane reads; each returns nil on a file it cannot read
/// rather than a wrong figure.
public enum ProcParser {
    /// The aggregate `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal
    /// (guest time is already counted in user).
    public static func cpuTimes(stat: String) -> CPUTimes? {
        // The aggregate line comes first; the per-CPU lines follow, then long interrupt counts.
        for line in stat.split(separator: "\n", omittingEmptySubsequences: true).lazy.prefix(while: { $0.hasPrefix("cpu") }) where line.hasPrefix("cpu ") {
            let fields = line.split(separator: " ").dropFirst().map { UInt64($0) }
            guard fields.count >= 4, !fields.prefix(8).contains(where: { $0 == nil }) else { return nil }
            let values = fields.prefix(8).map { $0! }
            let idle = values[3] + (values.count > 4 ? values[4] : 0)
            let busy = values.enumerated().filter { $0.offset != 3 && $0.offset != 4 }.reduce(0) { $0 + $1.element }
            return CPUTimes(busy: busy, idle: idle)
        }
        return nil
    }

    /// The number of `cpuN` lines.
    public static func cpuCount(stat: String) -> Int {
        stat.split(separator: "\n").lazy.prefix(while: { $0.hasPrefix("cpu") }).filter { !$0.hasPrefix("cpu ") }.count
    }

    /// The three load averages of /proc/loadavg.
    public static func loadAverage(_ text: String) -> (Double, Double, Double)? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(3).compactMap { Double($0) }
        guard fields.count == 3 else { return nil }
        return (fields[0], fields[1], fields[2])
    }

    /// Total and available memory in bytes from /proc/meminfo (MemAvailable, or free + buffers +
    /// cached on kernels without it).
    public static func memory(_ text: String) -> (total: UInt64, available: UInt64)? {
        // Only the five lines wanted, which come first: the rest of the file is not split.
        let wanted: Set<Substring> = ["MemTotal", "MemAvailable", "MemFree", "Buffers", "Cached"]
        var values: [Substring: UInt64] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon]
            guard wanted.contains(name) else { continue }
            let number = line[line.index(after: colon)...].split(separator: " ").first.flatMap { UInt64($0) }
            if let number { values[name] = number * 1024 }
            if values.count == wanted.count { break }
        }
        guard let total = values["MemTotal"], total > 0 else { return nil }
        if let available = values["MemAvailable"] { return (total, min(available, total)) }
        guard let free = values["MemFree"] else { return nil }
        return (total, min(total, free + (values["Buffers"] ?? 0) + (values["Cached"] ?? 0)))
    }
}

/// One reading of the host.
public struct HostSample: Sendable, Equatable {
    public var cpu: CPUTimes?
    public var cpuCount: Int
    public var load: [Double]
    public var memoryTotal: UInt64
    public var memoryAvailable: UInt64
    public var diskTotal: UInt64
    public var diskAvailable: UInt64

    public init(cpu: CPUTimes?, cpuCount: Int, load: [Double], memoryTotal: UInt64, memoryAvailable: UInt64, diskTotal: UInt64, diskAvailable: UInt64) {
        self.cpu = cpu
        self.cpuCount = cpuCount
        self.load = load
        self.memoryTotal = memoryTotal
        self.memoryAvailable = memoryAvailable
        self.diskTotal = diskTotal
        self.diskAvailable = diskAvailable
    }
}

/// Reads the host from /proc and statvfs directly (no process). The /proc root can be pointed
/// at a folder of captured files, as htop allows, so the parsers are tested on real samples.
public struct HostReader: Sendable {
    public var procRoot: URL
    /// The filesystem whose use is shown (the one holding the runs).
    public var diskPath: String

    public init(procRoot: URL = URL(fileURLWithPath: "/proc"), diskPath: String = "/") {
        self.procRoot = procRoot
        self.diskPath = diskPath
    }

    func read(_ name: String) -> String? {
        // /proc files report a size of 0: read them with read(2) until EOF.
        let fd = open(procRoot.path + "/" + name, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data = [UInt8](repeating: 0, count: 4096)
        var used = 0
        while true {
            if used == data.count { data += repeatElement(0, count: data.count) }
            let n = data.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + used, $0.count - used) }
            if n <= 0 { break }
            used += n
        }
        return String(decoding: data[0..<used], as: UTF8.self)
    }

    public func sample() -> HostSample {
        let stat = read("stat") ?? ""
        let memory = read("meminfo").flatMap(ProcParser.memory)
        let load = read("loadavg").flatMap(ProcParser.loadAverage).map { [$0.0, $0.1, $0.2] } ?? []
        var disk = statvfs()
        let diskOK = statvfs(diskPath, &disk) == 0
        let blockSize = UInt64(disk.f_frsize)
        return HostSample(cpu: ProcParser.cpuTimes(stat: stat), cpuCount: max(1, ProcParser.cpuCount(stat: stat)), load: load,
                          memoryTotal: memory?.total ?? 0, memoryAvailable: memory?.available ?? 0,
                          diskTotal: diskOK ? UInt64(disk.f_blocks) * blockSize : 0,
                          diskAvailable: diskOK ? UInt64(disk.f_bavail) * blockSize : 0)
    }
}
