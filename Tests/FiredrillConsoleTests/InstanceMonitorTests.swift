@testable import FiredrillConsole
@testable import FiredrillEngine
import Foundation
import Testing

/// The Health pane's instances through a runtime that hands out fake stats streams.
@Suite struct InstanceMonitorTests {
    final class Stream: StatsStream {
        let instance: String, container: String
        var fd: Int32 = 7
        /// What the next read gives; nil: the stream ended.
        var next: [ContainerStatsFrame]? = []
        init(instance: String, container: String) {
            self.instance = instance
            self.container = container
        }
        func read() -> [ContainerStatsFrame]? { next }
        func close() { fd = -1 }
    }

    /// Only the stats and the ping are asked of it.
    final class StatsRuntime: Runtime, @unchecked Sendable {
        var opened: [Stream] = []
        var answers = true
        func statsStream(_ instance: InstanceStatus) throws -> any StatsStream {
            guard answers else { throw EngineError.dockerStopped(detail: "cannot reach the socket") }
            opened.append(Stream(instance: instance.name, container: instance.container))
            return opened.last!
        }
        func ping() -> Bool { answers }
        func ensureAvailable() throws {}
        func buildImage(tag: String, context: URL, force: Bool) throws {}
        func imageExists(_ tag: String) -> Bool { true }
        func up(project: Project) throws {}
        func down(project: Project) throws {}
        func instances(project: String) throws -> [InstanceStatus] { [] }
        func projects(prefix: String) throws -> [String] { [] }
        func workingDirectory(project: String) -> String? { nil }
        func exec(project: String, instance: String, command: [String], user: String?, detach: Bool, timeout: Double?) throws -> ProcessOutput {
            ProcessOutput(status: 0, stdout: "", stderr: "")
        }
        func shellCommand(project: String, instance: String, command: [String], tty: Bool, environment: [String: String]) throws -> [String] { [] }
        func restart(project: String, instance: String) throws {}
        func stats(project: String, instance: String) throws -> InstanceStats { InstanceStats(cpuPercent: 0, memoryPercent: 0, memoryBytes: 0, pids: 0) }
    }

    func status(_ name: String, _ container: String, running: Bool = true) -> InstanceStatus {
        InstanceStatus(name: name, container: container, running: running, state: running ? "running" : "exited")
    }

    @Test func aStreamPerRunningInstanceOpenedOnce() {
        let runtime = StatsRuntime()
        let monitor = InstanceMonitor(runtime: runtime)
        var model = sampleModel()
        let list = [status("proxy", "c1"), status("db", "c2", running: false)]
        #expect(monitor.follow(list, model: &model).isEmpty)
        #expect(monitor.follow(list, model: &model).isEmpty)
        #expect(runtime.opened.map(\.instance) == ["proxy"])
        // A new container, or a stream that ended, is followed again.
        _ = monitor.follow([status("proxy", "c3")], model: &model)
        runtime.opened.last!.close()
        _ = monitor.follow([status("proxy", "c3")], model: &model)
        #expect(runtime.opened.map(\.container) == ["c1", "c3", "c3"])
        #expect(monitor.open.count == 1)
        monitor.dockerLost(now: 10)
        #expect(monitor.open.isEmpty && monitor.nextPing == 12)
    }

    @Test func aRuntimeThatCannotBeReachedIsSaid() {
        let runtime = StatsRuntime()
        runtime.answers = false
        let monitor = InstanceMonitor(runtime: runtime)
        var model = sampleModel()
        #expect(monitor.follow([status("proxy", "c1")], model: &model) == [.dockerLost])
        #expect(model.docker == .unreachable("cannot reach the socket"))
    }

    @Test func framesAreFiguresAndAnEndedStreamAsksAgain() throws {
        let runtime = StatsRuntime()
        let monitor = InstanceMonitor(runtime: runtime)
        var model = sampleModel()
        _ = monitor.follow([status("proxy", "c1")], model: &model)
        let stream = runtime.opened[0]
        let line = #"{"read":"2026-11-25T22:20:43Z","cpu_stats":{"cpu_usage":{"total_usage":5},"system_cpu_usage":10},"memory_stats":{"usage":300,"limit":1000},"pids_stats":{"current":12}}"#
        stream.next = [try #require(ContainerStatsFrame.parse(line))]
        #expect(monitor.arrived(stream, model: &model, now: 1).isEmpty)
        let proxy = try #require(model.instances.first { $0.name == "proxy" })
        #expect(proxy.pids == 12 && proxy.memoryUsed == 300)
        // It ends while Docker still answers: the instance stopped; the list is looked at within a second.
        monitor.nextInstances = 30
        stream.next = nil
        #expect(monitor.arrived(stream, model: &model, now: 5).isEmpty)
        #expect(model.instances.first { $0.name == "proxy" }?.state == "no stats")
        #expect(monitor.nextInstances == 6)
        // It ends and Docker does not answer.
        runtime.answers = false
        #expect(monitor.arrived(stream, model: &model, now: 7) == [.dockerLost])
        #expect(model.docker == .unreachable("the Docker daemon closed its socket"))
    }
}
