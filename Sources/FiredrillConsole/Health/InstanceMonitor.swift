import FiredrillEngine
import Foundation

/// Watches a run's instances for the Health pane, through the runtime: the instance list now and
/// then, a stats stream per running instance (they tell when an instance stops: they end), and
/// while Docker is away a ping every two seconds until it answers.
final class InstanceMonitor {
    let runtime: any Runtime
    private(set) var streams: [String: any StatsStream] = [:]
    /// When to ask for the instance list again, and (Docker away) whether it answers.
    var nextInstances = 0.0, nextPing = 0.0

    init(runtime: any Runtime) {
        self.runtime = runtime
    }

    /// The next moment the monitor has something to ask; one whose answer is awaited is not due.
    func deadline(docker: DockerStatus, pending: Set<EngineWorker.Job>) -> Double {
        var deadline = Double.infinity
        if !pending.contains(.instances) { deadline = nextInstances }
        if case .unreachable = docker, !pending.contains(.ping) { deadline = min(deadline, nextPing) }
        return deadline
    }

    func timers(_ now: Double, docker: DockerStatus, record: RunRecord, worker: EngineWorker) {
        if now >= nextInstances, !worker.pending.contains(.instances) {
            // The streams tell when an instance stops or is replaced: the list is only looked at
            // again now and then.
            nextInstances = now + 30
            worker.instances(record)
        }
        if case .unreachable = docker, now >= nextPing, !worker.pending.contains(.ping) {
            nextPing = now + 2
            worker.ping()
        }
    }

    /// The descriptors to poll: the open streams.
    var open: [any StatsStream] { streams.values.filter { $0.fd >= 0 } }

    /// Opens a stream for each running instance that has none (or whose container changed).
    func follow(_ list: [InstanceStatus], model: inout ConsoleModel) -> [Effect] {
        var effects: [Effect] = []
        for status in list where status.running {
            if let stream = streams[status.name], stream.fd >= 0, stream.container == status.container { continue }
            do {
                streams[status.name] = try runtime.statsStream(status)
            } catch {
                let detail: String
                if case let EngineError.dockerStopped(reason) = error { detail = reason } else { detail = "\(error)" }
                effects += model.setDocker(.unreachable(detail))
            }
        }
        return effects
    }

    /// Frames arrived on a stream, or it ended: the instance stopped or Docker went away.
    func arrived(_ stream: any StatsStream, model: inout ConsoleModel, now: Double) -> [Effect] {
        guard let frames = stream.read() else {
            if let index = model.instances.firstIndex(where: { $0.name == stream.instance }) {
                model.instances[index].running = false
                model.instances[index].state = "no stats"
            }
            // Look again soon.
            nextInstances = min(nextInstances, now + 1)
            return runtime.ping() ? [] : model.setDocker(.unreachable("the Docker daemon closed its socket"))
        }
        guard let index = model.instances.firstIndex(where: { $0.name == stream.instance }) else { return [] }
        for frame in frames { model.instances[index].record(frame, at: now) }
        return []
    }

    /// Docker went away: the streams are closed, and it is asked in two seconds whether it is back.
    func dockerLost(now: Double) {
        nextPing = now + 2
        for stream in streams.values { stream.close() }
    }

    func close() {
        for stream in streams.values { stream.close() }
    }
}
