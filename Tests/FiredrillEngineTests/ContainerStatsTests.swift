import Foundation
import Testing
@testable import FiredrillEngine

/// The stats frames' parser and stream on captured samples (Fixtures/).
@Suite struct ContainerStatsTests {
    let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    func fixture(_ name: String) throws -> String {
        try String(contentsOf: testsFolder.appendingPathComponent("Fixtures").appendingPathComponent(name), encoding: .utf8)
    }

    @Test func framesFromACapturedStream() throws {
        let lines = try fixture("docker-stats-stream.jsonl").split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(ContainerStatsFrame.parse(lines[0]))
        let second = try #require(ContainerStatsFrame.parse(lines[1]))
        #expect(first.memoryLimit == 128 << 20) // the proxy's mem_limit
        #expect(first.pids > 0)
        #expect(first.pidsLimit == 256)
        #expect(first.onlineCPUs == 2)
        // The first frame has no previous sample; the second does.
        #expect(first.cpuPercent == nil)
        #expect(second.cpuPercent != nil)
        #expect(second.memoryUsed < second.memoryLimit)
    }

    @Test func aStoppedContainersFrameIsNoFigure() throws {
        #expect(ContainerStatsFrame.parse(try fixture("docker-stats-stopped.jsonl")) == nil)
    }

    @Test func theStreamSplitsFramesWhateverTheChunks() throws {
        let bytes = Array(try Data(contentsOf: testsFolder.appendingPathComponent("Fixtures/docker-stats-stream.http")))
        for chunk in [1, 7, 100, 4096] {
            let stream = DockerStatsStream(instance: "proxy", container: "x")
            var frames: [ContainerStatsFrame] = []
            var index = 0
            while index < bytes.count {
                frames += stream.feed(Array(bytes[index..<min(bytes.count, index + chunk)]))
                index += chunk
            }
            #expect(frames.count == 2, "chunks of \(chunk)")
        }
        // Garbage between frames is skipped.
        let stream = DockerStatsStream(instance: "proxy", container: "x")
        let lines = try fixture("docker-stats-stream.jsonl").split(separator: "\n")
        let noisy = "HTTP/1.0 200 OK\r\n\r\n" + lines[0] + "\n{oops\n\n" + lines[1] + "\n"
        #expect(stream.feed(Array(noisy.utf8)).count == 2)
    }

    @Test func malformedLines() {
        #expect(ContainerStatsFrame.parse("") == nil)
        #expect(ContainerStatsFrame.parse("{") == nil)
        #expect(ContainerStatsFrame.parse("{\"message\":\"No such container: x\"}") == nil)
        #expect(ContainerStatsFrame.parse("\u{1b}[H{\"cpu_stats\":") == nil)
        #expect(ContainerStatsFrame.parse("not json at all") == nil)
        #expect(ContainerStatsFrame.parse("{\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":\"many\"}}}") == nil)
    }

    @Test func rawCountersToFigures() {
        let line = """
            {"read":"2026-11-25T22:20:43.094501081Z","cpu_stats":{"cpu_usage":{"total_usage":2000000000},"system_cpu_usage":20000000000,"online_cpus":2},\
            "precpu_stats":{"cpu_usage":{"total_usage":1000000000},"system_cpu_usage":10000000000},\
            "memory_stats":{"usage":150,"limit":1000,"stats":{"total_inactive_file":50}},"pids_stats":{"current":7,"limit":18446744073709551615},\
            "networks":{"eth0":{"rx_bytes":100,"tx_bytes":10},"eth1":{"rx_bytes":1,"tx_bytes":1}},\
            "blkio_stats":{"io_service_bytes_recursive":[{"op":"Read","value":4096},{"op":"Write","value":512},{"op":"Total","value":4608}]}}
            """
        let frame = ContainerStatsFrame.parse(line)!
        #expect(frame.cpuPercent == 20)
        #expect(frame.memoryUsed == 100)
        #expect(frame.memoryPercent == 10)
        #expect(frame.pidsLimit == nil)
        #expect(frame.networkReceived == 101 && frame.networkSent == 11)
        #expect(frame.blockRead == 4096 && frame.blockWritten == 512)
        #expect(frame.read != nil)
    }

    @Test func dockerTimestampsAreReadWithoutAFormatter() throws {
        let utc = try #require(ContainerStatsFrame.parseDate("2026-11-25T22:20:43.094501081Z"))
        #expect(abs(utc.timeIntervalSince1970 - 1_795_645_243.094501081) < 1e-6)
        #expect(ContainerStatsFrame.parseDate("2026-01-05T01:02:03+02:00")?.timeIntervalSince1970 == 1_767_567_723)
        #expect(ContainerStatsFrame.parseDate("0001-01-01T00:00:00Z") != nil)
        for bad in ["", "yesterday", "2026-13-01T00:00:00Z", "2026-11-25 22:20:43Z", "2026-11-25T22:20:43"] {
            #expect(ContainerStatsFrame.parseDate(bad) == nil, "\(bad)")
        }
    }

    @Test func onlyTheFieldsShownAreRead() throws {
        // Unwanted subtrees are skipped whatever they hold; escapes and odd numbers do not upset it.
        let line = #"""
            {"name":"/a\"b\u00e9","read":"2026-11-25T22:20:43Z","storage_stats":{"x":[1,2,{"y":[true,false,null,-1.5e3]}]},            "cpu_stats":{"cpu_usage":{"total_usage":5,"percpu_usage":[1,2,3]},"system_cpu_usage":10},            "precpu_stats":{"cpu_usage":{"total_usage":-4},"system_cpu_usage":2.5},"memory_stats":{"usage":1e3}}
            """#
        let frame = try #require(ContainerStatsFrame.parse(line))
        #expect(frame.cpuTotal == 5 && frame.systemCPU == 10 && frame.onlineCPUs == 3)
        #expect(frame.previousCPUTotal == 0 && frame.previousSystemCPU == 0 && frame.memoryUsed == 0)
        // A frame cut short or followed by garbage is not a frame.
        #expect(ContainerStatsFrame.parse(String(line.dropLast(2))) == nil)
        #expect(ContainerStatsFrame.parse(line + "x") == nil)
        #expect(ContainerStatsFrame.parse(line.replacingOccurrences(of: "true", with: "tru")) == nil)
        #expect(ContainerStatsFrame.parse("{\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":18446744073709551616}}}") == nil)
    }

    @Test func resourceFiguresFromOneFrame() throws {
        // What the resource check reads (`docker stats`' figures): the second captured frame has a previous sample.
        let lines = try fixture("docker-stats-stream.jsonl").split(separator: "\n")
        let frame = try #require(ContainerStatsFrame.parse(lines[1]))
        let stats = InstanceStats(frame)
        #expect(stats.cpuPercent == frame.cpuPercent && stats.cpuPercent > 0)
        #expect(stats.memoryPercent == Double(frame.memoryUsed) / Double(128 << 20) * 100)
        #expect(stats.memoryBytes == Double(frame.memoryUsed) && stats.memoryBytes > 0)
        #expect(stats.pids == frame.pids && stats.pids > 0)
        // No previous sample yet: no CPU figure, shown as 0%.
        #expect(InstanceStats(try #require(ContainerStatsFrame.parse(lines[0]))).cpuPercent == 0)
    }
}
