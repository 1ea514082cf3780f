import Foundation
import Testing
import FiredrillEngine
import FiredrillTestSupport

/// Every level of the catalogue, proven on the real Docker engine with `firedrill prove`: the
/// symptom shows through the real app, the reference fix solves it on verify on two seeds, every
/// wrong fix fails exactly the objectives it names, the report's answers come from the run and a
/// report copied across seeds scores at most a third, and stop leaves nothing behind.
extension EndToEnd {
@Suite struct LevelProofTests {
    static let levels = Catalog(root: repositoryRoot).levelIDs()

    @Test(arguments: levels)
    func levelIsProven(_ level: String) throws {
        let output = try firedrill(["prove", level, "--json"])
        let report = try decode(ProveReport.self, output.stdout)
        for proof in report.proofs {
            #expect(proof.passed, "\(level): \(proof.name): \(proof.detail)")
        }
        let names = Set(report.proofs.map(\.name))
        #expect(names.isSuperset(of: ["boot", "symptom live", "report answers", "reference fix", "stop leaves nothing",
                                      "reference fix, second seed", "report answers, second seed", "seed swap"]))
        #expect(names.contains { $0.hasPrefix("wrong fix") }, "\(level) has no wrong fix")
        #expect(report.passed)
        // What the second seed costs (docs/benchmarks.md): its reference run, from boot to stop.
        let total = report.proofs.map(\.seconds).reduce(0, +)
        let second = report.proofs.filter { $0.name.hasSuffix(", second seed") }.map(\.seconds).reduce(0, +)
        print(String(format: "proof figures: %@ %.1f s in all, %.1f s for the second seed", level, total, second))
    }
}
}
