import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine

@Suite struct ParamsTests {
    let directory = URL(fileURLWithPath: "/levels/sample")

    static let level = """
    id: sample
    title: A sample
    scenario: billing
    category: http
    difficulty: 2
    par: 15m
    params:
      limit: [256k, 512k, 2m]
      uploads: {from: 3, to: 9}
      zone:
        - {app: America/New_York, db: UTC}
        - {app: Asia/Tokyo, db: UTC}
    briefing: Invoices of ${param.uploads} MB fail since ${param.zone.app} went live.
    faults:
      - patch: {file: proxy/conf.d/billing.conf, replace: "20m;", with: "${param.limit};"}
      - exec: {instance: db, run: "echo ${HOME} > /tmp/${run.id}"}
    objectives:
      - id: works
        title: Works
        check:
          http: {port: api, method: POST, path: /api/attachments, upload: ${param.uploads}MB, headers: {Origin: "${origin.app}"}}
    questions:
      - {id: limit, ask: Which limit?, kind: size, answer: {value: "${param.limit}"}}
    """

    func load(_ yaml: String = Self.level, _ bindings: LevelBindings = .unbound) throws -> Level {
        try LevelLoader.level(text: yaml, file: "sample/level.yaml", directory: directory, bindings: bindings)
    }

    func problems(_ yaml: String) -> [Diagnostic] { LevelLoaderTests().problems(yaml) }

    @Test func referencesAreBoundInEveryFieldTypedOnesIncluded() throws {
        let level = try load(Self.level, LevelBindings(draw: .index(1), ports: ["app": 8123, "api": 8124], runID: "sample-abc123"))
        #expect(level.param("limit") == "512k")
        #expect(level.param("uploads") == "4")
        #expect(level.param("zone.app") == "Asia/Tokyo")
        #expect(level.briefing == "Invoices of 4 MB fail since Asia/Tokyo went live.")
        #expect(level.faults[0] == .patch(file: "proxy/conf.d/billing.conf", replace: "20m;", with: "512k;"))
        // The shell's own ${HOME} is not a reference; the run's id is.
        #expect(level.faults[1] == .exec(instance: "db", command: "echo ${HOME} > /tmp/sample-abc123", user: nil, background: false))
        guard case let .kind(check as HTTPCheck) = level.objectives[0].check else { Issue.record("not an http check"); return }
        #expect(check.upload == 4 * 1024 * 1024)
        #expect(check.headers["Origin"] == "http://127.0.0.1:8123")
        #expect(level.questions[0].answer == .value("512k"))
        #expect(level.portReferences == ["app"])
    }

    @Test func aSeedDrawsTheSameIncidentEveryTimeAndSeedsDiffer() throws {
        let first = try load(Self.level, LevelBindings(draw: .seed(42)))
        let again = try load(Self.level, LevelBindings(draw: .seed(42)))
        #expect(first.values == again.values)
        let draws = try (1...40).map { try load(Self.level, LevelBindings(draw: .seed($0))).param("limit") ?? "" }
        #expect(Set(draws) == ["256k", "512k", "2m"])
        let uploads = try (1...80).map { try load(Self.level, LevelBindings(draw: .seed($0))).param("uploads") ?? "" }
        #expect(Set(uploads) == Set((3...9).map(String.init)))
    }

    @Test func anUnknownReferenceNamesFileLineAndField() {
        let broken = Self.level.replacingOccurrences(of: "with: \"${param.limit};\"", with: "with: \"${param.limt};\"")
        let found = problems(broken)
        #expect(found.count == 1)
        #expect(found.first?.file == "sample/level.yaml")
        #expect(found.first?.line == 15)
        #expect(found.first?.field == "patch")
        #expect(found.first?.message == "unknown reference ${param.limt} (did you mean '${param.limit}'?)")
    }

    @Test func aBadParamsSectionIsReportedWithItsField() {
        let empty = Self.level.replacingOccurrences(of: "limit: [256k, 512k, 2m]", with: "limit: []")
        #expect(problems(empty).contains { $0.field == "params.limit" && $0.message == "a parameter needs at least one choice" })
        let backwards = Self.level.replacingOccurrences(of: "{from: 3, to: 9}", with: "{from: 9, to: 3}")
        #expect(problems(backwards).contains { $0.field == "params.uploads" && $0.message.contains("from ≤ to") })
        let mixed = Self.level.replacingOccurrences(of: "- {app: Asia/Tokyo, db: UTC}", with: "- {app: Asia/Tokyo}")
        #expect(problems(mixed).contains { $0.field == "params.zone" && $0.message == "every choice has the same fields" })
    }

    @Test func aRunsPortMustExistButListingNeedsNone() throws {
        #expect(try load().values["origin.app"] == "http://127.0.0.1:0")
        #expect(throws: Diagnostics.self) { try load(Self.level, LevelBindings(draw: .seed(1), ports: ["api": 1], runID: "x")) }
    }

    @Test func overlayFilesAreBoundWhenCopied() throws {
        let scratch = ScratchDirectory()
        let levelFolder = scratch.url.appendingPathComponent("level")
        let overlay = levelFolder.appendingPathComponent("broken/app")
        try FileManager.default.createDirectory(at: overlay, withIntermediateDirectories: true)
        try "LIMIT=${param.limit}\nHOME=${HOME}\nORIGIN=${origin.app}\n".write(to: overlay.appendingPathComponent("settings.env"), atomically: true, encoding: .utf8)
        var level = try load(Self.level, LevelBindings(draw: .index(2)))
        level.directory = levelFolder
        let workspace = scratch.url.appendingPathComponent("workspace")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        var values = level.values
        values["origin.app"] = "http://127.0.0.1:9000"
        try Workspace.apply(.overlay(directory: "broken"), workspace: workspace, level: level, values: values)
        let text = try String(contentsOf: workspace.appendingPathComponent("app/settings.env"), encoding: .utf8)
        #expect(text == "LIMIT=2m\nHOME=${HOME}\nORIGIN=http://127.0.0.1:9000\n")
        #expect(Workspace.unknownReferences(inOverlay: levelFolder.appendingPathComponent("broken"), values: level.values).isEmpty)
        #expect(Workspace.unknownReferences(inOverlay: levelFolder.appendingPathComponent("broken"), values: [:]).map(\.1.name) == ["param.limit"])
    }

    @Test func everyLevelOfTheCatalogLoadsWithEachChoice() throws {
        let catalog = Catalog(root: repositoryRoot)
        for id in catalog.levelIDs() {
            let problems = Lint.level(at: catalog.levelDirectory(id), catalog: catalog)
            #expect(problems.isEmpty, "\(id): \(problems)")
        }
    }
}
