import FiredrillGame
import FiredrillSQLite
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine

/// The game's warm runs on a real SQLite file and the fake runtime: one per player, no one's play
/// until given, discarded when too old, never the level being played.
@Suite struct GameWarmTests {
    let rig = MiniRig()

    init() {
        rig.scratch.write("Levels/other/level.yaml", """
        id: other
        title: Other
        scenario: mini
        category: database
        difficulty: 1
        par: 10m
        briefing: It broke too.
        objectives:
          - {id: works, title: Works, check: {command: {instance: backend, run: works}}}
        """)
    }

    func game(player: String = "ada") throws -> Game {
        Game(engine: rig.engine(), store: try SQLiteStore(url: rig.scratch.url.appendingPathComponent("home/firedrill.sqlite")), player: player)
    }

    @Test func aWarmRunIsNoOnesPlayUntilGivenThenThePlayersWithItsBoot() throws {
        let ada = try game()
        let warm = try ada.prepareWarm(level: "broken")
        #expect(warm.state == .warm && warm.preparedFor == "ada")
        #expect(try ada.store.run(warm.id) == nil, "not in the game's database while it waits")
        #expect(ada.progress().runs.isEmpty)
        #expect(try game(player: "bob").warmRun() == nil, "prepared for ada, given to ada only")

        let (given, wasWarm) = try ada.begin(level: "broken", seed: nil, useWarm: true)
        #expect(wasWarm && given.id == warm.id && given.state == .live)
        #expect(try ada.store.run(warm.id)?.player == "ada")
        #expect(try ada.store.events(run: warm.id).map(\.kind).prefix(2) == ["booting", "up"], "its boot is in its history")
        #expect(ada.progress().runs.map(\.run) == [warm.id])
        #expect(ada.warmRun() == nil)
    }

    @Test func onePlayerHasAtMostOneWarmRun() throws {
        let ada = try game()
        let first = try ada.prepareWarm(level: "broken")
        #expect(try ada.prepareWarm(level: "broken").id == first.id, "the one that waits fits: kept")
        #expect(try ada.prepareWarm().id == first.id, "no level named: the one that waits is the next")
        let second = try ada.prepareWarm(level: "other")
        #expect(try ada.engine.store.load(first.id).state == .stopped, "replaced")
        #expect(ada.engine.warmRuns().map(\.id) == [second.id])
        #expect(try ada.prepareWarm(level: "other", seed: 77).seed == 77, "another seed asked: replaced")
        #expect(ada.engine.warmRuns().count == 1)
    }

    @Test func aLevelAskedForByNameOrSeedThatIsNotTheWarmOneBootsColdAndKeepsIt() throws {
        let ada = try game()
        let warm = try ada.prepareWarm(level: "broken", seed: 5)
        #expect(try !ada.begin(level: "other", seed: nil, useWarm: true).warm)
        #expect(try !ada.begin(level: "broken", seed: 6, useWarm: true).warm)
        #expect(try !ada.begin(level: "broken", seed: nil, useWarm: false).warm, "--no-warm")
        #expect(ada.warmRun()?.id == warm.id)
        #expect(try ada.begin(level: "broken", seed: 5, useWarm: true).warm)
    }

    @Test func aWarmRunOlderThanItsLifetimeIsDiscarded() throws {
        let ada = try game()
        let warm = try ada.prepareWarm(level: "broken")
        rig.clock.advance(Game.warmLifetime - 1)
        #expect(ada.warmRun()?.id == warm.id)
        rig.clock.advance(2)
        #expect(ada.warmRun() == nil)
        #expect(try ada.engine.store.load(warm.id).state == .stopped)
        #expect(rig.runtime.projectsUp.isEmpty)
    }

    @Test func theNextLevelIsNeverTheOneBeingPlayed() throws {
        let ada = try game()
        for _ in 0..<5 {
            let next = try ada.prepareWarm(excluding: "broken")
            #expect(next.level == "other")
            try ada.engine.stop(next)
        }
        let kept = try ada.prepareWarm(excluding: "other")
        #expect(kept.level == "broken")
        #expect(try ada.prepareWarm(excluding: "broken").level == "other", "the waiting run is the level being played: replaced")
    }
}
