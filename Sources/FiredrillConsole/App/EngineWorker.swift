import FiredrillEngine
import Foundation

/// What the background worker hands back to the loop.
enum WorkerResult: @unchecked Sendable {
    case checked(CheckReport, RunRecord?, verify: Bool)
    case checkFailed(Error, verify: Bool)
    case instances([InstanceStatus])
    case instancesFailed(Error)
    case hintRevealed(Int)
    case shellCommand(target: String, arguments: [String])
    case shellFailed(target: String, Error)
    case ping(Bool)
}

/// Runs the engine's blocking calls (checks spawn processes, verify restarts instances) off the
/// loop, one at a time in order, and wakes the loop through a pipe when each is done.
final class EngineWorker: @unchecked Sendable {
    /// Checks and verifies (seconds, processes, restarts) on one queue; quick calls (instances,
    /// shell commands, hints, ping) on another, so a slow check never holds up a shell.
    private let checks = DispatchQueue(label: "firedrill.console.checks")
    private let queue = DispatchQueue(label: "firedrill.console.engine")
    private let lock = NSLock()
    private var results: [WorkerResult] = []
    private let wakeFD: Int32
    let engine: Engine

    init(engine: Engine, wakeFD: Int32) {
        self.engine = engine
        self.wakeFD = wakeFD
    }

    private func post(_ result: WorkerResult) {
        lock.withLock { results.append(result) }
        var byte: UInt8 = 0x77
        _ = write(wakeFD, &byte, 1)
    }

    func take() -> [WorkerResult] {
        lock.withLock {
            defer { results.removeAll() }
            return results
        }
    }

    func check(_ record: RunRecord, verify: Bool) {
        checks.async { [engine] in
            do {
                let report = try engine.check(record, verify: verify)
                self.post(.checked(report, try? engine.store.load(record.id), verify: verify))
            } catch {
                self.post(.checkFailed(error, verify: verify))
            }
        }
    }

    func instances(_ record: RunRecord) {
        queue.async { [engine] in
            do { self.post(.instances(try engine.instances(record))) } catch { self.post(.instancesFailed(error)) }
        }
    }

    func revealHint(_ record: RunRecord) {
        queue.async { [engine] in
            guard let count = try? engine.revealHint(record) else { return }
            self.post(.hintRevealed(count))
        }
    }

    func shellCommand(_ record: RunRecord, instance: String) {
        queue.async { [engine] in
            do {
                var arguments = try engine.shellCommand(record, instance: instance, command: [], tty: true)
                // The shell runs inside our emulator, an xterm: not in the outer terminal.
                if let index = arguments.firstIndex(where: { $0.hasPrefix("TERM=") }) { arguments[index] = "TERM=xterm-256color" }
                self.post(.shellCommand(target: instance, arguments: arguments))
            } catch {
                self.post(.shellFailed(target: instance, error))
            }
        }
    }

    func ping() {
        queue.async { self.post(.ping(StatsStream.ping())) }
    }
}
