import Foundation

/// Errors a trainee or an author can act on; each says what went wrong and what to do.
public enum EngineError: Error, CustomStringConvertible, Equatable {
    case catalogNotFound
    case unknownLevel(String, known: [String])
    case dockerMissing
    case dockerStopped(detail: String)
    case composeMissing
    case noLiveRun
    case unknownRun(String)
    case unknownInstance(String, known: [String])
    case instanceNotRunning(String)
    /// Docker could not run a command in an instance (the container stopped or gone, no such
    /// user or program): the command never ran.
    case execFailed(instance: String, detail: String)
    /// An HTTP check's request could not be sent at all (a malformed URL, no curl).
    case requestNotSent(String)
    case faultFailed(String)
    case bootFailed(String)
    case imageBuildFailed(tag: String, detail: String)
    case symptomsNotLive([String])
    case sandbox([Diagnostic])
    case illegalMove(run: String, from: RunState, to: RunState)
    /// The level says its fault would not survive a pause: it is booted when asked for.
    case coldOnly(level: String, reason: String)
    case notWarm(run: String, state: RunState)
    /// A warm run waits paused, no one's: nothing can be checked or typed in it until given.
    case notGiven(run: String)
    /// Warming would leave the machine short of memory: a paused run holds what it used.
    case notEnoughMemory(needed: Int64, available: Int64)

    public var description: String {
        switch self {
        case .catalogNotFound:
            return "cannot find the Levels/ and Scenarios/ folders: run firedrill from its checkout, or set FIREDRILL_ROOT to it"
        case let .unknownLevel(id, known):
            return "no level '\(id)'. Levels: \(known.joined(separator: ", "))"
        case .dockerMissing:
            return "Docker is not installed (no 'docker' command). Run 'make setup' (Debian, as root), or install Docker Engine with compose"
        case let .dockerStopped(detail):
            return "the Docker daemon does not answer (\(detail)). Start it: 'make docker' (or 'sudo systemctl start docker'), then check with 'firedrill doctor'"
        case .composeMissing:
            return "neither 'docker compose' nor 'docker-compose' is available. Install Debian's docker-compose ('make setup') or the compose plugin"
        case .noLiveRun:
            return "no live run. Start one with 'firedrill start LEVEL' (list them with 'firedrill levels')"
        case let .unknownRun(id):
            return "no run '\(id)'. See 'firedrill status' for the runs on this machine"
        case let .unknownInstance(name, known):
            return "no instance '\(name)' in this run. Instances: \(known.joined(separator: ", "))"
        case let .instanceNotRunning(name):
            return "instance '\(name)' is not running. 'firedrill status' shows the run's instances"
        case let .execFailed(instance, detail):
            return "could not run a command on \(instance): \(detail)"
        case let .requestNotSent(detail):
            return "the request could not be sent: \(detail)"
        case let .faultFailed(detail):
            return "the level's fault could not be applied: \(detail)"
        case let .bootFailed(detail):
            return "the scenario did not boot: \(detail)"
        case let .imageBuildFailed(tag, detail):
            return "building image \(tag) failed:\n\(detail)"
        case let .symptomsNotLive(titles):
            return "the fault did not show (symptom not observed: \(titles.joined(separator: "; ")))"
        case let .sandbox(problems):
            return "the compose file breaks the sandbox rules:\n" + problems.map(\.description).joined(separator: "\n")
        case let .illegalMove(run, from, to):
            return "run \(run) cannot go from \(from.rawValue) to \(to.rawValue)"
        case let .coldOnly(level, reason):
            return "\(level) is never booted ahead: \(reason). It boots when you play it"
        case let .notWarm(run, state):
            return "run \(run) is \(state.rawValue), not a warm run waiting to be given"
        case let .notGiven(run):
            return "run \(run) is booted ahead and paused until it is given: 'firedrill play' (or 'firedrill start' of its level) gives it"
        case let .notEnoughMemory(needed, available):
            return "not enough free memory to keep a run booted ahead: it needs \(needed >> 20) MiB free (its instances' limits and a 1 GiB margin), \(available >> 20) MiB are available. The next level will boot when asked"
        }
    }
}
