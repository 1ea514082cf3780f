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

    /// Parses one line of the stream; nil for anything that is not a stats object (a partial
    /// line, an error message, garbage).
    public static func parse(_ line: some StringProtocol) -> ContainerStatsFrame? {
        var text = String(line)
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// Parses one frame from its bytes. Only the fields the Health pane shows are read (a frame
    /// is about 2 KB of JSON, four a second): no decoder, no object tree, no date formatter.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> ContainerStatsFrame? {
        var fields = Fields()
        var scanner = JSONScanner(bytes: bytes)
        guard scanner.skipSpace(), scanner.peek == UInt8(ascii: "{"), (try? scanner.value(&fields)) != nil, scanner.atEnd else { return nil }
        guard let total = fields.cpuTotal else { return nil }
        // A stopped container streams empty frames dated year 1.
        if fields.read?.hasPrefix("0001-") == true { return nil }
        let cache = fields.totalInactiveFile ?? fields.inactiveFile ?? fields.cache ?? 0
        let usage = fields.memoryUsage ?? 0
        // A limit of "no limit" is reported as a huge number.
        let pidsLimit = fields.pidsLimit.flatMap { $0 > 0 && $0 < 1 << 31 ? Int($0) : nil }
        return ContainerStatsFrame(
            read: fields.read.flatMap(parseDate),
            cpuTotal: total, systemCPU: fields.systemCPU ?? 0,
            previousCPUTotal: fields.previousCPUTotal ?? 0, previousSystemCPU: fields.previousSystemCPU ?? 0,
            onlineCPUs: fields.onlineCPUs.map { Int(clamping: $0) } ?? (fields.perCPUCount > 0 ? fields.perCPUCount : 1),
            memoryUsed: usage > cache ? usage - cache : usage, memoryLimit: fields.memoryLimit ?? 0,
            pids: fields.pids.map { Int(clamping: $0) } ?? 0, pidsLimit: pidsLimit,
            networkReceived: fields.networkReceived, networkSent: fields.networkSent,
            blockRead: fields.blockRead, blockWritten: fields.blockWritten)
    }

    /// The fields read from a frame, filled as the scanner meets them.
    struct Fields: JSONVisitor {
        var read: String?
        var cpuTotal, systemCPU, onlineCPUs, previousCPUTotal, previousSystemCPU: UInt64?
        var perCPUCount = 0
        var memoryUsage, memoryLimit, totalInactiveFile, inactiveFile, cache: UInt64?
        var pids, pidsLimit: UInt64?
        var networkReceived: UInt64 = 0, networkSent: UInt64 = 0
        var blockRead: UInt64 = 0, blockWritten: UInt64 = 0
        // The blkio entry being read: {"op": "Read", "value": 4096}.
        var entryOp: String?
        var entryValue: UInt64?

        mutating func number(_ value: UInt64?, path: [String]) {
            guard let value else { return }
            switch path.count {
            case 2:
                switch (path[0], path[1]) {
                case ("cpu_stats", "system_cpu_usage"): systemCPU = value
                case ("cpu_stats", "online_cpus"): onlineCPUs = value
                case ("precpu_stats", "system_cpu_usage"): previousSystemCPU = value
                case ("memory_stats", "usage"): memoryUsage = value
                case ("memory_stats", "limit"): memoryLimit = value
                case ("pids_stats", "current"): pids = value
                case ("pids_stats", "limit"): pidsLimit = value
                case ("blkio_stats", "io_service_bytes_recursive"): break
                default: break
                }
            case 3:
                switch (path[0], path[1], path[2]) {
                case ("cpu_stats", "cpu_usage", "total_usage"): cpuTotal = value
                case ("cpu_stats", "cpu_usage", "percpu_usage"): perCPUCount += 1
                case ("precpu_stats", "cpu_usage", "total_usage"): previousCPUTotal = value
                case ("memory_stats", "stats", "total_inactive_file"): totalInactiveFile = value
                case ("memory_stats", "stats", "inactive_file"): inactiveFile = value
                case ("memory_stats", "stats", "cache"): cache = value
                case ("networks", _, "rx_bytes"): networkReceived &+= value
                case ("networks", _, "tx_bytes"): networkSent &+= value
                case ("blkio_stats", "io_service_bytes_recursive", "value"): entryValue = value
                default: break
                }
            default: break
            }
        }

        mutating func string(_ value: String, path: [String]) {
            if path.count == 1, path[0] == "read" { read = value }
            if path.count == 3, path[0] == "blkio_stats", path[1] == "io_service_bytes_recursive", path[2] == "op" { entryOp = value }
        }

        mutating func endObject(path: [String]) {
            guard path.count == 2, path[0] == "blkio_stats", path[1] == "io_service_bytes_recursive" else { return }
            switch entryOp?.lowercased() {
            case "read"?: blockRead &+= entryValue ?? 0
            case "write"?: blockWritten &+= entryValue ?? 0
            default: break
            }
            entryOp = nil
            entryValue = nil
        }

        /// Keys whose values are read: the scanner skips every other subtree without looking.
        func wants(_ path: [String]) -> Bool {
            switch path.count {
            case 1: return ["read", "cpu_stats", "precpu_stats", "memory_stats", "pids_stats", "networks", "blkio_stats"].contains(path[0])
            case 2:
                switch path[0] {
                case "cpu_stats", "precpu_stats": return ["cpu_usage", "system_cpu_usage", "online_cpus"].contains(path[1])
                case "blkio_stats": return path[1] == "io_service_bytes_recursive"
                default: return true
                }
            case 3:
                if path[0] == "cpu_stats" || path[0] == "precpu_stats" { return path[2] == "total_usage" || path[2] == "percpu_usage" }
                if path[0] == "memory_stats" { return ["total_inactive_file", "inactive_file", "cache"].contains(path[2]) }
                return true
            default: return false
            }
        }
    }

    /// Docker's timestamp ("2026-11-25T22:20:43.094501081Z", or with an offset) read by hand:
    /// Foundation's ISO 8601 formatter goes through ICU and cost more than the rest of a frame.
    static func parseDate(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[from..<(from + count)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            guard let hours = number(index + 1, 2), let minutes = number(index + 4, 2) else { return nil }
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        } else if index >= bytes.count || bytes[index] != UInt8(ascii: "Z") {
            return nil
        }
        // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }
}
