import Foundation
import FiredrillEngine
import FiredrillTestSupport
import Testing

/// Every end-to-end suite nests in this one, so that they run one at a time: levels measure
/// latency, and the machine's two cores are shared by every instance of a run.
@Suite(.serialized) struct EndToEnd {}

/// The firedrill binary built with the tests: next to the test bundle, or in .build/debug.
let firedrillBinary: URL = {
    if let path = ProcessInfo.processInfo.environment["FIREDRILL_BIN"] { return URL(fileURLWithPath: path) }
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("firedrill")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    return repositoryRoot.appendingPathComponent(".build/debug/firedrill")
}()

/// A data directory of the tests' own, so their runs never mix with a player's.
let testHome: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-e2e-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

/// Runs the real binary as a user would.
func firedrill(_ arguments: [String], environment extra: [String: String] = [:], timeout: Double = 900) throws -> ProcessOutput {
    var environment = ProcessInfo.processInfo.environment
    environment["FIREDRILL_HOME"] = testHome.path
    environment["FIREDRILL_ROOT"] = repositoryRoot.path
    // No class joined on this machine reaches the tests.
    environment["FIREDRILL_CONFIG_HOME"] = testHome.appendingPathComponent("config").path
    for (key, value) in extra { environment[key] = value }
    return try ProcessRunner.run([firedrillBinary.path] + arguments, timeout: timeout, environment: environment, directory: repositoryRoot)
}

func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(type, from: Data(text.utf8))
}

/// Containers, networks and volumes of a compose project still on the engine.
func leftovers(project: String) throws -> [String] {
    var found: [String] = []
    for kind in [["ps", "-aq"], ["network", "ls", "-q"], ["volume", "ls", "-q"]] {
        let output = try ProcessRunner.run(["docker"] + kind + ["--filter", "label=com.docker.compose.project=\(project)"], timeout: 60)
        found += output.stdout.split(separator: "\n").map(String.init)
    }
    return found
}
