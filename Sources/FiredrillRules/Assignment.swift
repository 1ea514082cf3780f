import FiredrillEngine
import Foundation

/// Which level a trainee plays next when they do not name one.
///
/// The tutorial comes first until it is passed. Then a level not passed yet, preferring a
/// category with no passed level at all; once every level is passed, any level but the tutorial.
/// The pick among the candidates is SplitMix64(seed) over their sorted ids, so a seed replays it.
public enum Assignment {
    public static let tutorial = "tutorial"

    public static func pick(levels: [LevelFacts], history: [PlayedRun], seed: UInt64) -> String? {
        let ids = candidates(levels: levels, history: history)
        guard !ids.isEmpty else { return nil }
        var generator = SplitMix64(seed: seed)
        return ids[Int(generator.next() % UInt64(ids.count))]
    }

    /// The ids the pick chooses from, sorted.
    public static func candidates(levels: [LevelFacts], history: [PlayedRun]) -> [String] {
        let passed = Set(history.filter(\.passed).map(\.level))
        if levels.contains(where: { $0.id == tutorial }), !passed.contains(tutorial) { return [tutorial] }
        let others = levels.filter { $0.id != tutorial }
        var pool = others.filter { !passed.contains($0.id) }
        if pool.isEmpty { pool = others }
        let coveredCategories = Set(history.filter(\.passed).map(\.category))
        let uncovered = pool.filter { !coveredCategories.contains($0.category) }
        if !uncovered.isEmpty { pool = uncovered }
        return Set(pool.map(\.id)).sorted()
    }

    /// Why the pick is this level, in a sentence for the trainee.
    public static func reason(for id: String, levels: [LevelFacts], history: [PlayedRun]) -> String {
        guard let level = levels.first(where: { $0.id == id }) else { return "chosen by name" }
        let passed = history.filter(\.passed)
        if id == tutorial {
            return passed.contains { $0.level == tutorial } ? "a replay of the tutorial" : "the tutorial comes first"
        }
        if passed.contains(where: { $0.level == id }) { return "a replay of a level you have passed" }
        if !passed.contains(where: { $0.category == level.category }) {
            return "a level in \(level.category.rawValue), a category you have not passed yet"
        }
        return "a level you have not passed yet"
    }
}
