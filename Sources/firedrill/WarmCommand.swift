import ArgumentParser
import FiredrillEngine
import FiredrillGame
import Foundation

struct Warm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Boot a level ahead and keep it paused, so that the next 'play' or 'start' gives it at once.",
        discussion: """
        The run is booted, its fault injected and its symptoms seen, then its instances are frozen
        with 'docker pause' (no CPU while it waits; its memory stays held). The level's clock starts
        when it is given. One warm run per player: warming another level replaces it; 'firedrill
        stop --all' removes it; one older than 4 hours is discarded. Without LEVEL: the class's
        assignment in a class, else the level the game would pick. Levels whose fault would not
        survive a pause, and a machine short of memory, are refused. The console warms the next
        level itself once a report is submitted, unless 'warm: false' is in settings.yaml
        (beside class.url) or FIREDRILL_WARM=0.
        """
    )

    @OptionGroup var options: EngineOptions
    @Argument(help: "The level to boot ahead (see 'firedrill levels').") var level: String?
    @Option(help: "The run's seed (default: drawn).") var seed: UInt64?
    @Option(help: "Who it is for (default: FIREDRILL_PLAYER, else your login name).") var player: String?
    @Flag(help: "Print JSON.") var json = false

    struct Output: Encodable {
        var run, level: String
        var seed: UInt64?
        var heldMemoryBytes: Int64?
        var seconds: Double
    }

    func run() throws {
        let started = Date()
        let record: RunRecord
        do {
            let game = try options.game(player: player)
            record = try game.prepareWarm(level: level, seed: seed) { step in
                if !json { FileHandle.standardError.write(Data("  … \(step)\n".utf8)) }
            }
        } catch {
            throw fail(error)
        }
        let seconds = (Date().timeIntervalSince(started) * 100).rounded() / 100
        if json { return try printJSON(Output(run: record.id, level: record.level, seed: record.seed, heldMemoryBytes: record.heldMemory, seconds: seconds)) }
        let memory = record.heldMemory.map { ", holding \($0 >> 20) MiB while paused" } ?? ""
        print("\(record.level) is ready (run \(record.id), seed \(record.seed ?? 0)\(memory)). 'firedrill play' gives it at once; 'firedrill stop --all' removes it.")
    }
}
