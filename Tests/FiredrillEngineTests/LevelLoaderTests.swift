import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillEngine

@Suite struct LevelLoaderTests {
    let directory = URL(fileURLWithPath: "/levels/sample")

    func load(_ yaml: String) throws -> Level {
        try LevelLoader.level(text: yaml, file: "sample/level.yaml", directory: directory)
    }

    func problems(_ yaml: String) -> [Diagnostic] {
        do {
            _ = try load(yaml)
            return []
        } catch let error as Diagnostics {
            return error.items
        } catch {
            return [Diagnostic(file: "", line: nil, field: "", message: "\(error)")]
        }
    }

    static let valid = """
    id: sample
    title: A sample
    scenario: billing
    category: http
    difficulty: 2
    par: 15m
    briefing: Something is off.
    faults:
      - patch: {file: proxy/conf.d/billing.conf, replace: "20m;", with: "1m;"}
      - exec: {instance: db, run: "echo hi", background: true}
      - restart: backend
    symptoms:
      - id: refused
        title: Refused
        check:
          http: {port: api, method: POST, path: /api/attachments, upload: 5MB, status: 413}
    objectives:
      - id: works
        title: Works
        check:
          all:
            - http: {port: api, path: /api/health, status: [200, 204], latency: 50ms, samples: 3, headers: {Origin: "http://x"}}
            - not: {process: {instance: backend, name: gzip}}
            - file: {instance: backend, path: /var/app/tmp, owner: "app:app", mode: "750", world_writable: false}
      - id: durable
        title: Durable
        check:
          after: [{restart: backend}, {wait: 5s}, {remove: {instance: backend, path: /tmp/x}}]
          then: {sql: {query: "SELECT 1", output: "^1"}}
          within: 10s
    hints: [one, two]
    questions:
      - {id: q1, ask: Which status?, kind: status, answer: {value: "413"}}
      - {id: q2, ask: Which limit?, kind: size, answer: {command: {instance: proxy, run: "grep -o 1m /etc/x"}}}
    """

    @Test func parsesEveryPartOfALevel() throws {
        let level = try load(Self.valid)
        #expect(level.id == "sample")
        #expect(level.category == .http)
        #expect(level.par == 900)
        #expect(level.faults == [
            .patch(file: "proxy/conf.d/billing.conf", replace: "20m;", with: "1m;"),
            .exec(instance: "db", command: "echo hi", user: nil, background: true),
            .restart(instance: "backend"),
        ])
        guard case let .kind(symptom as HTTPCheck) = level.symptoms[0].check else { Issue.record("not http"); return }
        #expect(symptom.upload == 5 * 1024 * 1024)
        #expect(symptom.status == [413])
        #expect(level.objectives[1].check.isDisruptive)
        guard case let .after(disruptions, _, within, _) = level.objectives[1].check else { Issue.record("not after"); return }
        #expect(disruptions == [.restart(instance: "backend"), .wait(seconds: 5), .remove(instance: "backend", path: "/tmp/x")])
        #expect(within == 10)
        #expect(!level.objectives[0].check.isDisruptive)
        #expect(Set(level.objectives[0].check.instances) == ["backend"])
        guard case let .all(checks) = level.objectives[0].check, case let .kind(http as HTTPCheck) = checks[0] else { Issue.record("not all/http"); return }
        #expect(http.latency == 0.05)
        #expect(http.samples == 3)
        #expect(http.status == [200, 204])
        #expect(http.headers == ["Origin": "http://x"])
        #expect(level.questions[1].answer == .command(instance: "proxy", command: "grep -o 1m /etc/x", user: nil))
        #expect(level.questions.map(\.kind) == [.status, .size])
    }

    @Test func aQuestionNeedsAKnownKindThatFitsItsAnswer() {
        let unknown = problems(Self.valid.replacingOccurrences(of: "kind: status,", with: "kind: statsu,"))
        #expect(unknown.count == 1)
        #expect(unknown[0].file == "sample/level.yaml")
        #expect(unknown[0].line == 33)
        #expect(unknown[0].field == "questions[0].kind")
        #expect(unknown[0].message.contains("did you mean 'status'"))
        let missing = problems(Self.valid.replacingOccurrences(of: "kind: status, ", with: ""))
        #expect(missing.map(\.field) == ["questions[0].kind"])
        #expect(missing[0].message == "missing required field")
        let notOne = problems(Self.valid.replacingOccurrences(of: "value: \"413\"", with: "value: \"413 or 502\""))
        #expect(notOne.map(\.field) == ["questions[0].answer"])
        let pattern = problems(Self.valid.replacingOccurrences(of: "{value: \"413\"}", with: "{pattern: \"41[0-9]\"}"))
        #expect(pattern.map(\.message) == ["a pattern answer is of kind text, not status"])
        let not = problems(Self.valid.replacingOccurrences(of: "kind: status,", with: "kind: status, not: [x],"))
        #expect(not.map(\.message) == ["'not' goes with text answers only"])
    }

    @Test func unknownFieldNamesFileLineAndFieldWithASuggestion() {
        let yaml = Self.valid.replacingOccurrences(of: "status: 413}", with: "stauts: 413}")
        let found = problems(yaml)
        #expect(found.count == 1)
        #expect(found[0].file == "sample/level.yaml")
        #expect(found[0].line == 16)
        #expect(found[0].field == "symptoms[0].check.http.stauts")
        #expect(found[0].message.contains("did you mean 'status'"))
        #expect(found[0].description.hasPrefix("sample/level.yaml:16: symptoms[0].check.http.stauts: unknown field"))
    }

    @Test func unknownTopLevelFieldIsAnError() {
        let found = problems(Self.valid + "\nsecret: 1\n")
        #expect(found.map(\.field) == ["secret"])
    }

    @Test func missingRequiredFieldsAreEachReported() {
        let yaml = Self.valid.replacingOccurrences(of: "title: A sample\n", with: "").replacingOccurrences(of: "par: 15m\n", with: "")
        #expect(Set(problems(yaml).map(\.field)) == ["title", "par"])
    }

    @Test func wrongTypesAndRangesAreReported() {
        let yaml = Self.valid
            .replacingOccurrences(of: "difficulty: 2", with: "difficulty: 7")
            .replacingOccurrences(of: "category: http", with: "category: Network")
            .replacingOccurrences(of: "par: 15m", with: "par: soon")
            .replacingOccurrences(of: "output: \"^1\"", with: "output: \"([\"")
        let found = problems(yaml)
        let byField = Dictionary(found.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
        #expect(byField["difficulty"]?.contains("out of range") == true)
        #expect(byField["category"]?.contains("lowercase") == true)
        #expect(byField["par"]?.contains("duration") == true)
        #expect(byField["objectives[1].check.then.sql.output"]?.contains("regular expression") == true)
        #expect(found.allSatisfy { $0.line != nil })
    }

    @Test func aCheckNeedsExactlyOneKind() {
        let none = Self.valid.replacingOccurrences(of: "check:\n      http: {port: api, method: POST", with: "check:\n      htp: {port: api, method: POST")
        #expect(problems(none).contains { $0.field == "symptoms[0].check.htp" && $0.message.contains("did you mean 'http'") })
        let two = Self.valid.replacingOccurrences(of: "then: {sql: {query: \"SELECT 1\", output: \"^1\"}}", with: "then: {sql: {query: \"SELECT 1\"}, command: {instance: db, run: x}}")
        #expect(problems(two).contains { $0.message.contains("only one is allowed") })
    }

    @Test func invalidYAMLReportsItsLine() {
        let found = problems("id: sample\ntitle: [unclosed\nscenario: billing\n")
        #expect(found.count == 1)
        #expect(found[0].message.hasPrefix("not valid YAML"))
        #expect(found[0].line != nil)
    }

    @Test func idMustMatchTheFolder() {
        let found = problems(Self.valid.replacingOccurrences(of: "id: sample\n", with: "id: other\n"))
        #expect(found.contains { $0.field == "id" && $0.message.contains("folder") })
    }

    @Test func pathsMayNotLeaveTheWorkspace() {
        let found = problems(Self.valid.replacingOccurrences(of: "file: proxy/conf.d/billing.conf", with: "file: ../../etc/passwd"))
        #expect(found.contains { $0.field == "faults[0].patch.file" })
    }

    @Test func unitsParse() {
        #expect(Units.seconds("500ms") == 0.5)
        #expect(Units.seconds("2m") == 120)
        #expect(Units.seconds("1h") == 3600)
        #expect(Units.seconds("-3") == nil)
        #expect(Units.bytes("5MB") == 5 * 1024 * 1024)
        #expect(Units.bytes("3.5MiB") == Int(3.5 * 1024 * 1024))
        #expect(Units.bytes("512k") == 512 * 1024)
        #expect(Units.bytes("12") == 12)
        #expect(Units.bytes("lots") == nil)
        #expect(Units.percent("80%") == 80)
    }

    @Test func everyLevelOfTheCatalogLoadsAndLints() {
        let catalog = Catalog(root: repositoryRoot)
        let (levels, problems) = catalog.levels()
        #expect(problems.isEmpty, "\(problems)")
        #expect(levels.count >= 2)
        for level in levels {
            #expect(Lint.references(of: level, catalog: catalog).isEmpty, "\(level.id)")
        }
    }
}
