import ArgumentParser
import FiredrillEngine
import Foundation

@main
struct Firedrill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firedrill",
        abstract: "Production-incident training: real broken systems on Docker, fixed from the terminal.",
        discussion: """
        Start a level, read its briefing, troubleshoot the instances, fix, verify:
          firedrill levels                    list the levels
          firedrill start payload-too-large   boot a level and print its briefing
          firedrill shell proxy               open a shell on an instance
          firedrill check --verify            check every objective
          firedrill stop                      remove the run's containers
        """,
        version: "0.1.0",
        subcommands: [Levels.self, Start.self, Play.self, Status.self, Check.self, Shell.self, Stop.self,
                      Lint.self, Doctor.self, Build.self, Prove.self]
    )
}

/// What every command that touches runs needs.
struct EngineOptions: ParsableArguments {
    @Option(name: .customLong("root"), help: "The folder holding Levels/ and Scenarios/ (default: found from here or FIREDRILL_ROOT).")
    var root: String?

    func engine() throws -> Engine {
        let catalog = try root.map { Catalog(root: URL(fileURLWithPath: $0).standardizedFileURL) } ?? Catalog.locate()
        return Engine(catalog: catalog, store: RunStore(root: RunStore.defaultRoot()), runtime: ComposeRuntime())
    }
}

/// Prints an error the way every command does, and exits non-zero.
func fail(_ error: Error) -> ExitCode {
    FileHandle.standardError.write(Data("firedrill: \(describe(error))\n".utf8))
    return ExitCode.failure
}

func describe(_ error: Error) -> String {
    if let error = error as? Diagnostics { return "\n" + error.description }
    return "\(error)"
}

/// Encodes a value as pretty JSON on standard output.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

func formatDuration(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    if total < 60 { return "\(total)s" }
    if total < 3600 { return total % 60 == 0 ? "\(total / 60)m" : "\(total / 60)m\(total % 60)s" }
    return "\(total / 3600)h\((total % 3600) / 60)m"
}
