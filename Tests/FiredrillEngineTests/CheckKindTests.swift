import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine

/// Each kind of check is one file (`Checks/Kinds/`): the loader reads it by its key, `Check`
/// compares and evaluates it without knowing which it is.
@Suite struct CheckKindTests {
    @Test func everyKindIsReadUnderItsKeyAndNoKeyIsTwice() {
        let keys = CheckKinds.all.map { $0.key }
        #expect(Set(keys).count == keys.count)
        #expect(keys.allSatisfy { LevelLoader.checkKinds.contains($0) && CheckKinds.named($0) != nil })
        #expect(CheckKinds.named("all") == nil, "the composites are Check's own")
    }

    @Test func checksOfAKindCompareByTheirFieldsAndNeverAcrossKinds() {
        #expect(Check.sql(SQLCheck(query: "SELECT 1")) == .sql(SQLCheck(query: "SELECT 1")))
        #expect(Check.sql(SQLCheck(query: "SELECT 1")) != .sql(SQLCheck(query: "SELECT 2")))
        #expect(Check.process(ProcessCheck(instance: "db", name: "x")) != .command(CommandCheck(instance: "db", run: "x")))
        #expect(Check.not(.http(HTTPCheck(port: "api"))) == .not(.http(HTTPCheck(port: "api"))))
        #expect(Check.all([.http(HTTPCheck(port: "api"))]) != .any([.http(HTTPCheck(port: "api"))]))
    }

    /// A file found where the check wants none, or with another owner or mode, fails.
    @Test func aFileIsJudgedAgainstTheCheckNotAgainstItself() {
        let runtime = FakeRuntime()
        runtime.execHandler = { _, _, _ in ProcessOutput(status: 0, stdout: "root:root 644\n", stderr: "") }
        let evaluator = CheckEvaluator(runtime: runtime, http: FakeHTTP(handler: { _ in throw CheckError("no HTTP") }), project: "p", ports: [:],
                                       workspace: URL(fileURLWithPath: "/nonexistent"), allowDisruption: false)
        #expect(evaluator.evaluate(.file(FileCheck(instance: "db", path: "/x", exists: false))).outcome == .failed)
        #expect(evaluator.evaluate(.file(FileCheck(instance: "db", path: "/x", owner: "app"))).outcome == .failed)
        #expect(evaluator.evaluate(.file(FileCheck(instance: "db", path: "/x", mode: "600"))).outcome == .failed)
        #expect(evaluator.evaluate(.file(FileCheck(instance: "db", path: "/x", owner: "root", mode: "644"))).outcome == .passed)
    }
}
