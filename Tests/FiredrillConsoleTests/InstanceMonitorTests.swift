@testable import FiredrillConsole
@testable import FiredrillEngine
import FiredrillTestSupport
import Foundation
import Testing

/// The Health pane's instances through the fake runtime and its fake stats streams.
@Suite struct InstanceMonitorTests {
    func status(_ name: String, _ container: String, running: Bool = true) -> InstanceStatus {
        InstanceStatus(name: name, container: container, running: running, state: running ? "running" : "exited")
    }

    @Test func aStreamPerRunningInstanceOpenedOnce() {
        let runtime = FakeRuntime()
        let monitor = InstanceMonitor(runtime: runtime)
        var model = sampleModel()
        let list = [status("proxy", "c1"), status("db", "c2", running: false)]
        #expect(monitor.follow(list, model: &model).isEmpty)
        #expect(monitor.follow(list, model: &model).isEmpty)
        #expect(runtime.streams.map(\.instance) == ["proxy"])
        // A new container, or a stream that ended, is followed again.
        _ = monitor.follow([status("proxy", "c3")], model: &model)
        runtime.streams.last!.close()
        _ = monitor.follow([status("proxy", "c3")], model: &model)
        #expect(runtime.streams.map(\.container) == ["c1", "c3", "c3"])
        #expect(monitor.open.count == 1)
        monitor.dockerLost(now: 10)
        #expect(monitor.open.isEmpty && monitor.nextPing == 12)
    }

    @Test func aRuntimeThatCannotBeReachedIsSaid() {
        let runtime = FakeRuntime()
        runtime.available = false
        let monitor = InstanceMonitor(runtime: runtime)
        var model = sampleModel()
        #expect(monitor.follow([status("proxy", "c1")], model: &model) == [.dockerLost])
        #expect(model.docker == .unreachable("fake"))
    }

    @Test func framesAreFiguresAndAnEndedStreamAsksAgain() throws {
        let runtime = FakeRuntime()
        let monitor = InstanceMonitor(runtime: runtime)
        var model = sampleModel()
        _ = monitor.follow([status("proxy", "c1")], model: &model)
        let stream = runtime.streams[0]
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
        runtime.available = false
        #expect(monitor.arrived(stream, model: &model, now: 7) == [.dockerLost])
        #expect(model.docker == .unreachable("the Docker daemon closed its socket"))
    }
}
