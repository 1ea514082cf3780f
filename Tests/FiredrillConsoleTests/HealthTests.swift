@testable import FiredrillConsole
import FiredrillEngine
import FiredrillTestSupport
import Foundation
import Testing

@Suite struct ProcParserTests {
    @Test func cpuFromCapturedStatFiles() throws {
        let first = try #require(ProcParser.cpuTimes(stat: try fixture("proc/stat")))
        let later = try #require(ProcParser.cpuTimes(stat: try fixture("proc/stat.later")))
        #expect(later.total > first.total)
        let percent = try #require(CPUTimes.percent(from: first, to: later))
        #expect(percent >= 0 && percent <= 100)
        #expect(ProcParser.cpuCount(stat: try fixture("proc/stat")) == 2)
    }

    @Test func cpuPercentFromDeltas() {
        let old = ProcParser.cpuTimes(stat: "cpu  100 0 100 800 0 0 0 0 0 0\n")!
        let new = ProcParser.cpuTimes(stat: "cpu  150 0 150 900 0 0 0 0 0 0\n")!
        #expect(CPUTimes.percent(from: old, to: new) == 50)
        #expect(CPUTimes.percent(from: new, to: new) == nil)
    }

    @Test func malformedStat() {
        #expect(ProcParser.cpuTimes(stat: "") == nil)
        #expect(ProcParser.cpuTimes(stat: "cpu  1 2 x 4\n") == nil)
        #expect(ProcParser.cpuTimes(stat: "cpu  1 2\n") == nil)
        #expect(ProcParser.cpuTimes(stat: "intr 1 2 3\ncpu0 1 2 3 4\n") == nil)
    }

    @Test func memoryAndLoad() throws {
        let memory = try #require(ProcParser.memory(try fixture("proc/meminfo")))
        #expect(memory.total > 1 << 30)
        #expect(memory.available <= memory.total)
        let load = try #require(ProcParser.loadAverage(try fixture("proc/loadavg")))
        #expect(load.0 >= 0)
        // Old kernels without MemAvailable.
        let old = ProcParser.memory("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n")!
        #expect(old.available == 400 * 1024)
    }

    @Test func malformedMemoryAndLoad() {
        #expect(ProcParser.memory("") == nil)
        #expect(ProcParser.memory("MemTotal: lots\n") == nil)
        #expect(ProcParser.memory("garbage without colons\nMemTotal 12\n") == nil)
        #expect(ProcParser.loadAverage("0.1 0.2") == nil)
        #expect(ProcParser.loadAverage("a b c 1/2 3") == nil)
    }

    @Test func hostReaderOnACapturedProcFolder() {
        let reader = HostReader(procRoot: testsFolder.appendingPathComponent("Fixtures/proc"), diskPath: "/")
        let sample = reader.sample()
        #expect(sample.cpu != nil)
        #expect(sample.memoryTotal > 0)
        #expect(sample.load.count == 3)
        #expect(sample.diskTotal > 0)
        var health = HostHealth()
        health.record(sample)
        health.record(HostSample(cpu: CPUTimes(busy: sample.cpu!.busy + 30, idle: sample.cpu!.idle + 70), cpuCount: 2, load: sample.load,
                                 memoryTotal: sample.memoryTotal, memoryAvailable: sample.memoryAvailable, diskTotal: 100, diskAvailable: 4))
        #expect(health.cpuPercent == 30)
        #expect(health.diskPercent == 96)
        #expect(Threshold.disk.level(health.diskPercent!) == .bad)
    }
}

@Suite struct InstanceHealthTests {
    @Test func figuresFromACapturedStream() throws {
        let captured = repositoryRoot.appendingPathComponent("Tests/FiredrillEngineTests/Fixtures/docker-stats-stream.jsonl")
        let lines = try String(contentsOf: captured, encoding: .utf8).split(separator: "\n")
        let first = try #require(ContainerStatsFrame.parse(lines[0]))
        let second = try #require(ContainerStatsFrame.parse(lines[1]))
        var health = InstanceHealth(name: "frontend")
        health.record(first, at: 0)
        health.record(second, at: 1)
        #expect(health.running)
        #expect(health.cpuHistory.values.count == 2)
    }

    @Test func historyAndSparklines() {
        var history = History(capacity: 4)
        for value in [0.0, 50, 100, 25, 75] { history.append(value) }
        #expect(history.values == [50, 100, 25, 75])
        #expect(history.sparkline(width: 6, maximum: 100, bars: Glyphs.unicode.bars) == "  ▅█▃▆")
        #expect(History().sparkline(width: 3, maximum: 100, bars: Glyphs.ascii.bars) == "   ")
        #expect(formatBytes(3 * 1024 * 1024) == "3.0M")
        #expect(formatBytes(512) == "512B")
    }
}
